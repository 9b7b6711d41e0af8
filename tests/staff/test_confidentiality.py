import pytest
from django.test import Client

from tests.factories import PersonFactory, staff
from vigil.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_a_restricted_person_is_absent_from_the_staff_list_without_clearance(client: Client) -> None:
    """Staff without restricted clearance never see a restricted record, in the list or by its URL."""
    hidden = PersonFactory(names=["Hidden Witness Person"], confidentiality="restricted")
    client.force_login(staff(Role.REVIEWER, restricted=False))

    listing = client.get("/staff/people/person/")
    by_url = client.get(f"/staff/people/person/{hidden.pk}/change/")

    assert listing.status_code == 200
    assert "Hidden Witness Person" not in listing.content.decode()
    assert by_url.status_code in (302, 404)


def test_a_restricted_field_is_left_out_of_the_change_form_without_clearance(client: Client) -> None:
    """The family contact of an internal record is neither shown nor editable for uncleared staff."""
    person = PersonFactory(family_contact="Mother: +98 912 000 0000", confidentiality="internal")
    client.force_login(staff(Role.REVIEWER, restricted=False))

    page = client.get(f"/staff/people/person/{person.pk}/change/").content.decode()

    assert 'name="family_contact"' not in page
    assert "+98 912 000 0000" not in page


def test_cleared_staff_see_the_restricted_field(client: Client) -> None:
    """Clearance is what opens restricted fields."""
    person = PersonFactory(family_contact="Mother: +98 912 000 0000", confidentiality="internal")
    client.force_login(staff(Role.REVIEWER, restricted=True))

    page = client.get(f"/staff/people/person/{person.pk}/change/").content.decode()

    assert 'name="family_contact"' in page


def test_a_restricted_persons_names_facts_and_history_are_hidden_without_clearance(client: Client) -> None:
    """The names, detentions and statuses of a restricted person (recorded "internal" themselves) and every
    history screen of them are absent for uncleared staff, as the person is; cleared staff see them."""
    from tests.factories import DetentionFactory, day

    hidden = PersonFactory(names=["Hidden Witness Person"], confidentiality="restricted")
    detention = DetentionFactory(person=hidden, arrested=day(2026, 1, 8), confidentiality="internal")
    pages = [
        "/staff/people/namevariant/?q=Witness",
        "/staff/custody/detention/",
        f"/staff/people/person/{hidden.pk}/history/",
        f"/staff/custody/detention/{detention.pk}/history/",
        f"/staff/people/person/{hidden.pk}/history/{hidden.history.latest().history_id}/",
    ]
    client.force_login(staff(Role.REVIEWER, restricted=False))
    uncleared = [client.get(url) for url in pages]
    client.force_login(staff(Role.REVIEWER, restricted=True))
    cleared = [client.get(url) for url in pages]

    assert [response.status_code for response in uncleared] == [200, 200, 404, 404, 404]
    assert not any("Hidden Witness Person" in response.content.decode() for response in uncleared)
    assert [response.status_code for response in cleared] == [200] * 5
    assert all("Hidden Witness Person" in response.content.decode() for response in cleared[:4])


def test_a_merge_of_a_restricted_person_is_hidden_without_clearance(client: Client) -> None:
    from django.urls import reverse

    from vigil.matching.models import Merge
    from vigil.matching.services import person_merge

    keep = PersonFactory(names=["Hidden Witness Person"], confidentiality="restricted")
    gone = PersonFactory(names=["Hidden Witness Persson"], confidentiality="restricted")
    person_merge(keep=keep, merge=gone, actor=staff(Role.REVIEWER, restricted=True), reason="Same woman.")
    merge = Merge.objects.get()
    client.force_login(staff(Role.REVIEWER, restricted=False))

    listing = client.get(reverse("admin:matching_merge_changelist")).content.decode()
    assert "Hidden Witness" not in listing
    assert client.get(reverse("admin:matching_merge_change", args=[merge.pk])).status_code in (302, 404)
