"""Reading the files documenters send (CSV, XLSX, JSON) one row at a time, so memory stays bounded
whatever the size of the file, and refusing whole files that cannot be read faithfully.

A refused file (``FileRefused``) is refused before anything is written: imports scan the whole file first.
Row numbers are the ones a spreadsheet shows: the header is row 1, the first record row 2. In JSON, the
first object is row 1.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import decimal
import io
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
# A cell longer than this is almost always a missing closing quote swallowing the rest of the file.
MAX_CELL_CHARS = 1024 * 1024
_SAMPLE_BYTES = 64 * 1024
_SNIFF_ROWS = 50
DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "“,” (comma)", ";": "“;” (semicolon)", "\t": "a tab", "|": "“|” (bar)"}

_MAGIC = (
    (b"PK\x03\x04", "zip"),
    (b"\xd0\xcf\x11\xe0", "xls"),
    (b"%PDF", "pdf"),
    (b"\x89PNG", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"GIF8", "image"),
)
# The key under which a reader reports a fault of the row itself rather than of one cell: no column can be
# named so (a text file holding NUL is refused as binary; XML, hence XLSX, cannot hold it).
ROW_FAULT = "\x00row"
# JSON nested deeper than this is refused at once: rows are flat objects, and the parser's work and memory
# grow with the depth.
MAX_JSON_DEPTH = 32


class FileRefused(ValidationError):
    """The file as a whole cannot be imported; nothing of it is."""


def max_bytes() -> int:
    """The largest file accepted, read when called (never at import time)."""
    return int(getattr(settings, "VIGIL_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


@dataclass
class Table:
    """An opened file: its format, how it was decoded, its column names; ``rows()`` streams the records."""

    path: Path
    format: str
    header: list[str]
    encoding: str = ""
    delimiter: str = ""
    notices: list[str] = field(default_factory=list)

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        """Each record as (row number, column → text). Raises ``FileRefused`` for a fault found late."""
        if self.format == "csv":
            return _csv_rows(self)
        if self.format == "xlsx":
            return _xlsx_rows(self)
        return _json_rows(self)


def open_table(path: Path, *, file_name: str | None = None) -> Table:
    """Open a CSV, XLSX or JSON file for import, checking what can be checked without reading it all."""
    name = file_name or path.name
    size = path.stat().st_size
    refuse_too_large(name, size)
    if size == 0:
        raise FileRefused(_("“%(name)s” is empty."), code="empty", params={"name": name})
    with path.open("rb") as handle:
        head = handle.read(_SAMPLE_BYTES)
    suffix = Path(name).suffix.lower()
    kind = next((kind for magic, kind in _MAGIC if head.startswith(magic)), "")
    if suffix == ".xlsx" or (kind == "zip" and suffix not in (".csv", ".tsv", ".txt", ".json")):
        return _open_xlsx(path, name, head)
    _refuse_binary(name, suffix, head, kind)
    if suffix == ".json":
        return _open_json(path, name, head)
    return _open_csv(path, name, head)


def refuse_too_large(name: str, size: int) -> None:
    limit = max_bytes()
    if size > limit:
        shown, most = filesizeformat(size), filesizeformat(limit)
        if shown == most:  # "200.0 MB; the limit is 200.0 MB" for a byte too many
            shown, most = _("%s bytes") % f"{size:,}", _("%s bytes") % f"{limit:,}"
        raise FileRefused(
            _(
                "“%(name)s” is %(size)s; the limit is %(limit)s. Split it into smaller files, or ask an "
                "administrator to raise VIGIL_IMPORT_MAX_BYTES."
            ),
            code="too_large",
            params={"name": name, "size": shown, "limit": most},
        )


def _refuse_binary(name: str, suffix: str, head: bytes, kind: str) -> None:
    hints = {
        "zip": _(
            "“%(name)s” is a ZIP or Excel (.xlsx) file, not %(format)s; upload it with the .xlsx ending."
        ),
        "xls": _("“%(name)s” is an old Excel (.xls) file; save it as .xlsx or as CSV UTF-8 and upload that."),
        "pdf": _("“%(name)s” is a PDF document, not %(format)s; Vigil cannot read tables from a PDF."),
        "image": _("“%(name)s” is an image, not %(format)s."),
    }
    expected = "JSON" if suffix == ".json" else "CSV"
    if kind:
        raise FileRefused(hints[kind], code="binary", params={"name": name, "format": expected})
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return
    text_sample = head.replace(b"\t", b"").replace(b"\r", b"").replace(b"\n", b"").replace(b"\x0c", b"")
    controls = sum(1 for byte in text_sample if byte < 0x20 or byte == 0x7F)
    if b"\x00" in head or controls > len(head) / 100:
        raise FileRefused(
            _(
                "“%(name)s” is a binary file, not %(format)s text (it holds control bytes). If it is a "
                "spreadsheet, save it as CSV UTF-8 or XLSX."
            ),
            code="binary",
            params={"name": name, "format": expected},
        )


def _encoded_sample(path: Path, head: bytes) -> bytes:
    """What the encoding is told from: the start of the file, or, when that is plain ASCII (every encoding
    reads it alike), the lines from the first byte that is not: a Windows-1256 list whose first hundreds of
    rows are Latin was refused as mixing encodings."""
    if not head.isascii():
        return head
    with path.open("rb") as handle:
        offset = 0
        while chunk := handle.read(_SAMPLE_BYTES):
            found = (
                next((i for i, byte in enumerate(chunk) if byte > 0x7F), None)
                if not chunk.isascii()
                else None
            )
            if found is not None:
                line = chunk.rfind(b"\n", 0, found) + 1
                handle.seek(offset + line)
                return handle.read(_SAMPLE_BYTES)
            offset += len(chunk)
    return head


def _detect_encoding(name: str, head: bytes) -> tuple[str, list[str]]:
    """UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark, else Windows-1256 (what
    Persian Windows and older Excel save) when the text reads as Persian or Arabic in it."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", []
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", []
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8", []
    sample = head.decode("cp1256", errors="replace")
    # Persian in Windows-1256 decodes to Arabic letters only; Latin-1 accents would give a mixture.
    beyond_ascii = [char for char in sample if ord(char) > 127 and not char.isspace()]
    arabic = sum(1 for char in beyond_ascii if unicodedata.name(char, "").startswith("ARABIC"))
    if beyond_ascii and arabic >= 0.9 * len(beyond_ascii):
        return "cp1256", [
            _(
                "“%(name)s” is not UTF-8; it was read as Windows-1256 (Persian/Arabic Windows). Check that the "
                "names in the dry run read correctly; saving the file as CSV UTF-8 avoids this guess."
            )
            % {"name": name}
        ]
    raise FileRefused(
        _(
            "“%(name)s” is not UTF-8 text, nor Persian text in Windows-1256. Save it from the spreadsheet "
            "as “CSV UTF-8” and upload it again."
        ),
        code="encoding",
        params={"name": name},
    )


