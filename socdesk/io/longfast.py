"""The long CSV's fast path: a clean file (docs/long-csv.md) read at C speed into the same
``ParsedFile`` as ``longcsv.parse_long_rows``, which reads everything this declines.

pandas' C parser reads every column but the values as text, and each column's distinct texts
are checked once (units, periods, measures, scenarios, scales, kön) by the functions the
row-by-row path calls; the values are cut from the file's bytes and read by the one amount
grammar by shape (``tables._amounts_e4``, as the ledger's fast path), their resolution from
where the decimal sign stands. Anything unusual – quotes, an apostrophe, blank lines, a row
with another number of fields, a column the long layout lacks, a cell either path would
refuse, two rows of one figure – returns None: the row-by-row path then reads the file and
names every bad cell (file, row, column). tests/test_longcsv_fast.py holds the two equal.
"""

from __future__ import annotations

import io
from array import array

from socdesk.core.errors import ParseError
from socdesk.core.facts import GENDERS, Scenario
from socdesk.core.measures import Measure
from socdesk.core.numbers import Scale, bound_scaled
from socdesk.core.periods import Period, parse_period
from socdesk.core.units import Unit, UnitTree
from socdesk.core.values import STORE_DECIMALS, Status
from socdesk.io.longcsv import COLUMNS, ParsedFile, _normalise_header, unit_row
from socdesk.io.tables import _amounts_e4, _column_cells
from socdesk.io.text import MAX_FIELD_CHARS, duplicate_column

_UNIT_COLUMNS = ("namn", "överordnad", "därav")
_FIGURE_COLUMNS = ("period", "mått", "scenario")
_STATUSES = {ord(s.value): s.value for s in Status if s is not Status.VALUE}


_CHUNK = 65_536  # figure rows made into tuples at a time


