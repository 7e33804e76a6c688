"""Röjandekontroll, property-tested: after suppression no count below the threshold is printed,
and no suppressed cell can be narrowed, from what is printed and the table's sums, to an
interval of the threshold or less. The exact LP behind the intervals is checked against brute
force on small tables."""

import itertools
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socdesk.core.disclosure import intervals, protect, width, with_margins
from socdesk.core.lp import Polytope

counts = st.one_of(st.integers(0, 5), st.integers(0, 60))


@st.composite
def tables(draw, max_rows=4, max_cols=4):
    rows = draw(st.integers(1, max_rows))
    cols = draw(st.integers(1, max_cols))
    return with_margins([[draw(counts) for _ in range(cols)] for _ in range(rows)])


@settings(max_examples=150, deadline=None)
@given(table=tables(), threshold=st.sampled_from([3, 4, 5]))
def test_no_small_count_is_printed_and_every_hidden_cell_stays_wide(table, threshold):
    hidden = protect(table, threshold)
    for i, row in enumerate(table):
        for j, value in enumerate(row):
            if (i, j) not in hidden:
                assert value >= threshold, (table, hidden, (i, j))
    for cell, bounds in intervals(table, hidden).items():
        w = width(bounds)
        assert w is None or w > threshold, (table, sorted(hidden), cell, bounds)
        low, high = bounds
        assert low <= table[cell[0]][cell[1]] and (high is None or table[cell[0]][cell[1]] <= high)


def brute_force(table, hidden):
    """Every table of non-negative integers that shows what is printed: the hidden inner cells
    enumerated, the margins following from them."""
    rows, cols = len(table) - 1, len(table[0]) - 1
    inner_hidden = [c for c in sorted(hidden) if c[0] < rows and c[1] < cols]
    grand = table[rows][cols]
    found: dict[tuple[int, int], list[int]] = {c: [] for c in hidden}
    for values in itertools.product(range(grand + 1), repeat=len(inner_hidden)):
        t = [list(r) for r in table]
        for (i, j), v in zip(inner_hidden, values, strict=True):
            t[i][j] = v
        full = with_margins([r[:cols] for r in t[:rows]])
        if all(
            full[i][j] == table[i][j]
            for i in range(rows + 1)
            for j in range(cols + 1)
            if (i, j) not in hidden
        ):
            for c in hidden:
                found[c].append(full[c[0]][c[1]])
    return {c: (min(v), max(v)) for c, v in found.items()}


@settings(max_examples=80, deadline=None)
@given(
    inner=st.lists(st.lists(st.integers(0, 4), min_size=2, max_size=2), min_size=2, max_size=2),
    mask=st.lists(st.booleans(), min_size=9, max_size=9),
)
def test_the_exact_lp_agrees_with_brute_force(inner, mask):
    table = with_margins(inner)
    hidden = {(i, j) for k, (i, j) in enumerate(itertools.product(range(3), range(3))) if mask[k]}
    if (2, 2) in hidden:
        hidden.discard((2, 2))  # keep the grand total: the brute force needs its bound
    lp = intervals(table, hidden)
    bf = brute_force(table, hidden)
    assert {c: (int(a), int(b)) for c, (a, b) in lp.items()} == bf


def test_a_small_count_is_hidden_with_a_rectangle():
    table = with_margins([[12, 3, 20], [15, 9, 1], [30, 25, 40]])
    hidden = protect(table, 4)
    assert sorted(hidden) == [(0, 1), (0, 2), (1, 1), (1, 2)]  # 3 and 1, and what hides them
    assert intervals(table, hidden)[(0, 1)] == (Fraction(2), Fraction(12))


def test_lp_edges():
    assert Polytope([[1, -1]], [2], 2).bounds(0) == (2, None)  # unbounded above
    assert not Polytope([[1, 1]], [-1], 2).feasible
    with pytest.raises(ValueError, match="add up"):
        protect([[1, 2], [3, 5]])
    assert protect(with_margins([[10, 20], [30, 40]])) == set()


@settings(max_examples=60, deadline=None)
@given(
    a=tables(max_rows=3, max_cols=3),
    extra=st.lists(st.lists(counts, min_size=1, max_size=4), min_size=1, max_size=2),
    threshold=st.sampled_from([3, 4]),
)
def test_tables_sharing_a_row_are_protected_together(a, extra, threshold):
    """Table B's first row is table A's row of column totals (a group's total shown again in an
    overview): together they must not give away any hidden cell."""
    from socdesk.core.disclosure import joint_intervals, protect_tables

    total_row = a[-1][:-1]
    width_b = len(total_row)
    rows_b = [total_row] + [(r * width_b)[:width_b] for r in extra]
    b = with_margins(rows_b)
    shared = [
        {(len(a) - 1, j): ("t", j) for j in range(len(a[0]))},
        {(0, j): ("t", j) for j in range(len(b[0]))},
    ]
    hidden = protect_tables([a, b], shared, threshold)
    for t, table in enumerate((a, b)):
        for i, row in enumerate(table):
            for j, value in enumerate(row):
                if (i, j) not in hidden[t]:
                    assert value >= threshold
    assert {j for i, j in hidden[0] if i == len(a) - 1} == {
        j for i, j in hidden[1] if i == 0
    }  # the same figures
    for cell, bounds in joint_intervals([a, b], shared, hidden).items():
        w = width(bounds)
        assert w is None or w > threshold, (a, b, hidden, cell, bounds)


def test_a_hidden_quarter_cannot_be_recovered_from_the_year():
    from socdesk.core.periods import Period
    from socdesk.core.values import Value
    from socdesk.reports.board import _hide_in_series
    from socdesk.reports.statistics import StatRow

    periods = [Period.quarter(2023, q) for q in (1, 2, 3, 4)] + [Period.year(2023)]
    row = StatRow(
        "unika_personer", "Antal unika personer", "personer", [Value.of(v) for v in (10, 2, 12, 15, 39)]
    )
    hidden = _hide_in_series(row, periods, list(range(5)), True, 4)
    assert 1 in hidden and len(hidden) >= 2  # 2 is hidden, and so is something it could be worked out from
    shown = [v for i, v in enumerate((10, 2, 12, 15, 39)) if i not in hidden]
    if 4 not in hidden:  # the year printed: at least two quarters hidden, together more than 4
        assert 39 - sum(v for i, v in enumerate((10, 2, 12, 15)) if i not in hidden) > 4
    assert all(v >= 4 for v in shown)
    not_additive = _hide_in_series(row, periods, list(range(5)), False, 4)
    assert not_additive == {1}  # unique persons do not add up over quarters: no sum to protect
