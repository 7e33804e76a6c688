"""Measures declared with an import: a sheet named *Mått* in the workbook, or a ``mått.csv``
(or ``matt.csv``) beside the file, with the columns of ``seeds/matt.csv``.

Read by the one reader of each format (``socdesk.io.sheets``: encodings, separators, the caps
on hostile files; CSV text cells lose the apostrophe ``socdesk.io.cells`` gave them), checked
row by row with ``core.measures.measure_from_row`` and ``validate``, and against the stored
measures with ``Measure.conflict``. Every problem names the file, row and column.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from socdesk.core.errors import ParseError
from socdesk.core.i18n import _
from socdesk.core.measures import (
    Measure,
    header_columns,
    measure_from_row,
    missing_columns,
    validate,
)
from socdesk.io.cells import csv_untext
from socdesk.io.sheets import Sheet, SheetError, read_sheets
from socdesk.io.tables import TableError
from socdesk.io.text import MAX_COUNTED

SHEET_NAMES = ("mått", "matt")  # a workbook's sheet of declarations (case aside)
FILE_NAMES = ("mått.csv", "matt.csv")  # the declarations beside an imported file


@dataclass(frozen=True)
class Declared:
    measure: Measure
    where: str  # file (and sheet) and row


def is_declaration_sheet(sheet: Sheet) -> bool:
    return sheet.name.strip().lower() in SHEET_NAMES


def looks_like_declarations(header: list[str]) -> bool:
    """A header with the declaration columns (``nyckel``, ``namn``, ``enhet`` …)."""
    return not missing_columns(header_columns(header))


def beside(path: Path) -> Path | None:
    """The declaration file in the folder of ``path`` (not ``path`` itself), if there is one."""
    found = [
        p
        for p in (path.parent / name for name in FILE_NAMES)
        if p.is_file() and p.resolve() != path.resolve()
    ]
    if len(found) > 1 and found[0].samefile(found[1]):
        found = found[:1]
    if len(found) > 1:
        raise TableError(
            [
                _("{a} och {b} finns båda bredvid {f}; behåll en av dem.").format(
                    a=found[0].name, b=found[1].name, f=path.name
                )
            ]
        )
    return found[0] if found else None


def read_declarations(data: bytes, file_name: str) -> list[Declared]:
    """The measures a declaration file (CSV or a workbook's first sheet) declares."""
    try:
        sheets = read_sheets(data, file_name)
    except SheetError as err:
        raise TableError(err.errors) from err
    chosen = next((s for s in sheets if is_declaration_sheet(s)), sheets[0])
    return declarations(chosen)


def declarations(sheet: Sheet) -> list[Declared]:
    """Every row of a sheet of declarations, each checked; all problems at once."""
    columns = header_columns(sheet.header)
    missing = missing_columns(columns)
    if missing:
        raise TableError(
            [_("{w}: kolumner saknas för mått: {c}.").format(w=sheet.where(1), c=", ".join(missing))]
        )
    out: list[Declared] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    for line, cells in sheet.rows:
        if len(errors) >= MAX_COUNTED:
            break
        row = {}
        for i, c in enumerate(columns):
            cell = cells[i] if i < len(cells) else ""
            text = str(cell).strip()
            row[c] = csv_untext(text) if not sheet.name else text
        try:
            m = measure_from_row(row, lambda column, line=line: sheet.where(line, column))
        except ParseError as err:
            errors.append(str(err))
            continue
        if m.key in seen:
            errors.append(
                _("{w}: måttet {k} deklareras redan på rad {r}.").format(
                    w=sheet.where(line, "nyckel"), k=m.key, r=seen[m.key]
                )
            )
            continue
        seen[m.key] = line
        out.append(Declared(m, sheet.where(line)))
    if errors:
        raise TableError(errors)
    return out


def check_declared(declared: list[Declared], stored: dict[str, Measure]) -> None:
    """Refuse declarations that contradict a stored measure, or whose formula names a measure
    neither stored nor declared; every problem with its file, row and column."""
    known = {**stored, **{d.measure.key: d.measure for d in declared}}
    errors: list[str] = []
    for d in declared:
        old = stored.get(d.measure.key)
        problem = old.conflict(d.measure) if old is not None else ""
        if problem:
            errors.append(f"{d.where}, {problem}")
            continue
        try:
            validate(d.measure, known, lambda column, d=d: _("{w}, kolumn {c}").format(w=d.where, c=column))
        except ParseError as err:
            errors.append(str(err))
    if errors:
        raise TableError(errors)
