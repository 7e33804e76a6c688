"""The resolution rules of ``socdesk.core.resolution`` on their own, without a database."""

import itertools
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from socdesk.core.measures import Measure
from socdesk.core.periods import Month, Period
from socdesk.core.resolution import cover, month_index, resolve, sum_values, summed
from socdesk.core.values import Status, Value

NETTO = Measure("netto", "Netto", "kr", True, True, True, False)
STOCK = Measure("platser", "Platser", "antal", False, True, True, True)  # a stock: not over time
RATE = Measure("andel", "Andel", "%", True, False, False, True)  # not summed over units

SUPPRESSED = Value.status_only(Status.SUPPRESSED)
NO_DATA = Value.status_only(Status.NO_DATA)


def piece(first: int, last: int, year: int = 2024) -> tuple[str, str]:
    return (str(Month(year, first)), str(Month(year, last)))


def test_month_index_is_the_months_own():
    assert month_index("2024-06") == Month(2024, 6).index
    assert month_index("2025-01") == Month(2024, 12).index + 1


def test_cover_takes_the_fewest_pieces_that_tile_the_period():
    tertials = [piece(1, 4), piece(5, 8), piece(9, 12)]
    months = [piece(m, m) for m in range(1, 13)]
    assert cover(Period.year(2024), tertials + months) == tertials
    # jan–maj stated, and June: two pieces, not six months
    assert cover(Period.year_to_date(2024, 6), [piece(1, 5), piece(6, 6), *months[:6]]) == [
        piece(1, 5),
        piece(6, 6),
    ]


def test_cover_never_uses_overlapping_pieces_or_pieces_that_do_not_tile():
    assert cover(Period.year(2024), [piece(1, 5), piece(4, 12)]) is None
    assert cover(Period.year_to_date(2024, 6), [piece(1, 5)]) is None  # a range says nothing about June


def test_cover_with_gaps_sums_the_single_months_booked():
    stated = [piece(1, 1), piece(3, 3), piece(1, 2)]
    assert cover(Period.year_to_date(2024, 4), stated) is None
    assert cover(Period.year_to_date(2024, 4), stated, gaps=True) == [piece(1, 1), piece(3, 3)]
    assert cover(Period.year_to_date(2024, 4), [piece(1, 2)], gaps=True) is None


def test_sum_values_suppressed_wins_no_number_is_no_data_and_the_coarsest_resolution_is_kept():
    assert sum_values([Value.of(1), SUPPRESSED, Value.of(2)]) == SUPPRESSED
    assert sum_values([NO_DATA, Value.status_only(Status.NOT_COMPUTABLE)]) == NO_DATA
    assert sum_values([]) == NO_DATA
    total = sum_values([Value.of("1.5"), Value.of(1000, 1000), NO_DATA])
    assert total == Value(Decimal("1001.5"), Status.VALUE, Decimal(1000))


values = st.one_of(
    st.builds(Value.of, st.integers(-(10**6), 10**6), st.sampled_from([1, 10, 1000])),
    st.sampled_from([SUPPRESSED, NO_DATA, Value.status_only(Status.NOT_COMPUTABLE)]),
)


@given(st.lists(values, max_size=12))
def test_sum_values_is_summed_of_the_tally_and_exact(parts):
    numbers = [p for p in parts if p.is_number]
    got = sum_values(parts)
    if any(p.status is Status.SUPPRESSED for p in parts):
        assert got == SUPPRESSED
    elif not numbers:
        assert got == NO_DATA
    else:
        assert got.number == sum(int(p.number) for p in numbers)  # exact: integers, no float
        assert got.resolution == max(p.resolution for p in numbers)
    assert got == summed(
        sum((p.number for p in numbers), start=Decimal(0)),
        len(numbers),
        sum(p.status is Status.SUPPRESSED for p in parts),
        max((p.resolution for p in numbers), default=None),
    )


