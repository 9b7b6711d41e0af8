"""Reading files: encodings, separators, headers, binary and oversized files, XLSX and JSON, bounded memory."""

from __future__ import annotations

import codecs
import json
import re
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import override_settings
from openpyxl import Workbook

from vigil.exchange.readers import MAX_JSON_DEPTH, ROW_FAULT, FileRefused, open_table

PERSIAN_ROW = "علی حیدری,۲۰,مشهد\n"


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    return list(open_table(path).rows())


def test_utf8_with_byte_order_mark_reads_the_first_column_name_cleanly(tmp_path: Path) -> None:
    """A BOM (as Excel's "CSV UTF-8" writes it) is not part of the first column's name."""
    path = _write(tmp_path, "bom.csv", codecs.BOM_UTF8 + ("name,age,place\n" + PERSIAN_ROW).encode())
    table = open_table(path)
    assert table.header == ["name", "age", "place"]
    assert _rows(path) == [(2, {"name": "علی حیدری", "age": "۲۰", "place": "مشهد"})]


def test_utf16_with_byte_order_mark_is_read(tmp_path: Path) -> None:
    """UTF-16 (Excel's "Unicode text") is recognised by its byte-order mark."""
    path = _write(tmp_path, "u16.csv", ("name,age,place\n" + PERSIAN_ROW).encode("utf-16"))
    assert _rows(path)[0][1]["name"] == "علی حیدری"


def test_windows_1256_is_read_with_a_notice(tmp_path: Path) -> None:
    """Persian text saved as Windows-1256 is read, and the notice asks to check the names."""
    # Windows-1256 has the Arabic yeh (ي), not the Persian one: what such files hold.
    path = _write(tmp_path, "win.csv", ("name,age,place\nعلي حيدري,20,مشهد\n").encode("cp1256"))
    table = open_table(path)
    assert table.encoding == "cp1256"
    assert "Windows-1256" in table.notices[0]
    assert next(table.rows())[1]["name"] == "علي حيدري"


def test_latin1_text_that_is_not_persian_is_refused(tmp_path: Path) -> None:
    """A file that is neither UTF-8 nor Persian in Windows-1256 is refused with what to do."""
    path = _write(tmp_path, "latin.csv", "name\nJosé Ñúñez\n".encode("latin-1"))
    with pytest.raises(FileRefused, match="CSV UTF-8"):
        open_table(path)


def test_an_encoding_fault_late_in_the_file_refuses_the_file(tmp_path: Path) -> None:
    """A file that turns out not to be UTF-8 after the sampled start is refused when the scan reaches it."""
    body = "name,age\nعلی,21\n" + "Ali,20\n" * 20000
    path = _write(tmp_path, "late.csv", body.encode() + "علي,20\n".encode("cp1256"))
    with pytest.raises(FileRefused, match="mixes encodings"):
        _rows(path)


def test_a_windows_1256_file_whose_start_is_latin_is_read_as_windows_1256(tmp_path: Path) -> None:
    """Hundreds of Latin rows before the first Persian one: the encoding is told from the first bytes that
    are not ASCII (every encoding reads ASCII alike), not refused as mixing encodings."""
    body = "name,age\n" + "Ali,20\n" * 20000 + "علي,21\n"
    path = _write(tmp_path, "late.csv", body.encode("cp1256"))
    table = open_table(path)
    assert table.encoding == "cp1256" and "Windows-1256" in table.notices[0]
    assert _rows(path)[-1][1] == {"name": "علي", "age": "21"}


def test_semicolon_separated_file_is_sniffed(tmp_path: Path) -> None:
    """Semicolons (what European Excel writes) are found without being told."""
    path = _write(tmp_path, "semi.csv", b"name;age;place\nAli, Reza;20;Tehran\n")
    assert open_table(path).delimiter == ";"
    assert _rows(path)[0][1] == {"name": "Ali, Reza", "age": "20", "place": "Tehran"}


def test_mixed_separators_are_refused_naming_the_row(tmp_path: Path) -> None:
    """Rows separated by another character than the header are refused, with the row number."""
    path = _write(tmp_path, "mixed.csv", b"name,age,place\nAli,20,Tehran\nReza;21;Karaj\n")
    with pytest.raises(FileRefused, match=r"separated by “,” \(comma\) but row 3 by “;” \(semicolon\)"):
        open_table(path)


def test_mixed_separators_after_the_sample_are_refused_while_scanning(tmp_path: Path) -> None:
    """A semicolon row far down the file is found when the rows are read."""
    body = "name,age,place\n" + "Ali,20,Tehran\n" * 3000 + "Reza;21;Karaj\n"
    with pytest.raises(FileRefused, match="row 3002"):
        _rows(_write(tmp_path, "late-mixed.csv", body.encode()))


