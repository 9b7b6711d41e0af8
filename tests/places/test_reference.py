"""Loading the gazetteer files: idempotent, and precise about what is wrong in a hand-edited file."""

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from vigil.places.models import Place
from vigil.places.reference import DATA_DIR, gazetteer_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_dir(tmp_path):
    """A private copy of the shipped gazetteer files, to edit."""
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    return copy


def _edit(path: Path, key: str, change: Callable[[list[dict[str, Any]]], Any]) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data[key])
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_loading_twice_creates_and_changes_nothing():
    """The test session already loaded the gazetteer; loading it again leaves every record as it was."""
    before = Place.history.count()
    counts = gazetteer_load()
    assert counts["created"] == 0
    assert counts["updated"] == 0
    assert counts["unchanged"] > 300
    assert Place.history.count() == before


def test_a_changed_shipped_record_is_brought_back_in_line_with_history():
    """A shipped place edited in the database is restored by the next load, with a history entry."""
    tehran = Place.objects.get(code="ir-tehran-tehran")
    tehran.name_en = "Teheran"
    tehran.save()
    counts = gazetteer_load()
    assert counts["updated"] == 1
    tehran.refresh_from_db()
    assert tehran.name_en == "Tehran"
    assert tehran.history.first().history_change_reason == "Reference data shipped with Vigil"


def test_unknown_parent_is_named_and_nothing_is_written(data_dir):
    """A province whose parent code does not exist stops the load, which names it and writes nothing."""

    def change(places):
        places.insert(
            40, {"code": "ir-tehran-new-town", "kind": "city", "parent": "ir-tehran", "name_en": "New"}
        )
        places[1]["name_en"] = "Alborz (edited)"
        places.append(
            {"code": "ir-atlantis", "kind": "province", "parent": "ir-nowhere", "name_en": "Atlantis"}
        )

    _edit(data_dir / "places.json", "places", change)
    with pytest.raises(
        ValidationError, match=re.escape("(“ir-atlantis”): parent “ir-nowhere” is not a known place")
    ):
        gazetteer_load(data_dir=data_dir)
    assert not Place.objects.filter(code__in=["ir-tehran-new-town", "ir-atlantis"]).exists()
    assert Place.objects.get(code="ir-alborz").name_en == "Alborz"


def test_a_province_inside_a_city_is_refused(data_dir):
    """A place cannot lie in a smaller kind of place."""
    _edit(
        data_dir / "places.json",
        "places",
        lambda places: places.append(
            {"code": "ir-odd", "kind": "province", "parent": "ir-tehran-tehran", "name_en": "Odd"}
        ),
    )
    with pytest.raises(
        ValidationError, match="a Province cannot lie in “ir-tehran-tehran”, which is a City or town"
    ):
        gazetteer_load(data_dir=data_dir)


def test_duplicate_code_names_both_entries(data_dir):
    """Two entries with one code are refused, naming the first one."""
    _edit(data_dir / "universities.json", "universities", lambda entries: entries.append(dict(entries[0])))
    with pytest.raises(ValidationError, match="the code is already used by entry 1"):
        gazetteer_load(data_dir=data_dir)


def test_invalid_json_names_the_file_and_line(data_dir):
    """A syntax error in a file is reported with its file name and line."""
    (data_dir / "facilities.json").write_text('{"facilities": [\n  {"code": "x",}\n]}', encoding="utf-8")
    with pytest.raises(ValidationError, match=r"facilities.json is not valid JSON: .* at line 2"):
        gazetteer_load(data_dir=data_dir)


def test_facility_with_unknown_operator_says_organizations_load_first(data_dir):
    """A facility run by an unknown organization names the code and the loading order."""
    _edit(data_dir / "facilities.json", "facilities", lambda entries: entries[0].update(operator="ir-nobody"))
    with pytest.raises(ValidationError, match="operator “ir-nobody” is not a known organization code"):
        gazetteer_load(data_dir=data_dir)


def test_wrong_kind_lists_the_kinds_allowed(data_dir):
    """An unknown kind is refused with the list of kinds."""
    _edit(data_dir / "places.json", "places", lambda places: places[5].update(kind="region"))
    with pytest.raises(ValidationError, match="“kind” is “region”; it must be one of: country, province"):
        gazetteer_load(data_dir=data_dir)


def test_model_validation_errors_name_the_entry(data_dir):
    """A latitude out of range is refused by the model, and the message says which entry."""
    _edit(data_dir / "places.json", "places", lambda places: places[2].update(latitude=123.0))
    with pytest.raises(ValidationError, match=r"places.json, entry 3 .*latitude"):
        gazetteer_load(data_dir=data_dir)
