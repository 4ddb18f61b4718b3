"""CSV imports, row by row (pure: text in, rows and a report out).

The file: UTF-8 (a BOM is fine; Windows-1252 from older spreadsheets is read too), the separator the
header line uses (``,``, ``;`` as spreadsheets in Indonesia write, or tab), a header line naming the
columns in any order and any capitals (known Indonesian names are accepted too), then one row per line.
Blank lines are skipped; unknown columns are ignored and listed.

What happens to each row: a row that fails validation is rejected, named by its line number with the
reason; a row repeating an earlier one exactly is a duplicate (kept once); a row repeating an earlier key
with different values is rejected (the first one wins); every other row is kept. A missing required
column refuses the whole file (400), naming the column.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import BaseModel, ValidationError

from desk.errors import InvalidInput, TooLarge
from desk.validation import field_path, field_problem

MAX_ROWS = 10_000  # what one request imports within API Gateway's 29 s; split larger files
MAX_LISTED = 1_000  # rows listed by kind in the report; the counts are always complete
DELIMITERS = (",", ";", "\t")


class _CsvLines(Protocol):
    """What :func:`csv.reader` gives: the cells of each line, and how many lines it has read."""

    line_num: int

    def __next__(self) -> list[str]: ...


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = True
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, str]


@dataclass(frozen=True)
class Rejected:
    line: int
    reason: str
    key: str = ""
    fields: dict[str, str] = field(default_factory=dict)

    def view(self) -> dict[str, Any]:
        shown: dict[str, Any] = {"line": self.line, "reason": self.reason}
        if self.key:
            shown["key"] = self.key
        if self.fields:
            shown["fields"] = self.fields
        return shown


@dataclass
class Sheet:
    rows: list[Row]
    rejected: list[Rejected]
    delimiter: str
    ignored_columns: list[str]


@dataclass
class Plan:
    """The rows to keep, by key (with the line each came from), and what was set aside."""

    records: dict[str, tuple[int, dict[str, Any]]]
    rejected: list[Rejected]
    duplicates: list[dict[str, int]]
    rows: int


def decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _header_name(value: str) -> str:
    return "_".join(value.replace("\ufeff", "").strip().lower().replace("-", " ").split())


def sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def read(text: str, columns: Sequence[Column], *, max_rows: int = MAX_ROWS) -> Sheet:
    """Split the file into rows keyed by column name; refuses a file it cannot read as a whole."""
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise _empty_file()
    first = text.lstrip("\r\n").splitlines()[0]
    delimiter = sniff_delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = _header(reader)
        mapped = _mapped_columns(header, columns)
        ignored = [header[i].strip() for i, m in enumerate(mapped) if not m and header[i].strip()]
        rows, rejected = _rows(reader, mapped, max_rows=max_rows)
    except csv.Error as error:
        raise InvalidInput(
            f"Berkas CSV tidak dapat dibaca di baris {reader.line_num}: {error}.",
            code="csv_unreadable",
            fields={"csv": f"baris {reader.line_num} tidak dapat dibaca"},
        ) from None
    return Sheet(rows=rows, rejected=rejected, delimiter=delimiter, ignored_columns=ignored)


def _empty_file() -> InvalidInput:
    return InvalidInput("Berkas CSV kosong.", code="csv_empty", fields={"csv": "berkas kosong"})


def _header(reader: Iterator[list[str]]) -> list[str]:
    """The first line with a cell that is not blank."""
    for cells in reader:
        if any(cell.strip() for cell in cells):
            return cells
    raise _empty_file() from None


def _mapped_columns(header: Sequence[str], columns: Sequence[Column]) -> list[str]:
    """The column each header cell names ("" for an unknown one); refuses a header that names a column
    twice or leaves out a required one."""
    known = {alias: c.name for c in columns for alias in (c.name, *c.aliases)}
    mapped = [known.get(_header_name(cell), "") for cell in header]
    repeated = sorted({m for m in mapped if m and mapped.count(m) > 1})
    if repeated:
        raise InvalidInput(
            "Kolom yang sama muncul dua kali di baris judul.",
            code="csv_repeated_columns",
            fields={name: "muncul dua kali di baris judul" for name in repeated},
        )
    missing = [c.name for c in columns if c.required and c.name not in mapped]
    if missing:
        raise InvalidInput(
            f"Kolom wajib tidak ada: {', '.join(missing)}.",
            code="csv_missing_columns",
            fields={name: "kolom wajib tidak ada di baris judul" for name in missing},
        )
    return mapped


def _rows(reader: _CsvLines, mapped: Sequence[str], *, max_rows: int) -> tuple[list[Row], list[Rejected]]:
    """The rows after the header, each with its line number; a row with more cells than the header is
    rejected, blank lines are skipped."""
    rows: list[Row] = []
    rejected: list[Rejected] = []
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) + len(rejected) >= max_rows:
            raise TooLarge(
                f"Satu impor paling banyak {max_rows:,} baris; bagi berkasnya.".replace(",", "."),
                code="csv_too_many_rows",
            )
        extra = [cell for cell in cells[len(mapped) :] if cell.strip()]
        if extra:
            rejected.append(Rejected(line, f"{len(cells)} kolom, baris judul punya {len(mapped)}"))
            continue
        values = {name: cells[i].strip() if i < len(cells) else "" for i, name in enumerate(mapped) if name}
        rows.append(Row(line, values))
    return rows, rejected


def row_problems(error: ValidationError) -> dict[str, str]:
    found: dict[str, str] = {}
    for each in error.errors():
        name = field_path(each.get("loc", ()), "row")
        found.setdefault(name, field_problem(each))
    return found


def plan[M: BaseModel](
    sheet: Sheet,
    model: type[M],
    *,
    key: Callable[[M], str],
    record: Callable[[M], dict[str, Any]],
    raw_key: Callable[[Mapping[str, str]], str] = lambda values: "",
) -> Plan:
    """Validate each row with ``model``; keep the first row of each key; name every other one."""
    records: dict[str, tuple[int, dict[str, Any]]] = {}
    rejected = list(sheet.rejected)
    duplicates: list[dict[str, int]] = []
    for row in sheet.rows:
        values = {k: v for k, v in row.values.items() if v != ""}  # an empty cell is an absent value
        try:
            form = model.model_validate(values)
        except ValidationError as error:
            fields = row_problems(error)
            reason = "; ".join(f"{name}: {text}" for name, text in fields.items())
            rejected.append(Rejected(row.line, reason, raw_key(row.values), fields))
            continue
        row_key, data = key(form), record(form)
        first = records.get(row_key)
        if first is None:
            records[row_key] = (row.line, data)
        elif first[1] == data:
            duplicates.append({"line": row.line, "same_as_line": first[0]})
        else:
            rejected.append(
                Rejected(row.line, f"{row_key} sudah ada di baris {first[0]} dengan isi berbeda", row_key)
            )
    rejected.sort(key=lambda r: r.line)
    return Plan(
        records=records, rejected=rejected, duplicates=duplicates, rows=len(sheet.rows) + len(sheet.rejected)
    )


def changes(
    records: Mapping[str, tuple[int, dict[str, Any]]], stored: Mapping[str, Mapping[str, Any]]
) -> tuple[list[str], list[str], list[str]]:
    """Keys to create, to update (stored with other values), and unchanged (pure)."""
    created, updated, unchanged = [], [], []
    for row_key, (_, data) in records.items():
        existing = stored.get(row_key)
        if existing is None:
            created.append(row_key)
        elif all(existing.get(name) == value for name, value in data.items()):
            unchanged.append(row_key)
        else:
            updated.append(row_key)
    return created, updated, unchanged


def report(plan_: Plan, created: int, updated: int, unchanged: int, sheet: Sheet) -> dict[str, Any]:
    return {
        "rows": plan_.rows,
        "kept": created + updated + unchanged,
        "created": created,
        "updated": updated,
        "unchanged": unchanged,
        "rejected_count": len(plan_.rejected),
        "rejected": [r.view() for r in plan_.rejected[:MAX_LISTED]],
        "duplicate_count": len(plan_.duplicates),
        "duplicates": plan_.duplicates[:MAX_LISTED],
        "delimiter": {"\t": "tab"}.get(sheet.delimiter, sheet.delimiter),
        "ignored_columns": sheet.ignored_columns,
    }
