"""Finding organizations from names, acronyms and aliases as sources write them."""

import pytest

from vigil.organizations.models import Organization
from vigil.organizations.selectors import organization_by_name

pytestmark = pytest.mark.django_db


def _code(text: str, kind: str | None = None) -> str | None:
    """The code of the organization found, so a miss reads as None in the assertion."""
    found = organization_by_name(text, kind=kind)
    return found.code if found else None


def test_acronyms_find_organizations_in_any_case():
    """The acronyms "IRGC", "mois" and "Pava" find the organizations they abbreviate."""
    assert _code("IRGC") == "ir-irgc"
    assert _code("mois") == "ir-mois"
    assert _code("Pava") == "ir-faraja-pava"


def test_persian_names_with_arabic_letter_forms_are_found():
    """Persian names find the ministry and the judiciary, even with Arabic yeh ("قوه قضائيه")."""
    assert _code("وزارت اطلاعات") == "ir-mois"
    assert _code("قوه قضائيه") == "ir-judiciary"
    assert _code("سپاه پاسداران") == "ir-irgc"


def test_aliases_find_sources():
    """Sources are found by the names people use for them."""
    assert _code("Human Rights Activists in Iran") == "hrana"
    assert _code("هه‌نگاو") == "hengaw"
    assert _code("Iran Human Rights (IHRNGO)") == "ihrngo"
    assert _code("Tehran Revolutionary Court") == "ir-revolutionary-court-tehran"


def test_kind_narrows_the_search():
    """A kind restricts the lookup: the judiciary is not a media outlet."""
    assert organization_by_name("Judiciary", kind=Organization.Kind.MEDIA) is None
    assert organization_by_name("Unknown body") is None