def fast_long_rows(
    text: str,
    separator: str,
    file_name: str,
    sha256: str,
    tree: UnitTree,
    measures: dict[str, Measure],
    *,
    costs_negative: bool = False,
) -> ParsedFile | None:
    """``parse_long_rows`` of a clean long CSV (``text`` decoded, ``separator`` sniffed), or
    None for anything the row-by-row path should read (it names what is wrong), and where
    pandas is missing (the row-by-row path needs none; the ledger's reader does, and says so)."""
    try:
        import numpy as np
        import pandas as pd
    except ImportError:
        return None

    kept = text.rstrip("\r\n")  # blank lines at the end (a file sent again with one more) are no rows
    end = text[len(kept) :]
    if end not in ("", "\n", "\r\n"):
        text = kept + end[: 2 if end.startswith("\r\n") else 1]
    body = text.replace("\r\n", "\n")
    if '"' in text or "'" in text or "\ufeff" in text or "\r" in body or "\n\n" in body.strip("\n"):
        return None
    del body  # a copy of the file: what follows holds as little as it can (issue 15: ≤ 500 MB at 1 M rows)
    raw_header = text.split("\n", 1)[0].rstrip("\r").split(separator)
    columns = [_normalise_header(h) for h in raw_header]
    if set(columns) - set(COLUMNS) or duplicate_column(columns) or not {"enhet", "värde"} <= set(columns):
        return None  # the row-by-row path names the column (or reads the scaled value columns)
    value_at = columns.index("värde")
    try:
        frame = pd.read_csv(
            io.BytesIO(text.encode("utf-8")),  # the C parser's own bytes: not a 4-byte-per-character copy
            sep=separator,
            encoding="utf-8",
            # text, never a float; and each column's distinct texts made once, with a code per row,
            # not a Python string per cell (a million rows × seven columns)
            dtype="category",
            usecols=[i for i in range(len(columns)) if i != value_at],
            keep_default_na=False,
            na_filter=False,
            engine="c",
            skip_blank_lines=False,
        )
    except (ValueError, pd.errors.ParserError):
        return None
    n = len(frame)
    cells = _column_cells(text, separator, raw_header, raw_header[value_at], n)
    if cells is None or len(frame.columns) != len(columns) - 1:
        return None  # a row with another number of fields
    named = [c for i, c in enumerate(columns) if i != value_at]

    def texts(column: str) -> tuple[np.ndarray, list[str]]:
        """A column's distinct texts, stripped, and each row's index among them."""
        if column not in named:
            return np.zeros(n, dtype=np.int8), [""]  # a byte a row: a million rows hold a dozen columns
        cells = frame.iloc[:, named.index(column)].array  # a Categorical: codes and categories
        codes, uniques = cells.codes.astype(np.int64), cells.categories
        stripped, at = pd.factorize(np.array([str(u).strip() for u in uniques], dtype=object))
        return (stripped.astype(np.int32)[codes] if n else codes), list(at)

    found = {c: texts(c) for c in COLUMNS if c != "värde"}
    if any(len(t) > MAX_FIELD_CHARS for _codes, values in found.values() for t in values):
        return None
    buf, at, lengths = cells
    if n and int(lengths.max(initial=0)) > MAX_FIELD_CHARS:
        return None

    # the unit columns, in the order of the rows, where they state anything: rows that define
    # or place a unit, and the first row of each code the database lacks
    unit_codes, unit_texts = found["enhet"]
    if "" in unit_texts:
        return None  # a row without a unit code
    stating = np.zeros(n, dtype=bool)
    for column in _UNIT_COLUMNS:
        codes, values = found[column]
        stating |= codes != values.index("") if "" in values else np.ones(n, dtype=bool)
    first = np.unique(unit_codes, return_index=True)[1] if n else np.zeros(0, dtype=np.int64)
    unknown = np.array([t not in tree for t in unit_texts], dtype=bool)
    stating[first[unknown[unit_codes[first]]]] = True
    new_units: dict[str, Unit] = {}
    for row in np.flatnonzero(stating):
        name, parent, part = (found[c][1][found[c][0][row]] for c in _UNIT_COLUMNS)
        if unit_row(unit_texts[unit_codes[row]], name, parent, part, tree, new_units) is not None:
            return None

    # the rows with a figure: period, mått, scenario or värde given
    figure = lengths > 0
    for column in _FIGURE_COLUMNS:
        codes, values = found[column]
        figure |= codes != values.index("") if "" in values else np.ones(n, dtype=bool)
    rows = np.flatnonzero(figure)
    if not len(rows):
        return _parsed(file_name, sha256, new_units, [], [], 0)

    def parsed(column: str, parse) -> list | None:
        """Each distinct text the figure rows hold in ``column``, parsed (None: refused)."""
        codes, values = found[column]
        out: list = [None] * len(values)
        for i in np.unique(codes[rows]).tolist():
            try:
                out[i] = parse(values[i])
            except ParseError:
                return None
        return out

    periods = parsed("period", parse_period)
    scenarios = parsed("scenario", Scenario.parse)
    scales = parsed("skala", Scale.parse)
    chosen = parsed("mått", measures.get)
    genders = parsed("kön", str.upper)
    if periods is None or scenarios is None or scales is None or chosen is None or genders is None:
        return None
    measure_of = found["mått"][0][rows]
    if any(chosen[m] is None for m in np.unique(measure_of)) or any(
        g not in GENDERS for g in genders if g is not None
    ):
        return None
    money = np.array([bool(m and m.is_money) for m in chosen])[measure_of]
    scale_of = found["skala"][0][rows]
    factor = np.array([int(s.factor) if s else 1 for s in scales], dtype=np.int64)[scale_of]
    if ((factor != 1) & ~money).any():
        return None  # a skala on what is not an amount: the row-by-row path says so

    # no figure twice (the row-by-row path compares the two and names both rows)
    numbered: dict[Period, int] = {}
    period_number = np.array(
        [numbered.setdefault(p, len(numbered)) if p else -1 for p in periods], dtype=np.int64
    )
    key = pd.DataFrame(
        {
            "u": unit_codes[rows],
            "m": measure_of,
            "s": found["scenario"][0][rows],
            "p": period_number[found["period"][0][rows]],
            "v": found["version"][0][rows],
            "g": np.array([genders.index(g) for g in genders], dtype=np.int64)[found["kön"][0][rows]],
            "r": found["grupp"][0][rows],
        }
    )
    if key.duplicated().any():
        return None
    del key

    values = _values(buf, at[rows], lengths[rows], factor)
    del cells, buf, at, lengths
    if values is None:
        return None
    stored, resolution, status = values
    if costs_negative:
        checks = np.array([bool(s and s.is_stated_check) for s in scenarios])[found["scenario"][0][rows]]
        flip = money & ~checks & (status == Status.VALUE.value)
        stored = np.where(flip, -stored, stored)
    is_value = status == Status.VALUE.value
    value_cells = stored.astype(object)
    value_cells[~is_value] = None
    value_cells = value_cells.tolist()
    # few distinct resolutions: one Python int each, shared by the rows (not one per row)
    kinds, which = np.unique(np.where(is_value, resolution, -1), return_inverse=True)
    resolution_cells = np.array([None if k < 0 else k for k in kinds.tolist()], dtype=object)[which].tolist()
    del stored, resolution, values

    keys = [m.key if m else "" for m in chosen]
    # each column: the distinct texts (shared by the rows) and each figure row's index among them
    columns = [
        (np.array(unit_texts, dtype=object), found["enhet"][0]),
        (np.array(keys, dtype=object), found["mått"][0]),
        (np.array([s.value if s else "" for s in scenarios], dtype=object), found["scenario"][0]),
        (np.array(found["version"][1], dtype=object), found["version"][0]),
        (np.array([str(p) if p else "" for p in periods], dtype=object), found["period"][0]),
        (np.array([str(p.start) if p else "" for p in periods], dtype=object), found["period"][0]),
        (np.array([str(p.end) if p else "" for p in periods], dtype=object), found["period"][0]),
        (np.array(genders, dtype=object), found["kön"][0]),
        (np.array(found["grupp"][1], dtype=object), found["grupp"][0]),
    ]
    after = [
        (np.array(found["kommentar"][1], dtype=object), found["kommentar"][0]),
        (np.array(found["källa"][1], dtype=object), found["källa"][0]),
    ]
    status_cells = status.tolist()
    fact_rows: list[tuple] = []
    for a in range(0, len(rows), _CHUNK):  # a chunk at a time: no full-length column lists beside the rows
        at_rows = rows[a : a + _CHUNK]
        b = a + len(at_rows)
        fact_rows.extend(
            zip(
                *(texts[codes[at_rows]].tolist() for texts, codes in columns),
                value_cells[a:b],
                status_cells[a:b],
                resolution_cells[a:b],
                *(texts[codes[at_rows]].tolist() for texts, codes in after),
                strict=True,
            )
        )
    lines = array("q", (rows + 2).astype(np.int64).tobytes())  # 8 bytes a row, read as ints
    return _parsed(file_name, sha256, new_units, fact_rows, lines, len(rows))


