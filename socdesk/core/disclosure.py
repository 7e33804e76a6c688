"""Röjandekontroll: small counts in printed statistics must not let a reader single out a
person.

A table is a grid of counts with its row totals (last column), column totals (last row) and
grand total (last cell). Every count below the threshold is suppressed (primary); then more
cells are suppressed (secondary) until no suppressed cell can be narrowed down, from what is
printed and the table's sums, to an interval of ``threshold`` or less. The interval is computed
exactly (``socdesk.core.lp``): the least and greatest value the cell can take in any table of
non-negative counts that agrees with every printed cell and every sum.
"""

from __future__ import annotations

from fractions import Fraction

from socdesk.core.lp import Polytope

DEFAULT_THRESHOLD = 4
Cell = tuple[int, int]


def lines(rows: int, cols: int) -> list[tuple[Cell, list[Cell]]]:
    """Every sum in a table with margins: (the total's cell, the cells it adds)."""
    r, c = rows - 1, cols - 1  # the margins' indexes
    out = [((i, c), [(i, j) for j in range(c)]) for i in range(r)]
    out += [((r, j), [(i, j) for i in range(r)]) for j in range(c)]
    out.append(((r, c), [(r, j) for j in range(c)]))
    out.append(((r, c), [(i, c) for i in range(r)]))
    return out


def intervals(table: list[list[int]], hidden: set[Cell]) -> dict[Cell, tuple[Fraction, Fraction | None]]:
    """For each hidden cell, the least and greatest value consistent with what is shown."""
    return {(i, j): bounds for (_t, i, j), bounds in joint_intervals([table], [{}], [hidden]).items()}


def width(bounds: tuple[Fraction, Fraction | None]) -> Fraction | None:
    low, high = bounds
    return None if high is None else high - low


def protect(
    table: list[list[int]], threshold: int = DEFAULT_THRESHOLD, forced: set[Cell] = frozenset()
) -> set[Cell]:
    """The cells to print as ``*``: every count below ``threshold`` and enough others that each
    hidden cell's feasible interval is wider than ``threshold``. ``table`` includes its margins
    (last row and column) and must add up. ``forced`` cells are hidden too."""
    return protect_tables([table], [{}], threshold, [forced])[0]


def _partner(table: list[list[int]], hidden: set[Cell], cell: Cell, avoid: set[Cell] = frozenset()) -> Cell:
    """Another cell to hide with ``cell``, in its row or column: an inner cell (margins only
    when none is left), preferably one that closes a rectangle with other hidden cells, and
    with the smallest count (the least information lost)."""
    rows, cols = len(table), len(table[0])
    i, j = cell
    same_line = [(i, k) for k in range(cols)] + [(k, j) for k in range(rows)]
    candidates = [c for c in same_line if c not in hidden]
    if not candidates:
        candidates = [(a, b) for a in range(rows) for b in range(cols) if (a, b) not in hidden]

    def cost(c: Cell) -> tuple[int, int, int, int, Cell]:
        # inner before margins; then cells already sharing a line with other hidden cells (they
        # close a rectangle, so fewer cells are lost); then the smallest count
        margin = int(c[0] == rows - 1 or c[1] == cols - 1)
        if c[0] == cell[0]:  # in the cell's row: what its column already hides
            links = sum(1 for h in hidden if h[1] == c[1] and h != c)
        elif c[1] == cell[1]:  # in the cell's column: what its row already hides
            links = sum(1 for h in hidden if h[0] == c[0] and h != c)
        else:
            links = 0
        return (margin, int(c in avoid), -min(links, 2), table[c[0]][c[1]], c)

    return min(candidates, key=cost)


def with_margins(inner: list[list[int]]) -> list[list[int]]:
    """Row totals as a last column, column totals and the grand total as a last row."""
    rows = [[*row, sum(row)] for row in inner]
    return [*rows, [sum(col) for col in zip(*rows, strict=True)]]


# --- several tables of one report, sharing figures ---------------------------------------------
TableCell = tuple[int, int, int]  # (table, row, column)


def _variables(tables: list[list[list[int]]], shared: list[dict[Cell, object]]) -> dict[TableCell, int]:
    """One unknown per figure: cells with the same key (the same figure printed in two tables)
    share it."""
    ids: dict[TableCell, int] = {}
    by_key: dict[object, int] = {}
    for t, table in enumerate(tables):
        for i, row in enumerate(table):
            for j in range(len(row)):
                key = shared[t].get((i, j))
                if key is None:
                    ids[(t, i, j)] = len(by_key) + len(ids)  # unique
                else:
                    if key not in by_key:
                        by_key[key] = -(len(by_key) + 1)
                    ids[(t, i, j)] = by_key[key]
    return ids


