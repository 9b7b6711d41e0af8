"""The seed case: the situation described in a campaign report of 9 January 2026 (DESIGN §6)."""