@given(st.lists(st.tuples(st.integers(1, 6), st.integers(0, 5)), min_size=1, max_size=7), st.integers(1, 6))
def test_cover_is_a_fewest_exact_tiling_as_brute_force_finds_it(spans, end):
    """Against every subset of the pieces: an exact tiling is found whenever one exists, and
    none smaller exists."""
    pieces = sorted({piece(s, min(s + n, 12)) for s, n in spans})
    period = Period.year_to_date(2024, end)
    inside = [
        p for p in pieces if month_index(p[0]) >= period.start.index and month_index(p[1]) <= period.end.index
    ]

    def tiles(subset):
        months = sorted(i for s, e in subset for i in range(month_index(s), month_index(e) + 1))
        return months == [m.index for m in period.months()]

    smallest = next(
        (len(c) for k in range(1, len(inside) + 1) for c in itertools.combinations(inside, k) if tiles(c)),
        None,
    )
    got = cover(period, inside)
    if smallest is None:
        assert got is None
    else:
        assert got is not None and tiles(got) and len(got) == smallest


def tree(children: dict[str, list[str]]):
    return lambda code: children.get(code, [])


def stated(facts: dict[str, dict[tuple[str, str], Value]], period: Period):
    """A unit's stated pieces inside the period, as the store gives them."""

    def inside(code: str) -> dict[tuple[str, str], Value]:
        return {
            (s, e): v
            for (s, e), v in facts.get(code, {}).items()
            if s >= str(period.start) and e <= str(period.end)
        }

    return inside


def test_resolve_prefers_the_exact_fact_then_the_units_own_pieces_then_the_children():
    units = tree({"R": ["A", "B"], "A": ["A1", "A2"]})
    ytd = Period.year_to_date(2024, 2)
    facts = {
        "A1": {piece(1, 1): Value.of(10), piece(2, 2): Value.of(20)},
        "A2": {piece(1, 2): Value.of(5)},
        "B": {piece(1, 1): Value.of(100)},  # a leaf booked month by month: February booked nothing
    }
    assert resolve("A1", NETTO, ytd, stated(facts, ytd), units) == Value.of(30)
    assert resolve("A", NETTO, ytd, stated(facts, ytd), units) == Value.of(35)
    assert resolve("B", NETTO, ytd, stated(facts, ytd), units) == Value.of(100)
    assert resolve("R", NETTO, ytd, stated(facts, ytd), units) == Value.of(135)
    facts["A"] = {piece(1, 2): Value.of(1)}  # a stated figure wins over its children
    assert resolve("R", NETTO, ytd, stated(facts, ytd), units) == Value.of(101)
    facts["R"] = {piece(1, 1): Value.of(7), piece(2, 2): Value.of(8)}  # own pieces tile the period
    assert resolve("R", NETTO, ytd, stated(facts, ytd), units) == Value.of(15)


def test_resolve_never_sums_what_the_measure_says_does_not_add_up():
    units = tree({"R": ["A", "B"]})
    ytd = Period.year_to_date(2024, 2)
    facts = {"A": {piece(1, 1): Value.of(3), piece(2, 2): Value.of(4)}, "B": {piece(1, 2): Value.of(2)}}
    assert resolve("A", STOCK, ytd, stated(facts, ytd), units) == NO_DATA  # a stock is not summed over time
    jan = Period.month(2024, 1)
    assert resolve("R", STOCK, jan, stated(facts, jan), units) == Value.of(3)
    assert resolve("R", RATE, ytd, stated(facts, ytd), units) == NO_DATA  # a share is not summed over units
    assert resolve("A", RATE, ytd, stated(facts, ytd), units) == Value.of(7)


def test_the_rules_are_defined_once():
    """No second tiling, sum rule or reference resolution anywhere in socdesk."""
    import ast
    from pathlib import Path

    import socdesk

    rules = {
        "cover",
        "sum_values",
        "summed",
        "resolve",
        "_cover",
        "_sum_values",
        "_month_index",
        "month_index",
    }
    found = []
    for path in Path(socdesk.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name in rules:
                found.append((path.relative_to(Path(socdesk.__file__).parent).as_posix(), node.name))
    assert sorted(found) == [
        ("core/resolution.py", name) for name in ("cover", "month_index", "resolve", "sum_values", "summed")
    ]