def _open_text(table: Table) -> IO[str]:
    return table.path.open("r", encoding=table.encoding, newline="", errors="strict")


def _open_csv(path: Path, name: str, head: bytes) -> Table:
    encoding, notices = _detect_encoding(name, _encoded_sample(path, head))
    table = Table(path=path, format="csv", header=[], encoding=encoding, notices=notices)
    with _open_text(table) as handle:
        try:
            sample = handle.read(_SAMPLE_BYTES)
        except UnicodeDecodeError as error:
            raise _decode_refusal(name, encoding, error) from error
    if len(sample) == _SAMPLE_BYTES and "\n" in sample:
        sample = sample[: sample.rindex("\n") + 1]  # whole lines only
    table.delimiter = _sniff_delimiter(name, sample)
    first = next(csv.reader(io.StringIO(sample), delimiter=table.delimiter), [])
    table.header = checked_header(name, first)
    return table


def _sniff_delimiter(name: str, sample: str) -> str:
    """The separator that splits the header and the sampled rows into the same number of columns.

    A file whose rows use two separators (a spreadsheet pasted into another) is refused: reading it with
    either would shift values into the wrong columns.
    """
    candidates: list[tuple[bool, int, int, str]] = []
    for delimiter in DELIMITERS:
        try:
            records = [
                r for r in _take(csv.reader(io.StringIO(sample), delimiter=delimiter), _SNIFF_ROWS) if r
            ]
        except csv.Error:
            continue
        if not records or len(records[0]) < 2:
            continue
        width = len(records[0])
        agreeing = sum(1 for record in records if len(record) == width)
        candidates.append((agreeing == len(records), width, agreeing, delimiter))
    if not candidates:
        return ","  # one column: nothing to split
    consistent = [candidate for candidate in candidates if candidate[0]]
    if consistent:
        return max(consistent, key=lambda candidate: candidate[1])[3]
    # No separator splits every sampled row alike: take the one that splits most rows like the header and
    # say which row breaks the pattern.
    delimiter = max(candidates, key=lambda candidate: (candidate[2], candidate[1]))[3]
    records = [r for r in _take(csv.reader(io.StringIO(sample), delimiter=delimiter), _SNIFF_ROWS) if r]
    width = len(records[0])
    for number, record in enumerate(records[1:], start=2):
        if len(record) != width:
            refuse_mixed_delimiters(name, delimiter, number, record, width)
    return delimiter