def _values(buf, at, lengths, factor):
    """The value cells as (stored integers, stored resolutions, statuses), or None if any cell
    is not a status, empty, or a number the grammar takes exactly as written, in the bound
    at its skala (``factor``) and ending in a digit (no suffix, no space after it)."""
    import numpy as np

    n = len(at)
    status = np.full(n, Status.VALUE.value, dtype=object)
    status[lengths == 0] = Status.NO_DATA.value
    single = np.flatnonzero(lengths == 1)
    for mark, text in _STATUSES.items():
        status[single[buf[at[single]] == mark]] = text
    number = np.flatnonzero(status == Status.VALUE.value)
    stored = np.zeros(n, dtype=np.int64)
    resolution = np.zeros(n, dtype=np.int64)
    if not len(number):
        return stored, resolution, status
    start, size = at[number], lengths[number]
    end = start + size
    last = buf[end - 1]
    if ((last < ord("0")) | (last > ord("9"))).any():
        return None
    e4 = _amounts_e4(buf, start, size)
    if e4 is None:
        return None
    f = factor[number]
    if (np.abs(e4) >= bound_scaled(STORE_DECIMALS) // f).any():
        return None  # at or over the bound at its skala: check_bound says so, row by row
    marks = np.concatenate(([-1], np.flatnonzero((buf == ord(",")) | (buf == ord(".")))))
    mark = marks[np.searchsorted(marks, end) - 1]  # the last decimal sign before the cell's end
    decimals = np.where(mark >= start, end - mark - 1, 0)
    if (decimals > STORE_DECIMALS).any():
        return None
    stored[number] = e4 * f
    resolution[number] = (10 ** (STORE_DECIMALS - decimals)) * f
    return stored, resolution, status


def _parsed(
    file_name: str, sha256: str, new_units: dict[str, Unit], fact_rows: list, lines: list, count: int
) -> ParsedFile:
    return ParsedFile(file_name, sha256, list(new_units.values()), fact_rows, lines, count)