def test_duplicated_header_names_are_refused(tmp_path: Path) -> None:
    """Two columns with one name (ignoring case and spaces) refuse the file: one would be lost."""
    path = _write(tmp_path, "dup.csv", b"Name,Age,age \nAli,20,21\n")
    with pytest.raises(FileRefused, match=r"Columns 2 and 3 .* both named “age”"):
        open_table(path)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04" + b"\x00" * 200, "ZIP or Excel"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "an image"),
        (b"%PDF-1.7\n" + b"\x01\x02" * 100, "PDF"),
        (bytes(range(256)) * 4, "binary file"),
    ],
)
def test_a_binary_file_renamed_csv_is_refused(tmp_path: Path, data: bytes, message: str) -> None:
    """Binary content with a .csv name is refused, saying what it is."""
    with pytest.raises(FileRefused, match=message):
        open_table(_write(tmp_path, "renamed.csv", data))


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    """A file over VIGIL_IMPORT_MAX_BYTES is refused whole, with its size and the limit."""
    path = tmp_path / "big.csv"
    with path.open("wb") as handle:
        handle.write(b"name,age\n")
        handle.write(b"Ali,20\n" * 300_000)  # about 2 MB, generated here
    with (
        override_settings(VIGIL_IMPORT_MAX_BYTES=1024 * 1024),
        pytest.raises(FileRefused, match="the limit is 1"),
    ):
        open_table(path)


def test_a_runaway_quote_is_refused_with_bounded_memory(tmp_path: Path) -> None:
    """An unclosed quote does not swallow the file into memory: the cell limit refuses it."""
    path = tmp_path / "quote.csv"
    with path.open("wb") as handle:
        handle.write(b'name,age\n"Ali,20\n')
        handle.write(b"x" * (3 * 1024 * 1024))
    with pytest.raises(FileRefused, match="missing closing quote"):
        _rows(path)


def test_reading_a_large_file_keeps_memory_bounded(tmp_path: Path) -> None:
    """Reading 30 MB of rows holds a few rows at a time, not the file."""
    path = tmp_path / "large.csv"
    row = "علی حیدری,Ali Heydari,20,Mashhad,2026-01-08,killed,https://example.org/post/1,note\n".encode()
    with path.open("wb") as handle:
        handle.write(b"fa,en,age,place,date,status,url,notes\n")
        for _ in range(30 * 1024 * 1024 // len(row)):
            handle.write(row)
    tracemalloc.start()
    count = sum(1 for _row in open_table(path).rows())
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count > 300_000
    assert peak < 5 * 1024 * 1024


def test_ragged_row_is_a_row_fault_not_a_file_fault(tmp_path: Path) -> None:
    """A row with a missing value (and no other separator to explain it) is reported on that row."""
    rows = _rows(_write(tmp_path, "ragged.csv", b"name,age,place\nAli,20\nReza,21,Karaj\n"))
    assert "has 2 values but the header has 3" in rows[0][1][ROW_FAULT]
    assert rows[1] == (3, {"name": "Reza", "age": "21", "place": "Karaj"})


def test_xlsx_rows_are_streamed_with_dates_and_numbers_as_text(tmp_path: Path) -> None:
    """An XLSX sheet reads as text: whole numbers without ".0", dates as ISO, formulas as their text."""
    import datetime as dt

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["name", "age", "date", "note"])
    naive = dt.datetime(2026, 1, 8)  # noqa: DTZ001 (spreadsheets hold naive dates)
    sheet.append(["علی حیدری", 20, naive, "=SUM(B2:B3)"])
    path = tmp_path / "sheet.xlsx"
    workbook.save(path)
    assert _rows(path) == [
        (2, {"name": "علی حیدری", "age": "20", "date": "2026-01-08", "note": "=SUM(B2:B3)"})
    ]


def test_json_list_of_objects_is_read_as_rows(tmp_path: Path) -> None:
    """A JSON list of flat objects gives one row per object; nested values and repeated keys are faults."""
    path = tmp_path / "rows.json"
    path.write_text(
        '[{"name": "Ali", "age": 20}, {"name": "Reza", "tags": [1]}, {"name": "Sara", "name": "Sima"}]',
        encoding="utf-8",
    )
    table = open_table(path)
    assert table.header == ["name", "age"]
    rows = list(table.rows())
    assert rows[0] == (1, {"name": "Ali", "age": "20"})
    assert "only plain values" in rows[1][1][ROW_FAULT]
    assert "appears twice" in rows[2][1][ROW_FAULT]


def test_json_that_is_not_a_list_is_refused(tmp_path: Path) -> None:
    """A JSON object at the top is not a table."""
    path = tmp_path / "object.json"
    path.write_text(json.dumps({"name": "Ali"}), encoding="utf-8")
    with pytest.raises(FileRefused, match="list of objects"):
        open_table(path)


