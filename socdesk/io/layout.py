"""Sheets the way controllers lay them out (issue 14): which sheets hold the figures, which
rows form the header (title rows above it, a two-row or merged header: "2024" merged over
jan … dec, "Budget"/"Utfall" over the months), and which rows are totals ("Summa", "Totalt",
an empty label), used as a check and never read as a unit.

Pure: sheets in, sheets (and Swedish notes) out. The importer calls each step in one line, in
this order: ``shaped_sheets`` (chosen sheets, header rows) → ``sheets.visible`` (hidden cells)
→ ``profile_for`` → ``drop_totals`` → the readers of ``socdesk.io.tables``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

from socdesk.core.errors import ParseError, clip
from socdesk.core.i18n import _, n_
from socdesk.core.numbers import Scale, format_exact
from socdesk.core.values import amount_e4
from socdesk.io.sheets import Cell, Percent, Sheet, SheetError
from socdesk.io.tables import (
    HEADER_ROLES,
    SCENARIO_HEADERS,
    ColumnsError,
    Layout,
    Profile,
    Role,
    TableError,
    detect,
    header_period,
    is_total_label,
    sheet_scale,
)
from socdesk.io.text import MAX_ERRORS, duplicate_column, duplicate_message

SCAN_ROWS = 30  # a header is looked for among the first rows of a sheet
MAX_HEADER_ROWS = 3
_YEAR = re.compile(r"\d{4}")


# --- header rows -------------------------------------------------------------------------
def _text(cell: Cell) -> str:
    if isinstance(cell, Decimal):  # a year typed as a number over the months
        return f"{cell.normalize():f}" if cell == cell.to_integral_value() else f"{cell:f}"
    return " ".join(str(cell).split())


def _head_rows(sheet: Sheet) -> list[tuple[int, list[Cell]]]:
    """The header row read and the rows after it, by file row number (empty rows are absent)."""
    return [(sheet.header_row, list(sheet.header)), *sheet.rows[:SCAN_ROWS]]


def _score(header: list[str]) -> int:
    """How much a row looks like a header: columns named as ekonomisystem name them, and
    period headers (month names count too: they take the profile's year)."""
    score = 0
    for h in header:
        n = h.strip().lower()
        if not n:
            continue
        if n in HEADER_ROLES or n in ("mått", "matt", "scenario") or header_period(h, 2000) is not None:
            score += 1
    return score


def _periods(header: list[str]) -> int:
    return sum(header_period(h, None) is not None for h in header)


def header_candidates(sheet: Sheet) -> tuple[int, ...]:
    """The file rows that most likely form the header: the row that names the most columns
    among the first rows (a title row above it names none), joined with the row above or below
    it when the two together name more periods ("2024" over "jan": ``2024 jan``). The header
    the reader took (the first non-empty row) when nothing scores better."""
    rows = _head_rows(sheet)
    texts = {line: [_text(c) for c in cells] for line, cells in rows}
    best, best_score = sheet.header_row, _score(texts[sheet.header_row])
    for line, header in texts.items():
        if sum(bool(h) for h in header) >= 2 and (s := _score(header)) > best_score:
            best, best_score = line, s
    if best_score < 2:
        return (sheet.header_row,)
    chosen: tuple[int, ...] = (best,)
    unclear = duplicate_column(texts[best]) is not None  # "jan 2026" under Budget and Utfall
    for pair in ((best - 1, best), (best, best + 1)):
        if all(p in texts for p in pair):
            joined = _joined(sheet, [texts[p] for p in pair], pair)
            if duplicate_column(joined) is None and (_score(joined) > best_score or unclear):
                chosen, best_score, unclear = pair, _score(joined), False
    return chosen


def parse_header_rows(text: str) -> tuple[int, ...]:
    """Header rows as typed (``3``, ``3,4``; the CLI's --header-row and the wizard)."""
    parts = [p.strip() for p in text.replace(";", ",").split(",")]
    if not all(p.isdigit() and 0 < int(p) <= 1_048_576 for p in parts) or len(parts) > MAX_HEADER_ROWS:
        raise ParseError(
            _("Rubrikraden ”{t}” ska vara ett radnummer som 3, eller två rader som 3,4.").format(t=text)
        )
    rows = tuple(int(p) for p in parts)
    if list(rows) != sorted(set(rows)):
        raise ParseError(_("Rubrikraderna ”{t}” ska stå i ordning, t.ex. 3,4.").format(t=text))
    return rows


def header_rows(sheet: Sheet, profile: Profile | None) -> tuple[int, ...]:
    """The header rows of a sheet: the profile's (``--header-row``, the wizard), else detected."""
    return profile.header_rows if profile is not None and profile.header_rows else header_candidates(sheet)


def _joined(sheet: Sheet, rows: list[list[str]], numbers: tuple[int, ...]) -> list[str]:
    """Header rows made one: a merged cell's text fills its span; an upper row's year or
    scenario ("2024", "Budget") also carries right over empty cells where no merge is known
    (a CSV file, or a "centre across selection"); the parts are joined with a space."""
    width = max(len(r) for r in rows)
    grid = [r + [""] * (width - len(r)) for r in rows]
    for first_row, first_col, last_row, last_col in sheet.merged:
        for k, number in enumerate(numbers):
            if first_row <= number <= last_row:
                top = numbers.index(first_row) if first_row in numbers else None
                text = grid[top][first_col] if top is not None and first_col < width else ""
                for c in range(first_col, min(last_col, width - 1) + 1):
                    if not grid[k][c]:
                        grid[k][c] = text
    for k in range(len(grid) - 1):
        carried = ""
        for c in range(width):
            cell = grid[k][c]
            if cell:
                low = cell.lower()
                carried = cell if _YEAR.fullmatch(cell) or low in SCENARIO_HEADERS else ""
            elif carried and grid[-1][c]:
                grid[k][c] = carried
            else:
                carried = ""
    out = []
    for c in range(width):
        parts: list[str] = []
        for row in grid:
            if row[c] and row[c] not in parts:
                parts.append(row[c])
        out.append(" ".join(parts))
    return out


def reheader(sheet: Sheet, rows: tuple[int, ...]) -> Sheet:
    """The sheet with its header read from the file rows ``rows`` (one, or several joined:
    ``_joined``); rows above the header are titles, not data, and are left out."""
    if not rows or rows == (sheet.header_row,):
        return sheet
    if len(rows) > MAX_HEADER_ROWS or list(rows) != sorted(set(rows)):
        raise SheetError(
            [
                _(
                    "{w}: rubrikraderna {r} går inte att använda: ange en till tre rader i ordning, "
                    "t.ex. 3 eller 3,4."
                ).format(w=sheet.where(rows[0] if rows else 1), r=",".join(map(str, rows)))
            ]
        )
    found = {line: cells for line, cells in _head_rows(sheet) if line in rows}
    if len(found) < len(rows) and rows[-1] > sheet.header_row:
        found.update({line: cells for line, cells in sheet.rows if line in rows and line not in found})
    missing = [r for r in rows if r not in found]
    if missing:
        raise SheetError(
            [
                _(
                    "{w}: raden är tom och kan inte vara rubrikrad; rubrikraden verkar vara rad {d}: "
                    "använd --header-row {d}."
                ).format(w=sheet.where(missing[0]), d=",".join(map(str, header_candidates(sheet))))
            ]
        )
    header = _joined(sheet, [[_text(c) for c in found[r]] for r in rows], rows)
    twice = duplicate_column(header)
    if twice:
        raise SheetError([f"{sheet.where(rows[-1])}: {duplicate_message(twice)}"])
    last = rows[-1]
    data = [(line, cells) for line, cells in sheet.rows if line > last]
    titles = tuple(t for line, cells in _head_rows(sheet) if line < rows[0] for c in cells if (t := _text(c)))
    return dataclasses.replace(sheet, header=header, rows=data, header_row=last, titles=titles)


@contextmanager
def header_hint(sheet: Sheet, profile: Profile | None) -> Iterator[None]:
    """A sheet whose columns are not found: its errors start with the option that fixes a
    wrong header row (the row that looks like one, if the one used does not)."""
    try:
        yield
    except ColumnsError as err:
        if not sheet.name:
            raise  # a CSV file's header is its first line
        used = profile.header_rows if profile is not None and profile.header_rows else (sheet.header_row,)
        detected = header_candidates(sheet)
        if detected != used and detected != (sheet.header_row,):
            d = ",".join(map(str, detected))
            hint = _(
                "{w}: rubrikraden verkar vara rad {d}: använd --header-row {d} (eller välj den i guiden)."
            )
            hint = hint.format(w=sheet.where(detected[0]), d=d)
        else:
            hint = _(
                "{w}: rubriken lästes från rad {u}; är det en annan rad, använd --header-row N "
                "(två rader: N,M) eller välj rubrikraderna i guiden."
            ).format(w=sheet.where(sheet.header_row), u=",".join(map(str, used)))
        raise TableError([hint, *err.errors], err.total + 1) from err


# --- sheets --------------------------------------------------------------------------------
def _has_figures(sheet: Sheet) -> bool:
    for _line, cells in sheet.rows:
        for c in cells:
            if isinstance(c, Decimal):
                return True
            if isinstance(c, str) and c.strip() and any(ch.isdigit() for ch in c):
                try:
                    amount_e4(c)
                    return True
                except ParseError:
                    continue
    return False


def shaped_sheets(sheets: list[Sheet], profile: Profile | None) -> tuple[list[Sheet], list[str]]:
    """The sheets to read, each with its header rows (``reheader``), and notes on the others:
    the profile's sheets (``--sheet``) if it names any, else every visible sheet that holds
    figures and has a unit column; a workbook where no sheet qualifies keeps its sheets (their
    reader says what is missing). Hidden sheets are left out before (``sheets.shown_sheets``)."""
    notes: list[str] = []
    if profile is not None and profile.sheets and any(s.name for s in sheets):  # a CSV file has one
        by_name = {s.name: s for s in sheets}
        unknown = [n for n in profile.sheets if n not in by_name]
        if unknown:
            names = ", ".join(f"”{s.name}”" for s in sheets) or _("inga")
            raise SheetError(
                [
                    _(
                        "{f}: bladet ”{s}” finns inte (bladen med innehåll: {n}); ändra --sheet "
                        "(ett dolt blad läses med --include-hidden)."
                    ).format(f=sheets[0].file_name if sheets else "", s=u, n=names)
                    for u in unknown
                ]
            )
        for s in sheets:
            if s.name not in profile.sheets:
                notes.append(_("Blad ”{s}” lästes inte (inte valt).").format(s=s.name))
        return [reheader(by_name[n], header_rows(by_name[n], profile)) for n in profile.sheets], notes
    data: list[Sheet] = []
    skipped: list[str] = []
    shaped: list[Sheet] = []
    for raw in sheets:  # hidden ones: sheets.shown_sheets
        if raw.name and not _has_figures(raw):  # before its header rows: --header-row is for the data
            skipped.append(_("Blad ”{s}” har inga siffror och lästes inte.").format(s=raw.name))
            shaped.append(raw)
            continue
        s = reheader(raw, header_rows(raw, profile))
        shaped.append(s)
        if not s.name:
            data.append(s)
        elif not _has_figures(s):
            skipped.append(_("Blad ”{s}” har inga siffror och lästes inte.").format(s=s.name))
        elif not _has_unit_column(s, profile):
            skipped.append(
                _(
                    "Blad ”{s}” har ingen kolumn för enhet (ansvar, verksamhet …) och lästes inte; "
                    "välj det med --sheet ”{s}” eller i guiden om det ska läsas."
                ).format(s=s.name)
            )
        else:
            data.append(s)
    if not data:
        return shaped, notes
    return data, notes + skipped


def _has_unit_column(sheet: Sheet, profile: Profile | None) -> bool:
    p = profile_for(sheet, profile)
    return p.layout is Layout.LONG or Role.UNIT in {p.columns.get(h) for h in sheet.header}


def profile_for(sheet: Sheet, chosen: Profile | None) -> Profile:
    """How to read a sheet: a saved or mapped profile as it is (it names its columns), else the
    profile detected from the sheet's headers with the options chosen beside it (``--sheet``,
    ``--header-row``, ``--costs-negative``)."""
    if chosen is None:
        return detect(sheet)
    if chosen.columns or chosen.name:
        return chosen
    found = detect(sheet, chosen.year)
    return dataclasses.replace(
        found,
        negate=chosen.negate,
        sheets=chosen.sheets,
        header_rows=chosen.header_rows,
        include_hidden=chosen.include_hidden,
    )


def scale_note(sheet: Sheet, p: Profile, chosen: Profile | None) -> str | None:
    """What the summary says when the amounts are read in the scale the file states (a saved or
    mapped profile states its own, and is not remarked on)."""
    if chosen is not None and (chosen.columns or chosen.name):
        return None
    stated = sheet_scale(sheet)
    if stated is None or stated[0] is not p.scale or p.scale is Scale.KR:
        return None
    where = sheet.where(1).rsplit(",", 1)[0]
    return _("{w}: beloppen lästes i {s}, som filen anger (”{t}”).").format(
        w=where, s=p.scale.label, t=clip(stated[1])
    )


# --- total rows ------------------------------------------------------------------------------
def _amount(cell: Cell) -> Decimal | None:
    if isinstance(cell, Percent):
        return None
    if isinstance(cell, Decimal):
        return cell
    text = str(cell).strip()
    if not text:
        return None
    try:
        return Decimal(amount_e4(text)) / 10_000
    except ParseError:
        return None


def _total_lines(
    rows: list[tuple[int, list[Cell]]], unit: int, name: int | None, period: int | None, *, wide: bool
) -> dict[int, bool]:
    """The file rows that may be totals (``drop_totals``), each with whether a label says so.
    A ledger can have a million rows but a few hundred distinct units: each column's distinct
    texts are judged once, and the rows are walked only if one of them is a label or empty."""

    def column(i: int) -> list[Cell]:
        return [cells[i] if i < len(cells) else "" for _line, cells in rows]

    def blank(c: Cell) -> bool:
        return isinstance(c, str) and not c.strip()

    labelled = [unit, 0] + ([name] if name is not None else [])
    other = name if wide else period  # must be empty too for an unlabelled total
    columns = {i: column(i) for i in {*labelled, *([other] if other is not None else [])}}
    labels = {i: {c for c in set(columns[i]) if is_total_label(c)} for i in labelled}
    blanks = {c for c in set(columns[unit]) if blank(c)}
    if not any(labels.values()) and not blanks:
        return {}
    found: dict[int, bool] = {}
    for k, (line, _cells) in enumerate(rows):
        if any(columns[i][k] in labels[i] for i in labelled if labels[i]):
            found[line] = True
        elif columns[unit][k] in blanks and (other is None or blank(columns[other][k])):
            found[line] = False
    return found


def _exact(number: Decimal) -> str:
    return format_exact(number.normalize() if number == number.to_integral_value() else number)


def _columns(sheet: Sheet, profile: Profile) -> dict[Role, int]:
    out: dict[Role, int] = {}
    for i, h in enumerate(sheet.header):
        role = profile.columns.get(h, Role.IGNORE)
        if role is not Role.IGNORE and role not in out:
            out[role] = i
    return out


def drop_totals(sheet: Sheet, profile: Profile, notes: list[str]) -> Sheet:
    """The sheet without its total rows, which are checked against the rows above them: a
    total that agrees is noted once; one that disagrees is noted per row and column with both
    sums. Noted, not refused: the total is not imported, so it cannot make a stored figure
    wrong, and it may count rows the file does not hold (a hidden row left out, a unit of
    another sheet); the note is shown before anything is written.

    Wide: a row whose unit or name is a total label, or whose unit and name are both empty,
    compared column by column for every period column. Ledger: a row whose unit (or first)
    cell is a total label, or whose unit and period are both empty, compared on the amount. A
    total may close a group (``Summa hemtjänst``) or the whole sheet: it agrees if it equals
    the rows since the previous total, or all rows above. A row without a label is a total only
    if it agrees; otherwise it stays data, and its reader refuses the missing unit code (it may
    be a row whose code was forgotten)."""
    if profile.layout is Layout.LONG or not sheet.rows:
        return sheet
    cols = _columns(sheet, profile)
    unit = cols.get(Role.UNIT)
    if unit is None:
        return sheet
    name = cols.get(Role.NAME)
    if profile.layout is Layout.WIDE:
        checked = [i for i, h in enumerate(sheet.header) if header_period(h, profile.year) is not None]
    else:
        if Role.AMOUNT not in cols:
            return sheet
        checked = [cols[Role.AMOUNT]]
    period = cols.get(Role.PERIOD)

    def cell(cells: list[Cell], i: int | None) -> Cell:
        return cells[i] if i is not None and i < len(cells) else ""

    candidates = _total_lines(sheet.rows, unit, name, period, wide=profile.layout is Layout.WIDE)
    if not candidates:
        return sheet
    total_lines: set[int] = set()
    block = dict.fromkeys(checked, Decimal(0))
    above = dict.fromkeys(checked, Decimal(0))
    agreeing, disagreeing = [], []
    for line, cells in sheet.rows:
        wrong, stated = [], False
        if line in candidates:
            amounts = {i: v for i in checked if (v := _amount(cell(cells, i))) is not None}
            wrong = [i for i, v in amounts.items() if v not in (block[i], above[i])]
            stated = bool(amounts)
        if line not in candidates or (not candidates[line] and (wrong or not stated)):
            # data, or a row without a label that states no sum of the rows above: the reader
            # judges it (a unit code missing is an error there)
            for i in checked:
                v = _amount(cell(cells, i))
                if v is not None:
                    block[i] += v
                    above[i] += v
            continue
        total_lines.add(line)
        for i in wrong[:MAX_ERRORS]:
            stated = _amount(cell(cells, i))
            assert stated is not None
            notes.append(
                _("{w}: summaraden anger {s}, raderna ovanför summerar till {r} (skillnad {d}).").format(
                    w=sheet.where(line, i), s=_exact(stated), r=_exact(block[i]), d=_exact(stated - block[i])
                )
            )
        (disagreeing if wrong else agreeing).append(line)
        block = dict.fromkeys(checked, Decimal(0))
    if agreeing:
        rows = ", ".join(map(str, agreeing[:MAX_ERRORS])) + (" …" if len(agreeing) > MAX_ERRORS else "")
        notes.append(
            n_(
                "{w}: rad {r} är en summarad; den lästes inte in som enhet och stämmer med raderna ovanför.",
                "{w}: raderna {r} är summarader; de lästes inte in som enheter och stämmer med "
                "raderna ovanför.",
                len(agreeing),
            ).format(w=sheet.where(agreeing[0]).rsplit(",", 1)[0], r=rows)
        )
    if disagreeing:
        notes.append(
            n_(
                "{n} summarad stämmer inte med raderna ovanför (se ovan); den lästes inte in som enhet.",
                "{n} summarader stämmer inte med raderna ovanför (se ovan); de lästes inte in som enheter.",
                len(disagreeing),
            ).format(n=len(disagreeing))
        )
    return dataclasses.replace(sheet, rows=[(line, c) for line, c in sheet.rows if line not in total_lines])
