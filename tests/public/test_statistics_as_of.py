import pytest
from django.test import Client

from vigil.demo.seed import demo_load

pytestmark = pytest.mark.django_db


def test_statistics_as_of_a_past_day_show_the_timeline_and_province_map(client: Client) -> None:
    """The public statistics page can be read as of 9 January 2026 (Jalali accepted), with its SVG charts."""
    demo_load()

    page = client.get("/en/statistics/", {"as_of": "1404/10/19"}).content.decode()

    assert "As of 9 January 2026" in page
    assert "at least 2,300" in page
    assert page.count("<svg") >= 2
    assert 'class="tile bucket-' in page


def test_statistics_explain_an_impossible_day(client: Client) -> None:
    """A day that does not exist is named, not silently replaced."""
    page = client.get("/en/statistics/", {"as_of": "1402/12/30"}).content.decode()

    assert "30 Esfand 1402 does not exist" in page


def test_statistics_as_of_a_past_day_list_and_download_only_what_that_day_knew(client: Client) -> None:
    """As of 31 December 2025 HRANA's figures of 9 January 2026 are not yet reported: the page neither lists
    them under its date nor links a download of today's numbers."""
    demo_load()

    page = client.get("/en/statistics/", {"as_of": "1404/10/10"}).content.decode()

    assert "As of 31 December 2025" in page
    assert "HRANA: the first 13 days" not in page
    assert "about 50" in page  # Mashhad, 12 December 2025: reported by then
    assert 'href="/api/v1/statistics?as_of=2025-12-31"' in page
    today = client.get("/en/statistics/").content.decode()
    assert "HRANA: the first 13 days" in today
    assert 'href="/api/v1/statistics"' in today