def refuse_mixed_delimiters(name: str, delimiter: str, number: int, record: list[str], width: int) -> None:
    """Raise when a row with the wrong number of values splits correctly with another separator."""
    joined = delimiter.join(record)
    for other in DELIMITERS:
        if other != delimiter and len(next(csv.reader([joined], delimiter=other), [])) == width:
            raise FileRefused(
                _(
                    "“%(name)s” mixes separators: the header is separated by %(first)s but row %(row)s by "
                    "%(second)s. Save the file again from the spreadsheet so that every row uses one."
                ),
                code="mixed_delimiters",
                params={
                    "name": name,
                    "first": _DELIMITER_NAMES[delimiter],
                    "second": _DELIMITER_NAMES[other],
                    "row": number,
                },
            )


def _take(rows: Iterator[list[str]], count: int) -> list[list[str]]:
    taken = []
    for row in rows:
        taken.append(row)
        if len(taken) >= count:
            break
    return taken


def checked_header(name: str, cells: list[Any]) -> list[str]:
    """Column names, trimmed; an empty header or one name twice refuses the file (a mapping could not
    tell the two columns apart, and one of them would be silently lost)."""
    header = [" ".join(str(cell if cell is not None else "").replace("\ufeff", "").split()) for cell in cells]
    while header and not header[-1]:
        header.pop()
    if not header:
        raise FileRefused(
            _("The first row of “%(name)s” is empty; it must hold the column names."),
            code="no_header",
            params={"name": name},
        )
    seen: dict[str, int] = {}
    for position, column in enumerate(header, start=1):
        if not column:
            continue
        key = column.casefold()
        if key in seen:
            raise FileRefused(
                _(
                    "Columns %(first)s and %(second)s of “%(name)s” are both named “%(column)s”; rename one "
                    "so that the mapping can tell them apart."
                ),
                code="duplicate_header",
                params={"first": seen[key], "second": position, "name": name, "column": column},
            )
        seen[key] = position
    return header


def _decode_refusal(
    name: str, encoding: str, error: UnicodeDecodeError, row: int | None = None
) -> FileRefused:
    where = _("after row %(row)s") % {"row": row} if row else _("near the start")
    return FileRefused(
        _(
            "“%(name)s” is not valid %(encoding)s %(where)s (the file mixes encodings). Save the whole file "
            "as “CSV UTF-8” and upload it again."
        ),
        code="encoding",
        params={"name": name, "encoding": encoding.upper().replace("CP", "Windows-"), "where": where},
    )


