"""Vigil: a record of political prisoners and the victims of protest crackdowns."""
