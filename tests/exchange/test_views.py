"""The staff screens: upload → mapping → dry run → import, with the progress page."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from vigil.accounts.models import User
from vigil.exchange.fields import guess_fields
from vigil.exchange.models import ImportBatch, ImportMapping
from vigil.people.models import Person
from vigil.sources.models import Source

pytestmark = pytest.mark.django_db

CSV = "English Name,Age,Date of Death,Status,Notes\nAli Heydari,20,2026-01-08,killed,\nReza,x,2026-01-09,killed,\n"


@pytest.fixture
def staff(client: Client) -> Client:
    user = User.objects.create_superuser("admin", "admin@example.org", "a-long-password-1")
    client.force_login(user)
    return client


@override_settings(VIGIL_IMPORT_BACKGROUND=False)
def test_upload_map_dry_run_and_import(staff: Client, tmp_path: Path) -> None:
    """A file goes through the four steps; the dry run writes nothing and the import writes the rows."""
    upload = SimpleUploadedFile("victims.csv", CSV.encode(), content_type="text/csv")
    response = staff.post(reverse("exchange:upload"), {"file": upload, "target": "people"})
    assert response.status_code == 302 and response["Location"] == reverse("exchange:mapping")
    page = staff.get(reverse("exchange:mapping"))
    assert "Date of Death" in page.content.decode()
    response = staff.post(
        reverse("exchange:mapping"),
        {"name": "weekly list", "calendar": "", "external_namespace": "", "on_duplicate": "create",
         "column_0": "name", "column_1": "age", "column_2": "date", "column_3": "outcome", "column_4": "",
         "dataset_title": "Weekly list", "dataset_url": "", "source_confidentiality": "public"},
    )  # fmt: skip
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("exchange:batch", args=[batch.pk])
    # What the file is, cited for every row, and its links' level: set on the screen (a mapping file's
    # "defaults" only, before).
    assert batch.mapping.defaults == {
        "dataset_title": "Weekly list",
        "dataset_url": "",
        "source_confidentiality": "public",
    }
    staff.post(reverse("exchange:batch_run", args=[batch.pk]), {"action": "dry_run"})
    text = staff.get(reverse("exchange:batch", args=[batch.pk])).content.decode()
    assert "Dry run: what the import would do" in text and "“x” is not an age" in text
    assert "These columns are not mapped" in text and not Person.objects.exists()
    staff.post(reverse("exchange:batch_run", args=[batch.pk]), {"action": "import"})
    assert Person.objects.count() == 1
    assert ImportBatch.objects.get().state == ImportBatch.State.DONE
    assert Source.objects.filter(title="Weekly list").exists()


def test_only_a_reviewer_may_map_a_files_sources_as_public(client: Client) -> None:
    """Making a source public is a reviewer's act: a documenter is not offered it."""
    from tests.factories import staff as staff_user
    from vigil.accounts.roles import Role

    for role, offered in ((Role.DOCUMENTER, False), (Role.REVIEWER, True)):
        client.force_login(staff_user(role))
        upload = SimpleUploadedFile("victims.csv", CSV.encode(), content_type="text/csv")
        client.post(reverse("exchange:upload"), {"file": upload, "target": "people"})
        page = client.get(reverse("exchange:mapping")).content.decode()
        assert ('<option value="public"' in page) == offered, role


def test_running_import_page_refreshes_itself(staff: Client, tmp_path: Path) -> None:
    """While a batch runs, its page carries a meta refresh (progress without JavaScript)."""
    from django.utils import timezone

    from vigil.exchange.services import MappingSpec, mapping_save

    mapping = mapping_save(
        actor=User.objects.get(username="admin"),
        spec=MappingSpec("m", "people", {"English Name": "name"}, {}),
    )
    batch = ImportBatch.objects.create(
        mapping=mapping, file_name="f.csv", file_path=str(tmp_path / "f.csv"), file_sha256="0" * 64, file_size=1,
        state=ImportBatch.State.IMPORTING, total_rows=10, heartbeat_at=timezone.now(),
    )  # fmt: skip
    page = staff.get(reverse("exchange:batch", args=[batch.pk])).content.decode()
    assert 'http-equiv="refresh"' in page and "<progress" in page