def _csv_rows(table: Table) -> Iterator[tuple[int, dict[str, str]]]:
    csv.field_size_limit(MAX_CELL_CHARS)
    name = table.path.name
    width = len(table.header)
    number = 1
    with _open_text(table) as handle:
        reader = csv.reader(handle, delimiter=table.delimiter)
        try:
            next(reader)  # the header, already read
            for record in reader:
                number += 1
                if not any(cell.strip() for cell in record):
                    continue
                if len(record) > width and not any(cell.strip() for cell in record[width:]):
                    record = record[:width]  # trailing empty cells a spreadsheet added
                if len(record) != width:
                    refuse_mixed_delimiters(name, table.delimiter, number, record, width)
                    yield number, {ROW_FAULT: _wrong_width(len(record), width)}
                    continue
                yield number, dict(zip(table.header, record, strict=True))
        except UnicodeDecodeError as error:
            raise _decode_refusal(name, table.encoding, error, number - 1) from error
        except csv.Error as error:
            raise FileRefused(
                _(
                    "Row %(row)s of “%(name)s” cannot be read (%(error)s). A cell longer than a million "
                    "characters usually means a missing closing quote."
                ),
                code="unreadable_row",
                params={"row": number + 1, "name": name, "error": error},
            ) from error


def _wrong_width(found: int, width: int) -> str:
    return _("This row has %(found)s values but the header has %(width)s columns.") % {
        "found": found,
        "width": width,
    }


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()  # a date cell typed with a time of day: the day is what is imported
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, decimal.Decimal):
        try:
            return str(value.normalize()) if value == value.to_integral_value() else str(value)
        except decimal.DecimalException:  # 1e999999999: beyond what the context can round
            return str(value)
    return str(value)


def _open_xlsx(path: Path, name: str, head: bytes) -> Table:
    if not head.startswith(b"PK\x03\x04"):
        raise FileRefused(
            _("“%(name)s” is not an XLSX workbook; save it from the spreadsheet as .xlsx or CSV UTF-8."),
            code="binary",
            params={"name": name},
        )
    header_cells = next(_xlsx_records(path, name), None)
    if header_cells is None:
        raise FileRefused(
            _("The first sheet of “%(name)s” is empty."), code="no_header", params={"name": name}
        )
    return Table(path=path, format="xlsx", header=checked_header(name, list(header_cells)))


