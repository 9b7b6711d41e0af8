"""The staff report page: charts as SVG, tables, exports, staff only; and the chart geometry."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import translation

from tests.factories import EventFactory, day
from tests.reports.conftest import arrest, place
from vigil.reports.charts import tile_map, timeline_chart
from vigil.reports.event_counts import AreaCount
from vigil.reports.tilegrid import PROVINCE_TILES
from vigil.reports.timeline import TimelineDay

pytestmark = pytest.mark.django_db

URL = "/staff/reports/"


@pytest.fixture
def client_for(staff_user):
    client = Client()
    client.force_login(staff_user)
    return client


def test_the_report_page_shows_the_timeline_and_the_province_map(client_for):
    """Server-side SVG: bars for the arrests and a tile for each of the 31 provinces."""
    arrest(when=day(2026, 1, 8), arrest_place=place("ir-ilam"))
    EventFactory(place=place("ir-ilam"), started=day(2026, 1, 3), confidentiality="public")

    response = client_for.get(URL, {"as_of": "2026-01-09"})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('class="tile bucket-') == 31
    assert '<g class="tile bucket-5" transform' in page  # Ilam, the busiest province
    assert "<title>8 January 2026: 1</title>" in page
    report = page[page.index('<article class="report">') : page.index("</article>")]
    assert "<script" not in report  # the charts need no JavaScript


def test_the_report_page_takes_jalali_dates_and_a_province(client_for):
    """۱۹ دی ۱۴۰۴ and Ilam, as a documenter would type them."""
    response = client_for.get(URL, {"as_of": "۱۹ دی ۱۴۰۴", "scope": "ایلام"})

    assert response.status_code == 200
    assert "Situation report: Ilam" in response.content.decode()


def test_the_report_page_explains_a_scope_it_cannot_find(client_for):
    """The form shows the error next to the scope."""
    response = client_for.get(URL, {"as_of": "2026-01-09", "scope": "Atlantis"})

    assert "No place is called “Atlantis”" in response.content.decode()


def test_the_page_exports_csv_and_json(client_for):
    """Downloads carry the scope, the as-of date and the recorded date in their names."""
    csv_response = client_for.get(URL, {"as_of": "2026-01-09", "format": "csv"})
    json_response = client_for.get(URL, {"as_of": "2026-01-09", "format": "json"})

    assert csv_response["Content-Type"].startswith("text/csv")
    assert "vigil-report-ir-2026-01-09-recorded-" in csv_response["Content-Disposition"]
    assert json_response.json()["as_of"] == "2026-01-09"


def test_the_public_preview_counts_public_records_only(client_for):
    """Audience "public": the internal detainee is left out."""
    arrest(when=day(2026, 1, 8), confidentiality="internal")

    staff = client_for.get(URL, {"as_of": "2026-01-09", "format": "json"}).json()
    public = client_for.get(URL, {"as_of": "2026-01-09", "audience": "public", "format": "json"}).json()
    assert (staff["audience"], public["audience"]) == ("staff", "public")
    arrested = [
        next(c for c in data["named_individuals"]["categories"] if c["code"] == "arrested")["people"]["total"]
        for data in (staff, public)
    ]
    assert arrested == [1, 0]


def test_the_report_page_is_for_staff_only():
    """Anonymous readers are sent to the login page."""
    response = Client().get(URL)

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_tile_grid_places_every_province_once():
    """31 provinces on 31 distinct squares."""
    assert len(PROVINCE_TILES) == 31
    assert len({(column, row) for column, row, _en, _fa in PROVINCE_TILES.values()}) == 31


def test_tiles_are_shaded_by_share_of_the_busiest_province():
    """The busiest is darkest, none is blank, the legend covers the range."""
    areas = [
        AreaCount("ir-tehran", "Tehran", "تهران", 10),
        AreaCount("ir-ilam", "Ilam", "ایلام", 1),
        AreaCount("ir-qom", "Qom", "قم"),
    ]

    tiles = {tile.code: tile.bucket for tile in tile_map(areas).tiles}
    assert tiles == {"ir-tehran": 5, "ir-ilam": 1, "ir-qom": 0}


def test_the_timeline_runs_right_to_left_in_persian():
    """The first day is at the left in English and at the right in Persian."""
    days = [TimelineDay(dt.date(2026, 1, 1), arrests=1), TimelineDay(dt.date(2026, 1, 2), arrests=2)]

    english = timeline_chart(days)
    with translation.override("fa"):
        persian = timeline_chart(days)
    assert english is not None and persian is not None
    first_en, second_en = english.panels[0].bars
    first_fa, second_fa = persian.panels[0].bars
    assert first_en.x < second_en.x
    assert first_fa.x > second_fa.x
    assert second_en.height == 2 * first_en.height
