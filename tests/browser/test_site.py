"""The public site in a real browser: language switch, search in both scripts, profiles, filters,
right-to-left layout, keyboard use, printing, and no request leaving the site."""

import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_switching_language_keeps_the_page_and_its_filters(page, live_server, site):
    """The language link leads to the same list, with the same filters, in Persian, right to left."""
    page.goto(f"{live_server.url}/en/people/?status=detained")
    page.click("#switch-language")
    page.wait_for_url("**/fa/people/?status=detained")
    assert page.get_attribute("html", "lang") == "fa"
    assert page.get_attribute("html", "dir") == "rtl"
    assert "نرگس محمدی" in page.inner_text("#results")
    screenshot(page, "directory-fa-detained")


def test_searching_in_persian_finds_the_person(page, live_server, site):
    """A Persian search with an Arabic yeh (محمدي) finds Narges Mohammadi."""
    page.goto(f"{live_server.url}/fa/")
    page.fill("#home-q", "محمدي")
    page.press("#home-q", "Enter")
    page.wait_for_url("**/fa/people/?q=*")
    assert "نرگس محمدی" in page.inner_text("#results")
    assert "رضا" not in page.inner_text("#results")
    screenshot(page, "search-fa")


def test_searching_in_english_with_another_spelling_finds_the_person(page, live_server, site):
    """ "Mohamadi" (one m) finds Narges Mohammadi."""
    page.goto(f"{live_server.url}/en/people/")
    page.fill("#id_q", "Mohamadi")
    page.click("button[type=submit]")
    page.wait_for_url("**/en/people/?q=Mohamadi*")
    assert "Narges Mohammadi" in page.inner_text("#results")
    screenshot(page, "search-en")


def test_opening_a_profile_from_the_directory(page, live_server, site):
    """Following a name opens the profile with the days without contact and the sources."""
    page.goto(f"{live_server.url}/en/people/")
    page.click("text=Narges Mohammadi")
    page.wait_for_url(f"**/en/people/{site.narges_id}/")
    assert page.inner_text("h1") == "Narges Mohammadi"
    assert "No contact with family or lawyer for at least" in page.inner_text("main")
    assert "Sources" in page.inner_text("main")
    screenshot(page, "profile-en")


def test_following_filters_narrows_the_list(page, live_server, site):
    """Choosing a status and an age narrows the list to the teenager killed."""
    page.goto(f"{live_server.url}/en/people/")
    page.select_option("#id_status", "killed")
    page.select_option("#id_minor", "yes")
    page.click("button[type=submit]")
    page.wait_for_url("**/en/people/?*status=killed*")
    results = page.inner_text("#results")
    assert "Reza Test" in results and "Narges Mohammadi" not in results
    assert "1 person" in page.inner_text("#result-count")
    screenshot(page, "directory-en-killed-minors")


def test_persian_pages_are_laid_out_right_to_left(page, live_server, site):
    """In Persian the document runs right to left: computed direction, the name heading and the site
    name sit at the right edge, and digits are Persian."""
    page.goto(f"{live_server.url}/fa/people/{site.narges_id}/")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    width = page.evaluate("document.documentElement.clientWidth")
    brand = page.locator(".brand").bounding_box()
    heading = page.locator("h1").bounding_box()
    assert brand["x"] + brand["width"] > width * 0.8
    assert heading["x"] + heading["width"] > width * 0.6
    assert "۱۴۰۴" in page.inner_text("main")
    screenshot(page, "profile-fa")


def test_the_site_is_usable_by_keyboard(page, live_server, site):
    """The first Tab reaches the skip link, which is visible when focused; every form control has a label."""
    page.goto(f"{live_server.url}/en/people/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    assert page.locator(".skip").bounding_box()["x"] >= 0
    unlabelled = page.evaluate(
        "[...document.querySelectorAll('input:not([type=hidden]),select')].filter(e => !e.labels.length).length"
    )
    assert unlabelled == 0


def test_no_request_leaves_the_site(page, live_server, site):
    """Pages load nothing from any other site (no CDN, fonts or trackers)."""
    for path in ("/en/", "/fa/people/", f"/en/people/{site.narges_id}/", "/fa/statistics/"):
        page.goto(f"{live_server.url}{path}")
    # The interactive API docs run Swagger UI from Vigil's own static files and load the document.
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info .title", timeout=20_000)
    assert any(url.endswith("/api/v1/openapi.json") for url in page.requests_made)
    assert all(url.startswith(live_server.url) for url in page.requests_made)


def test_printing_leaves_out_navigation_and_forms(page, live_server, site):
    """The print stylesheet hides navigation and forms."""
    page.goto(f"{live_server.url}/en/people/")
    page.emulate_media(media="print")
    assert not page.locator("form.filters").is_visible()
    assert not page.locator("header nav").first.is_visible()
    assert page.locator("#results").is_visible()
