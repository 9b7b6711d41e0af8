"""Reading a place cell as sources write it (``Lookups.place``), against the project's gazetteer."""

from __future__ import annotations

import pytest

from vigil.exchange.lookups import Lookups

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "code", "warned"),
    [
        ("Gorgan, Golestan", "ir-golestan-gorgan", False),  # the place with its province: nothing lost
        ("Najafabad - Isfahan", "ir-isfahan-najafabad", False),
        ("Azadshahr - Mashhad", "ir-razavi-khorasan-mashhad", True),  # a neighbourhood not in the gazetteer
        ("Tehrānpars-Tehran", "ir-tehran-tehran-tehranpars", True),
        ("Nazi Abad Tehran", "ir-tehran-tehran-naziabad", True),
        ("Tehran (Tehranpars)", "ir-tehran-tehran-tehranpars", True),
        ("Tehran Damavand", "ir-tehran-damavand", True),  # Damavand lies in (the province) Tehran
        ("Golestan Eslamshahr", "ir-tehran-eslamshahr", True),  # not the province of Golestan
        ("Shahriar (Sabashshahr neighborhood)", "ir-tehran-shahriar", True),
        ("Eskaneh village near Arak", "ir-markazi-arak", True),
        ("Sirvan, Ilam", "ir-ilam", True),  # somewhere in the province, not the city of Ilam
        ("Meydan-e Gorgan, Tehran", "ir-tehran", True),  # a square of Tehran, not the city of Gorgan
        ("Tehran, Fardis Bridge", "ir-tehran-tehran", True),  # a bridge, not the town of Fardis
        ("Rasht or Bandar Anzali", "ir-gilan", True),  # either: the province both are in
        ("Gilan or Mazandaran", None, True),  # nothing in common below the country
        ("Tonekabon/Rasht", None, True),
        ("Nowhere-abad", None, True),
    ],
)
def test_a_place_cell_is_read_as_sources_write_it(text: str, code: str | None, warned: bool) -> None:
    found, warning = Lookups().place(text)
    assert (found.code if found else None, bool(warning)) == (code, warned)
    if warning:
        assert f"“{text}” is not in the gazetteer" in warning


def test_what_a_warned_cell_was_recorded_as_is_named() -> None:
    _found, warning = Lookups().place("Kouchesfehan, near Rasht")
    assert warning == "“Kouchesfehan, near Rasht” is not in the gazetteer; recorded as Rasht."