def _xlsx_records(path: Path, name: str) -> Iterator[tuple[Any, ...]]:
    """The rows of the first sheet, streamed (openpyxl's read-only mode never holds the sheet whole).
    Formulas come as their text ("=SUM(A1:A3)") so that they are refused, not silently evaluated."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        _refuse_inflated(path, name)
        workbook = load_workbook(path, read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
        raise FileRefused(
            _("“%(name)s” is not a readable XLSX workbook (%(error)s)."),
            code="unreadable",
            params={"name": name, "error": error},
        ) from error
    try:
        sheet = workbook.worksheets[0]
        # The sheet's stated size (<dimension>) is what the program that saved it claims, and read-only mode
        # believes it: rows beyond a wrong one were silently left out. Read the rows the sheet holds.
        sheet.reset_dimensions()
        yield from sheet.iter_rows(values_only=True)
    finally:
        workbook.close()


def _refuse_inflated(path: Path, name: str) -> None:
    """Refuse a workbook one of whose parts unpacks to more than the largest file accepted: a few hundred
    kilobytes can hold a cell of hundreds of megabytes, which the XLSX reader would build whole."""
    limit = max_bytes()
    with zipfile.ZipFile(path) as archive:
        for member in archive.infolist():
            if member.file_size > limit:
                raise FileRefused(
                    _(
                        "“%(name)s” unpacks to more than %(limit)s (its part “%(part)s” alone is %(size)s); "
                        "split it into smaller files."
                    ),
                    code="too_large",
                    params={
                        "name": name,
                        "limit": filesizeformat(limit),
                        "part": member.filename,
                        "size": filesizeformat(member.file_size),
                    },
                )


def _xlsx_rows(table: Table) -> Iterator[tuple[int, dict[str, str]]]:
    width = len(table.header)
    for number, cells in enumerate(_xlsx_records(table.path, table.path.name), start=1):
        if number == 1:
            continue
        texts = [_cell_text(cell) for cell in cells]
        if not any(text.strip() for text in texts):
            continue
        if any(len(text) > MAX_CELL_CHARS for text in texts):
            yield number, {ROW_FAULT: _("A cell of this row holds more than a million characters.")}
            continue
        if len(texts) > width and any(text.strip() for text in texts[width:]):
            yield number, {ROW_FAULT: _("This row has values beyond the last named column.")}
            continue
        texts = (texts + [""] * width)[:width]
        yield number, dict(zip(table.header, texts, strict=True))


def _open_json(path: Path, name: str, head: bytes) -> Table:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileRefused(
            _("“%(name)s” is UTF-16; JSON files must be UTF-8."), code="encoding", params={"name": name}
        )
    table = Table(path=path, format="json", header=[], encoding="utf-8")
    columns: dict[str, None] = {}
    first_fault = ""
    for number, row in _json_rows(table):
        columns.update(dict.fromkeys(key for key in row if key != ROW_FAULT))
        first_fault = first_fault or row.get(ROW_FAULT, "")
        if number >= 100:
            break
    if not columns and first_fault:
        raise FileRefused(
            _("The first objects of “%(name)s” cannot be read, so its columns are unknown: %(fault)s"),
            code="no_header",
            params={"name": name, "fault": first_fault},
        )
    if not columns:
        raise FileRefused(
            _("“%(name)s” holds no objects; it must be a list of objects, one per row."),
            code="no_header",
            params={"name": name},
        )
    table.header = list(columns)
    return table


def _json_rows(table: Table) -> Iterator[tuple[int, dict[str, str]]]:
    """A top-level list of flat objects, parsed as a stream of events (ijson): memory holds one object."""
    import ijson

    name = table.path.name
    number = 0
    with table.path.open("rb") as handle:
        if handle.read(3) != codecs.BOM_UTF8:
            handle.seek(0)
        # Events without their path (ijson.parse builds the path of every event, whose length grows with
        # the depth: a 400 KB file of nested brackets took gigabytes).
        events = ijson.basic_parse(handle)
        try:
            event, _value = next(events)
            if event != "start_array":
                raise FileRefused(
                    _("“%(name)s” must be a JSON list of objects, one per row."),
                    code="not_a_list",
                    params={"name": name},
                )
            for event, _value in events:
                if event == "end_array":  # the list's own end: every item is read whole below
                    for _trailing in events:
                        raise FileRefused(
                            _("“%(name)s” goes on after the end of its list."),
                            code="malformed",
                            params={"name": name},
                        )
                    return
                number += 1
                if event != "start_map":
                    _skip_value(events, event, name)
                    yield number, {ROW_FAULT: _("This item is not an object of column → value.")}
                    continue
                yield number, _json_object(events, name)
        except ijson.JSONError as error:
            raise FileRefused(
                _("“%(name)s” is not valid JSON after row %(row)s (%(error)s)."),
                code="malformed",
                params={"name": name, "row": number, "error": error},
            ) from error


def _json_object(events: Iterator[tuple[str, Any]], name: str) -> dict[str, str]:
    row: dict[str, str] = {}
    fault = ""
    key = ""
    for event, value in events:
        if event == "end_map":
            break
        if event == "map_key":
            key = str(value)
            if key in row and not fault:
                fault = _("The key “%(key)s” appears twice in this object.") % {"key": key}
            continue
        if event in ("start_map", "start_array"):
            _skip_value(events, event, name, depth=2)
            fault = fault or _("“%(key)s” holds a list or object; only plain values can be imported.") % {
                "key": key
            }
            continue
        row[key] = _cell_text(value)
    if fault:
        return {ROW_FAULT: fault}
    return row


def _skip_value(events: Iterator[tuple[str, Any]], event: str, name: str, *, depth: int = 1) -> None:
    """Read past a value that cannot be a row or a cell; ``depth``: how deep it starts in the file."""
    nested = 1 if event in ("start_map", "start_array") else 0
    while nested:
        inner, _value = next(events)
        if inner in ("start_map", "start_array"):
            nested += 1
            if depth + nested > MAX_JSON_DEPTH:
                raise FileRefused(
                    _(
                        "“%(name)s” nests lists or objects more than %(depth)s deep; rows must be flat objects."
                    ),
                    code="too_deep",
                    params={"name": name, "depth": MAX_JSON_DEPTH},
                )
        elif inner in ("end_map", "end_array"):
            nested -= 1
