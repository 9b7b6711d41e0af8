"""The shipped gazetteer of Iran: what a documenter can count on finding once reference data is loaded."""

import math
from decimal import Decimal

import pytest

from vigil.places.models import Facility, Place, University
from vigil.places.selectors import place_by_name, provinces

pytestmark = pytest.mark.django_db

# Iran's bounding box, generously rounded.
LATITUDES = (Decimal(25), Decimal(40))
LONGITUDES = (Decimal(44), Decimal(64))


def _inside_iran(place: Place) -> bool:
    if place.latitude is None or place.longitude is None:
        return False
    return (
        LATITUDES[0] <= place.latitude <= LATITUDES[1] and LONGITUDES[0] <= place.longitude <= LONGITUDES[1]
    )


def _km(a: Place, b: Place) -> float:
    """Great-circle distance between two places."""
    assert a.latitude is not None and a.longitude is not None and b.latitude is not None
    assert b.longitude is not None
    lat1, lon1, lat2, lon2 = (
        math.radians(float(v)) for v in (a.latitude, a.longitude, b.latitude, b.longitude)
    )
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def test_iran_has_31_provinces_each_with_a_persian_name_and_coordinates_inside_iran():
    """All 31 provinces are there, named in Persian, located inside Iran."""
    found = list(provinces(country_code="ir"))
    assert len(found) == 31
    for province in found:
        assert province.name_fa, province.code
        assert _inside_iran(province), province.code


def test_every_city_lies_in_a_province_and_inside_iran():
    """Each city's parent is a province, and its coordinates fall inside Iran."""
    cities = Place.objects.filter(kind=Place.Kind.CITY).select_related("parent")
    assert cities.count() >= 150
    for city in cities:
        assert city.parent is not None and city.parent.kind == Place.Kind.PROVINCE, city.code
        assert city.name_fa, city.code
        assert _inside_iran(city), city.code


def test_every_province_has_exactly_one_capital_at_its_own_coordinates():
    """A province's coordinates are those of its one capital city."""
    for province in provinces():
        capitals = list(province.children.filter(is_capital=True))
        assert len(capitals) == 1, province.code
        assert (capitals[0].latitude, capitals[0].longitude) == (province.latitude, province.longitude)


def test_every_city_lies_near_its_province_capital():
    """No city is further than 600 km from its capital: catches swapped or mistyped coordinates."""
    capitals = {city.parent_id: city for city in Place.objects.filter(kind=Place.Kind.CITY, is_capital=True)}
    for city in Place.objects.filter(kind=Place.Kind.CITY):
        assert _km(city, capitals[city.parent_id]) < 600, city.code


@pytest.mark.parametrize(
    ("town", "province"),
    [
        ("Tehran", "ir-tehran"),
        ("Mashhad", "ir-razavi-khorasan"),
        ("Malekshahi", "ir-ilam"),
        ("Khorramabad", "ir-lorestan"),
        ("Azna", "ir-lorestan"),
        ("Aligudarz", "ir-lorestan"),
        ("Zahedan", "ir-sistan-baluchestan"),
        ("Sanandaj", "ir-kurdistan"),
        ("Yazd", "ir-yazd"),
        ("Karaj", "ir-alborz"),
        ("Ahvaz", "ir-khuzestan"),
        ("Abdanan", "ir-ilam"),
        ("Izeh", "ir-khuzestan"),
        ("Javanrud", "ir-kermanshah"),
        ("Bukan", "ir-west-azerbaijan"),
        ("Saqqez", "ir-kurdistan"),
        ("Mahabad", "ir-west-azerbaijan"),
        ("Piranshahr", "ir-west-azerbaijan"),
        ("Rasht", "ir-gilan"),
        ("Shiraz", "ir-fars"),
        ("Dehloran", "ir-ilam"),
        ("Chabahar", "ir-sistan-baluchestan"),
        ("Iranshahr", "ir-sistan-baluchestan"),
        ("Khash", "ir-sistan-baluchestan"),
        ("Saravan", "ir-sistan-baluchestan"),
    ],
)
def test_towns_of_the_seed_case_are_found_in_their_province(town, province):
    """Every town the seed case mentions is a city of the right province."""
    place = place_by_name(town, kind=Place.Kind.CITY)
    assert place is not None and place.parent is not None
    assert place.parent.code == province


def test_every_facility_has_a_place_and_every_ward_belongs_to_a_prison():
    """Facilities are located; a ward lies in its prison's city."""
    for facility in Facility.objects.select_related("parent"):
        assert facility.place_id is not None, facility.code
        if facility.kind == Facility.Kind.WARD:
            assert facility.parent is not None and facility.parent.kind == Facility.Kind.PRISON
            assert facility.place_id == facility.parent.place_id


def test_evin_wards_and_who_runs_them():
    """Ward 209 is run by the Ministry of Intelligence and ward 2-A by IRGC Intelligence."""
    evin = Facility.objects.get(code="ir-evin")
    assert {ward.name_en for ward in evin.wards.all()} >= {
        "Evin Ward 209",
        "Evin Ward 2-A",
        "Evin Ward 240",
        "Evin Ward 241",
        "Evin Ward 350",
        "Evin Women's Ward",
    }
    operators = dict(evin.wards.values_list("code", "operator__code"))
    assert operators["ir-evin-ward-209"] == "ir-mois"
    assert operators["ir-evin-ward-2a"] == "ir-irgc-intelligence"


def test_prisons_known_for_executions_are_marked():
    """Ghezel Hesar, Vakilabad, Zahedan and Urmia are marked as places of execution; Evin's wards are not."""
    marked = set(Facility.objects.filter(known_for_executions=True).values_list("code", flat=True))
    assert {"ir-ghezel-hesar", "ir-vakilabad", "ir-zahedan-central", "ir-urmia-central"} <= marked
    assert not any(code.startswith("ir-evin-ward") for code in marked)


def test_every_university_has_a_place():
    """Universities are located in a city."""
    assert University.objects.count() >= 30
    assert not University.objects.filter(place__isnull=True).exists()
    assert University.objects.filter(code="ir-university-of-kurdistan", place__name_en="Sanandaj").exists()