@pytest.mark.parametrize(
    ("state", "said", "offers_import"),
    [
        (ImportBatch.State.REHEARSING, "This dry run stopped", False),
        (ImportBatch.State.IMPORTING, "This import stopped", True),
    ],
)
def test_a_stalled_run_says_whether_it_was_a_dry_run(
    staff: Client, tmp_path: Path, state: str, said: str, offers_import: bool
) -> None:
    """A dry run cut short by a server restart was called an import, and offered "Import" with no dry run
    done."""
    from django.utils import timezone

    from vigil.exchange.services import MappingSpec, mapping_save

    mapping = mapping_save(
        actor=User.objects.get(username="admin"),
        spec=MappingSpec("m", "people", {"English Name": "name"}, {}),
    )
    batch = ImportBatch.objects.create(
        mapping=mapping, file_name="f.csv", file_path=str(tmp_path / "f.csv"), file_sha256="0" * 64, file_size=1,
        state=state, total_rows=10, heartbeat_at=timezone.now() - dt.timedelta(hours=1),
    )  # fmt: skip
    page = staff.get(reverse("exchange:batch", args=[batch.pk])).content.decode()
    assert said in page and 'http-equiv="refresh"' not in page
    assert ('value="import"' in page) == offers_import


@pytest.mark.parametrize(
    ("target", "header", "expected"),
    [
        # The community database's own layout (docs/import-export.md maps it so).
        ("people", ["Card ID", "English Name", "Persian Name", "Age", "Location of Death", "Date of Death",
                    "Status", "Source URLs", "Notes"],
         ["external_id", "name", "name", "age", "place", "date", "outcome", "source_url", "notes"]),
        # A list of detainees: "Status" is the custody status, a city where they were arrested.
        ("detentions", ["id", "name_fa", "name_en", "gender", "age", "arrested", "city", "prison", "status",
                        "since", "link"],
         ["external_id", "name", "name", "gender", "age", "arrested_on", "arrest_place", "facility", "status",
          "status_since", "source_url"]),
        ("detentions", ["شناسه", "نام", "سن", "محل بازداشت", "تاریخ بازداشت", "زندان", "وضعیت", "منبع"],
         ["external_id", "name", "age", "arrest_place", "arrested_on", "facility", "status", "source_url"]),
        # A list written in Persian: "full name" and "Latin name" are names, not a family and a given name.
        ("people", ["نام و نام خانوادگی", "نام لاتین", "سن", "شهر", "تاریخ بازداشت", "وضعیت"],
         ["name", "name", "age", "place", "arrested_on", "outcome"]),
        ("people", ["Full Name", "Age"], ["name", "age"]),
        # A name in two columns: the given name and the family name, joined into one name.
        ("people", ["نام", "نام خانوادگی", "سن"], ["given_name", "family_name", "age"]),
        ("people", ["First name", "Last name", "Other names"], ["given_name", "family_name", "name"]),
        # A field that takes one column goes to the first; what says nothing known is left for a person.
        ("people", ["Date", "Date reported", "Colour"], ["date", "", ""]),
    ],
)  # fmt: skip
def test_the_mapping_screen_guesses_fields_from_the_headers(
    target: str, header: list[str], expected: list[str]
) -> None:
    assert guess_fields(header, target) == expected


def test_the_mapping_screen_starts_from_the_guesses(staff: Client) -> None:
    upload = SimpleUploadedFile("victims.csv", CSV.encode(), content_type="text/csv")
    staff.post(reverse("exchange:upload"), {"file": upload, "target": "people"})
    page = staff.get(reverse("exchange:mapping")).content.decode()
    for position, field in enumerate(["name", "age", "date", "outcome", "notes"]):
        select = re.search(rf'name="column_{position}".*?</select>', page, re.S)
        assert select and f'<option value="{field}" selected>' in select.group()