def test_deeply_nested_json_is_refused_at_once_with_bounded_memory(tmp_path: Path) -> None:
    """400 KB of nested brackets took the reader gigabytes (the path of every event grew with the depth):
    nesting past MAX_JSON_DEPTH refuses the file as soon as it is reached."""
    depth = 200_000
    path = tmp_path / "deep.json"
    path.write_text('[{"name":"Deep","notes":' + "[" * depth + "]" * depth + "}]", encoding="utf-8")
    tracemalloc.start()
    with pytest.raises(FileRefused, match=f"more than {MAX_JSON_DEPTH} deep"):
        _rows(path)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 5 * 1024 * 1024


def test_json_with_text_after_its_list_or_a_number_past_any_precision(tmp_path: Path) -> None:
    """Text after the closing bracket refuses the file; 1e999999999 is read as text (it crashed the import
    and the upload page)."""
    path = tmp_path / "tail.json"
    path.write_text('[{"name": "Ali"}] [{"name": "Reza"}]', encoding="utf-8")
    with pytest.raises(FileRefused):
        _rows(path)
    path.write_text('[{"name": "Ali", "age": 1e999999999}]', encoding="utf-8")
    assert _rows(path) == [(1, {"name": "Ali", "age": "1E+999999999"})]


def test_a_column_without_a_name_is_not_mistaken_for_a_fault_of_the_row(tmp_path: Path) -> None:
    """An unnamed column between named ones (its key was the reader's own key for a row's fault: every row
    was refused, with its value as the reason) is a column like any other, mapped to nothing."""
    rows = _rows(_write(tmp_path, "blank.csv", b"name,,age\nAli,zz,20\n"))
    assert rows == [(2, {"name": "Ali", "": "zz", "age": "20"})]
    assert ROW_FAULT not in rows[0][1]


def _sheet(tmp_path: Path, rows: list[list[object]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    path = tmp_path / "sheet.xlsx"
    workbook.save(path)
    return path


def _rewrite(path: Path, change: Callable[[bytes], bytes]) -> None:
    """Change the first sheet's XML of a saved workbook, as another program might have written it."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    changed = change(parts[sheet])
    assert changed != parts[sheet]
    parts[sheet] = changed
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def test_xlsx_rows_beyond_a_wrong_stated_size_are_read(tmp_path: Path) -> None:
    """A sheet whose <dimension> says A1:B3 but holds 6 rows: all are read (2 were, silently)."""
    path = _sheet(tmp_path, [["name", "age"], *[[f"Person {n}", 20 + n] for n in range(5)]])
    _rewrite(path, lambda part: re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:B3"/>', part))
    assert [number for number, _row in _rows(path)] == [2, 3, 4, 5, 6]


def test_an_xlsx_date_with_a_time_of_day_is_read_as_its_day(tmp_path: Path) -> None:
    """A date cell typed with a time (2026-01-08 10:30) was refused as "not a date Vigil can read"."""
    import datetime as dt

    path = _sheet(tmp_path, [["name", "date"], ["Ali", dt.datetime(2026, 1, 8, 10, 30)]])  # noqa: DTZ001
    assert _rows(path) == [(2, {"name": "Ali", "date": "2026-01-08"})]


def test_an_xlsx_whose_part_unpacks_past_the_limit_is_refused(tmp_path: Path) -> None:
    """A few kilobytes of workbook can unpack to hundreds of megabytes in one cell, which the XLSX reader
    builds whole: a part larger than the file limit refuses the workbook before it is read."""
    path = _sheet(tmp_path, [["name", "notes"], ["Ali", "MARKER"]])
    _rewrite(path, lambda part: part.replace(b"MARKER", b"x" * (2 * 1024 * 1024)))
    assert path.stat().st_size < 100_000
    with (
        override_settings(VIGIL_IMPORT_MAX_BYTES=1024 * 1024),
        pytest.raises(FileRefused, match="unpacks to more than 1"),
    ):
        open_table(path)


def test_a_file_one_byte_over_the_limit_says_so_in_bytes(tmp_path: Path) -> None:
    """ "is 1.0 MB; the limit is 1.0 MB" told nothing: sizes that round alike are given in bytes."""
    path = _write(tmp_path, "over.csv", b"name\n" + b"a" * (1024 * 1024 - 4))
    with (
        override_settings(VIGIL_IMPORT_MAX_BYTES=1024 * 1024),
        pytest.raises(FileRefused, match="is 1,048,577 bytes; the limit is 1,048,576 bytes"),
    ):
        open_table(path)


def test_json_whose_first_objects_all_have_faults_says_what_they_are(tmp_path: Path) -> None:
    """It was refused as holding "no objects"."""
    path = tmp_path / "faults.json"
    path.write_text('[{"name": "Ali", "name": "Reza"}, {"tags": [1]}]', encoding="utf-8")
    with pytest.raises(
        FileRefused, match="cannot be read, so its columns are unknown: The key “name” appears"
    ):
        open_table(path)