def _joint_polytope(
    tables: list[list[list[int]]], ids: dict[TableCell, int], hidden_ids: list[int]
) -> tuple[Polytope, dict[int, int]]:
    column = {v: k for k, v in enumerate(hidden_ids)}
    a, b = [], []
    for t, table in enumerate(tables):
        for total, parts in lines(len(table), len(table[0])):
            coeffs = [0] * len(hidden_ids)
            rhs = 0
            for sign, cells in ((1, parts), (-1, [total])):
                for i, j in cells:
                    v = ids[(t, i, j)]
                    if v in column:
                        coeffs[column[v]] += sign
                    else:
                        rhs -= sign * table[i][j]
            if any(coeffs):
                a.append(coeffs)
                b.append(rhs)
    return Polytope(a, b, len(hidden_ids)), column


def joint_intervals(
    tables: list[list[list[int]]], shared: list[dict[Cell, object]], hidden: list[set[Cell]]
) -> dict[TableCell, tuple[Fraction, Fraction | None]]:
    """Each hidden cell's least and greatest value given everything printed in *all* the tables
    and all their sums together."""
    ids = _variables(tables, shared)
    hidden_ids = sorted({ids[(t, i, j)] for t, cells in enumerate(hidden) for i, j in cells})
    if not hidden_ids:
        return {}
    polytope, column = _joint_polytope(tables, ids, hidden_ids)
    return {
        (t, i, j): polytope.bounds(column[ids[(t, i, j)]]) for t, cells in enumerate(hidden) for i, j in cells
    }


def protect_tables(
    tables: list[list[list[int]]],
    shared: list[dict[Cell, object]],
    threshold: int = DEFAULT_THRESHOLD,
    forced: list[set[Cell]] | None = None,
) -> list[set[Cell]]:
    """``protect`` for the tables of one report together: a figure printed in two tables (the
    same key in ``shared``) is hidden in both or neither, and every hidden cell's interval is
    computed from all the tables at once, so no table gives away what another hides."""
    for table in tables:
        rows, cols = len(table), len(table[0])
        for total, parts in lines(rows, cols):
            if sum(table[i][j] for i, j in parts) != table[total[0]][total[1]]:
                raise ValueError("the table's totals do not add up")
    ids = _variables(tables, shared)
    cells_of: dict[int, list[TableCell]] = {}
    for cell, v in ids.items():
        cells_of.setdefault(v, []).append(cell)
    value = {cell: tables[cell[0]][cell[1]][cell[2]] for cell in ids}
    hidden_vars = {v for cell, v in ids.items() if value[cell] < threshold}
    hidden_vars |= {ids[(t, i, j)] for t, cells in enumerate(forced or []) for i, j in cells}
    strong: set[int] = set()

    def hidden_sets() -> list[set[Cell]]:
        out: list[set[Cell]] = [set() for _t in tables]
        for v in hidden_vars:
            for t, i, j in cells_of[v]:
                out[t].add((i, j))
        return out

    while True:
        hidden = hidden_sets()
        weak = None
        order = sorted(hidden_vars - strong, key=lambda v: (value[cells_of[v][0]], cells_of[v][0]))
        if order:
            polytope, column = _joint_polytope(tables, ids, sorted(hidden_vars))
            for v in order:  # hiding more only widens intervals: a protected cell stays so
                w = width(polytope.bounds(column[v]))
                if w is not None and w <= threshold:
                    weak = v
                    break
                strong.add(v)
        if weak is None:
            return hidden
        hidden_vars.add(_joint_partner(tables, shared, ids, hidden, cells_of[weak]))


def _joint_partner(
    tables: list[list[list[int]]],
    shared: list[dict[Cell, object]],
    ids: dict[TableCell, int],
    hidden: list[set[Cell]],
    occurrences: list[TableCell],
) -> int:
    """A cell to hide with a weak one, in a table where the weak figure appears and something
    is still printed (any table if none is)."""
    for t, i, j in occurrences:
        table = tables[t]
        if len(hidden[t]) < len(table) * len(table[0]):
            return ids[(t, *_partner(table, hidden[t], (i, j), set(shared[t])))]
    for t, table in enumerate(tables):
        left = [(i, j) for i in range(len(table)) for j in range(len(table[0])) if (i, j) not in hidden[t]]
        if left:
            return ids[(t, *min(left, key=lambda c: (table[c[0]][c[1]], c)))]
    raise AssertionError("everything is hidden, yet a cell is weak")