@override_settings(VIGIL_IMPORT_BACKGROUND=False)
def test_rows_with_messages_are_all_reachable_by_outcome_page_and_download(
    staff: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every row with a message can be found: filtered by outcome, page after page, and as a CSV download
    (the page listed the first 300 and said nothing of the others)."""
    from vigil.exchange import views

    monkeypatch.setattr(views.BatchView, "shown_rows", 2)
    header = CSV.splitlines(keepends=True)[0]
    lines = [f"Person Number{n},x,2026-01-08,killed,\n" for n in range(3)]  # rejected: "x" is no age
    lines.append("Reza Other,20,2026-01-09,killed,\n")  # imported, no message
    upload = SimpleUploadedFile("list.csv", (header + "".join(lines)).encode(), content_type="text/csv")
    staff.post(reverse("exchange:upload"), {"file": upload, "target": "people"})
    staff.post(
        reverse("exchange:mapping"),
        {"name": "list", "calendar": "", "external_namespace": "", "on_duplicate": "create",
         "column_0": "name", "column_1": "age", "column_2": "date", "column_3": "outcome", "column_4": ""},
    )  # fmt: skip
    batch = ImportBatch.objects.get()
    ImportMapping.objects.filter(pk=batch.mapping_id).update(defaults={"dataset_title": "A list"})
    staff.post(reverse("exchange:batch_run", args=[batch.pk]), {"action": "import"})
    url = reverse("exchange:batch", args=[batch.pk])

    assert "Rows 1 to 2 of 3 with messages." in staff.get(url).content.decode()
    rejected = staff.get(url + "?outcome=rejected&page=2").content.decode()
    assert "Rejected (3)" in rejected and "Rows 3 to 3 of 3 with messages." in rejected
    download = staff.get(reverse("exchange:batch_rows", args=[batch.pk]) + "?outcome=rejected")
    text = download.content.decode("utf-8-sig")
    assert download["Content-Type"].startswith("text/csv")
    assert [line.split(",")[0] for line in text.splitlines()] == ["Row", "2", "3", "4"]
    assert "“x” is not an age" in text


STARTED = dt.datetime(2026, 1, 8, 14, 5, tzinfo=dt.UTC)
STARTED_IN_PERSIAN = "۱۸ دی ۱۴۰۴ (۸ ژانویه ۲۰۲۶)، ۱۴:۰۵"
WEEKLY_LIST = {"name": "weekly list", "calendar": "", "external_namespace": "", "on_duplicate": "create",
               "column_0": "name", "column_1": "age", "column_2": "date", "column_3": "outcome", "column_4": ""}  # fmt: skip


def _give(client: Client, language: str = "en") -> str:
    """Uploads ``CSV`` and maps it as ``WEEKLY_LIST``, reading in ``language``; the page it leads to."""
    headers = {"accept-language": language}
    upload = SimpleUploadedFile("victims.csv", CSV.encode(), content_type="text/csv")
    client.post(reverse("exchange:upload"), {"file": upload, "target": "people"}, headers=headers)
    return client.post(
        reverse("exchange:mapping"), WEEKLY_LIST, follow=True, headers=headers
    ).content.decode()


@override_settings(VIGIL_IMPORT_BACKGROUND=False)
def test_the_same_file_uploaded_again_leads_to_its_import_saying_so(staff: Client) -> None:
    pages = [_give(staff), _give(staff)]

    assert ImportBatch.objects.count() == 1
    assert "given before with the same mapping" not in pages[0]
    assert "This file was given before with the same mapping (victims.csv" in pages[1]


@pytest.mark.django_db(transaction=True)
def test_a_background_run_writes_its_messages_in_the_importers_language(tmp_path: Path) -> None:
    """The staff screen runs a batch in a thread of its own, which starts in the site's default language:
    it is given the importer's, so a Persian importer reads Persian messages (they came out in English)."""
    from django.utils import translation

    from vigil.exchange.models import ImportRow
    from vigil.exchange.services import MappingSpec, batch_open, mapping_save
    from vigil.exchange.views import _run_batch

    user = User.objects.create_superuser("admin", "admin@example.org", "a-long-password-1")
    path = tmp_path / "victims.csv"
    path.write_text(CSV, encoding="utf-8")
    mapping = mapping_save(
        actor=user, spec=MappingSpec("m", "people", {"English Name": "name", "Age": "age"}, {})
    )
    batch = batch_open(mapping=mapping, path=path, actor=user)
    with translation.override("en"):
        _run_batch(batch.pk, user.pk, True, "fa")
    messages = " ".join(str(row.messages) for row in ImportRow.objects.filter(batch=batch))
    assert "«x» سن نیست" in messages and "is not an age" not in messages


@pytest.mark.parametrize(
    ("content", "limit", "message"),
    [
        (CSV.encode() * 100, 1024, "the limit is 1.0"),  # refused for its size, before it is copied
        (b"\x89PNG\r\n\x1a\n" + bytes(200), None, "is an image"),  # copied, read, refused
    ],
)
def test_a_refused_upload_is_not_kept(
    staff: Client, settings: Any, tmp_path: Path, content: bytes, limit: int | None, message: str
) -> None:
    """Every refused upload stayed in the imports folder, however large; it is now refused before it is
    copied there when too large, and removed when its content is refused."""
    settings.MEDIA_ROOT = str(tmp_path)
    if limit is not None:
        settings.VIGIL_IMPORT_MAX_BYTES = limit
    upload = SimpleUploadedFile("victims.csv", content, content_type="text/csv")
    response = staff.post(reverse("exchange:upload"), {"file": upload, "target": "people"})
    assert response.status_code == 200 and message in html.unescape(response.content.decode())
    assert not any((tmp_path / "imports").glob("*"))


def test_a_viewer_may_not_upload_map_or_run_an_import(client: Client) -> None:
    """A viewer could upload files into the imports folder and save mappings (never import): refused now;
    the list of imports stays readable."""
    from tests.factories import staff as staff_member
    from vigil.accounts.roles import Role

    client.force_login(staff_member(Role.VIEWER, restricted=False))
    upload = SimpleUploadedFile("victims.csv", CSV.encode(), content_type="text/csv")
    assert client.post(reverse("exchange:upload"), {"file": upload, "target": "people"}).status_code == 403
    assert client.get(reverse("exchange:mapping"), follow=True).status_code == 403
    assert client.post(reverse("exchange:batch_run", args=[1]), {"action": "dry_run"}).status_code == 403
    assert client.get(reverse("exchange:batches")).status_code == 200


def test_an_imports_messages_are_shown_only_to_readers_cleared_as_its_importer(
    client: Client, tmp_path: Path
) -> None:
    """A row flagged as a possible duplicate names the person recorded already, as its importer may see
    them: a restricted person's name, after an import by someone cleared for restricted records. Staff
    cleared for less (a viewer or documenter without that access) are refused the page and its CSV."""
    from tests.factories import PersonFactory
    from tests.factories import staff as staff_member
    from vigil.accounts.roles import Role
    from vigil.exchange.services import MappingSpec, batch_import, batch_open, mapping_save

    importer = staff_member(Role.DOCUMENTER, restricted=True)
    hidden = PersonFactory(names=["Ali Heydari"], age=20, confidentiality="restricted")
    path = tmp_path / "victims.csv"
    path.write_text(CSV, encoding="utf-8")
    mapping = mapping_save(
        actor=importer,
        spec=MappingSpec(
            name="weekly", target="people", values={}, defaults={"dataset_title": "Weekly list"},
            columns={"English Name": "name", "Age": "age", "Date of Death": "date", "Status": "outcome"},
        ),
    )  # fmt: skip
    batch = batch_open(mapping=mapping, path=path, actor=importer)
    batch_import(batch, actor=importer)
    page, rows = reverse("exchange:batch", args=[batch.pk]), reverse("exchange:batch_rows", args=[batch.pk])

    client.force_login(importer)
    assert f"#{hidden.pk} Ali Heydari" in html.unescape(client.get(page).content.decode())
    assert f"#{hidden.pk} Ali Heydari" in client.get(rows).content.decode()
    for role in (Role.VIEWER, Role.DOCUMENTER):
        client.force_login(staff_member(role, restricted=False))
        for url in (page, rows):
            response = client.get(url)
            assert response.status_code == 403 and "Ali Heydari" not in response.content.decode()
    client.force_login(staff_member(Role.VIEWER, restricted=True))
    assert client.get(page).status_code == 200


def test_persian_outcomes_tell_a_skipped_row_from_a_rejected_one() -> None:
    """The import page's counts in Persian read "رد شده" (rejected) for skipped rows, beside "نپذیرفته"
    (rejected): a documenter read "0 rejected" above the 28 rejected rows."""
    from django.utils import translation

    from vigil.exchange.models import RowOutcome

    with translation.override("fa"):
        labels = [str(label) for _value, label in RowOutcome.choices]
        skipped = str(RowOutcome.SKIPPED.label)
    assert len(set(labels)) == len(labels)
    assert "رد" not in skipped.split()


@override_settings(VIGIL_IMPORT_BACKGROUND=False)
def test_the_list_of_imports_shows_when_each_started_in_both_calendars_in_persian_digits(
    staff: Client,
) -> None:
    """An import's start read "2026-01-08 14:05" on the Persian list of imports; it reads as the other
    staff pages' times do."""
    _give(staff)
    ImportBatch.objects.update(created_at=STARTED)

    page = staff.get(reverse("exchange:batches"), HTTP_ACCEPT_LANGUAGE="fa").content.decode()

    assert f'<time datetime="2026-01-08T14:05:00+00:00">{STARTED_IN_PERSIAN}</time>' in page


@override_settings(VIGIL_IMPORT_BACKGROUND=False)
def test_a_file_given_again_names_its_imports_time_in_both_calendars_in_persian_digits(staff: Client) -> None:
    """The import's page said the file was given before on "8 ژانویه 2026، ساعت 14:05" (Gregorian, Latin
    digits) to a Persian reader."""
    _give(staff)
    ImportBatch.objects.update(created_at=STARTED)

    page = _give(staff, language="fa")

    assert f"(victims.csv، {STARTED_IN_PERSIAN}، به دست admin)" in page
