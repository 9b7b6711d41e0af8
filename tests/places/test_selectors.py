"""Finding places, facilities and universities from names as sources write them."""

import pytest

from vigil.places.models import Place
from vigil.places.selectors import facility_by_name, place_by_name, provinces, university_by_name

pytestmark = pytest.mark.django_db


def _place(text: str, kind: str | None = None) -> str | None:
    """The code of the place found, so a miss reads as None in the assertion."""
    found = place_by_name(text, kind=kind)
    return found.code if found else None


def _facility(text: str) -> str | None:
    found = facility_by_name(text)
    return found.code if found else None


def _university(text: str) -> str | None:
    found = university_by_name(text)
    return found.code if found else None


def test_persian_name_with_arabic_yeh_and_kaf_finds_the_place():
    """Kermanshah is found as "كرمانشاه" (Arabic kaf and yeh), Ilam as "ايلام" (Arabic yeh)."""
    assert _place("كرمانشاه") == "ir-kermanshah-kermanshah"
    assert _place("ايلام") == "ir-ilam-ilam"


def test_latin_aliases_find_provinces():
    """Common Latin spellings of a province find it."""
    assert _place("Khuzistan") == "ir-khuzestan"
    assert _place("Kordestan") == "ir-kurdistan"
    assert _place("Azarbaijan-e Gharbi") == "ir-west-azerbaijan"
    assert _place("sistan va baluchestan") == "ir-sistan-baluchestan"


def test_case_spacing_and_zwnj_do_not_matter():
    """Upper case, a space for a ZWNJ or a hyphenated ezafe still find Khorramabad and Shahrekord."""
    assert _place("KHORRAM ABAD") == "ir-lorestan-khorramabad"
    assert _place("خرم آباد") == "ir-lorestan-khorramabad"
    assert _place("Shahr-e Kord") == "ir-chaharmahal-bakhtiari-shahrekord"


def test_a_name_shared_by_a_province_and_its_capital_means_the_city_unless_asked():
    """A bare "Tehran" is the city; the province is found by kind or by saying "province"."""
    assert _place("Tehran") == "ir-tehran-tehran"
    assert _place("Tehran", kind=Place.Kind.PROVINCE) == "ir-tehran"
    assert _place("استان کرمانشاه") == "ir-kermanshah"
    assert _place("Lorestan Province") == "ir-lorestan"


def test_official_name_of_a_town_known_by_its_county():
    """Malekshahi is found under its official name Arkavaz as well."""
    assert _place("ارکواز") == "ir-ilam-malekshahi"


def test_unknown_or_empty_name_finds_nothing():
    """A name that is not in the gazetteer gives None, not a guess."""
    assert place_by_name("Atlantis") is None
    assert place_by_name("  ") is None


def test_provinces_are_listed_by_name():
    """provinces() lists all 31, alphabetically."""
    names = [province.name_en for province in provinces()]
    assert len(names) == 31
    assert names == sorted(names)


def test_facilities_are_found_by_alias_and_persian_ward_number():
    """Transliterations, Persian names and ward numbers in Persian digits find the facility."""
    assert _facility("Qezel Hesar") == "ir-ghezel-hesar"
    assert _facility("قزل حصار") == "ir-ghezel-hesar"
    assert _facility("زندان اوين") == "ir-evin"
    assert _facility("بند ۲۰۹") == "ir-evin-ward-209"
    assert _facility("Ward 2A") == "ir-evin-ward-2a"
    assert _facility("Shahr-e Rey prison") == "ir-qarchak"


def test_universities_are_found_by_former_or_common_names():
    """Tehran Polytechnic is Amirkabir University of Technology, by its old name."""
    assert _university("Tehran Polytechnic") == "ir-amirkabir"
    assert _university("دانشگاه صنعتي شريف") == "ir-sharif"
