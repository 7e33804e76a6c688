"""How a unit's figure for a period is resolved from what is stated: the exact rules, defined once.

A fact stated for exactly the period wins; otherwise the unit's stated pieces inside the period
that tile it exactly with the fewest pieces (measures additive over time); otherwise, for
measures additive over units, the sum of the children's figures. A unit without children sums
the single months it has inside the period (utfall so far, months missing).

``resolve`` is the reference (``Store.value`` gives it the store's facts);
``socdesk.store.figures`` answers the same in bulk through SQL and the rollup, and uses
``summed`` for its sums, so the sum rule too has one definition. Pure: no SQL, no Qt.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal

from socdesk.core.measures import Measure
from socdesk.core.periods import Month, Period
from socdesk.core.values import Status, Value

Piece = tuple[str, str]  # (first month, last month) as stored, e.g. ("2024-01", "2024-05")


def summed(total: Decimal, numbers: int, suppressed: int, resolution: Decimal | None) -> Value:
    """The sum of parts from a tally of them (``numbers`` parts with a number adding up to
    ``total``, ``suppressed`` parts suppressed, the coarsest ``resolution`` among the numbers):
    suppressed if any part is; no data where no part has a number."""
    if suppressed:
        return Value.status_only(Status.SUPPRESSED)
    if not numbers:
        return Value.status_only(Status.NO_DATA)
    return Value(total, Status.VALUE, resolution)


def sum_values(parts: Iterable[Value]) -> Value:
    """Sum of figures (``summed`` of their tally)."""
    parts = list(parts)
    numbers = [p for p in parts if p.is_number]
    resolutions = [p.resolution for p in numbers if p.resolution is not None]
    return summed(
        sum((p.number for p in numbers), start=Decimal(0)),  # type: ignore[misc]
        len(numbers),
        sum(1 for p in parts if p.status is Status.SUPPRESSED),
        max(resolutions) if resolutions else None,
    )


def month_index(text: str) -> int:
    """``"2024-06"`` as a month's index (``Month.index``)."""
    y, m = text.split("-")
    return Month(int(y), int(m)).index


def cover(period: Period, pieces: Iterable[Piece], *, gaps: bool = False) -> list[Piece] | None:
    """Stated pieces inside ``period`` that do not overlap: the fewest that tile it exactly
    (dynamic programming over months); failing that, with ``gaps``, the single months stated
    inside it – booked month by month, a month without a booking is nothing booked, whereas a
    stated range (a tertial, a year to date) says nothing about a longer period."""
    pieces = list(pieces)
    start = period.start.index
    n = period.n_months
    by_start: dict[int, list[tuple[int, Piece]]] = {}
    for s, e in pieces:
        si, ei = month_index(s), month_index(e)
        by_start.setdefault(si - start, []).append((ei - start + 1, (s, e)))
    # best[i]: (uncovered months, pieces) for months 0..i-1
    best: list[tuple[int, list[Piece]] | None] = [None] * (n + 1)
    best[0] = (0, [])

    def offer(i: int, candidate: tuple[int, list[Piece]]) -> None:
        current = best[i]
        if current is None or (candidate[0], len(candidate[1])) < (current[0], len(current[1])):
            best[i] = candidate

    for i in range(n):
        here = best[i]
        if here is None:
            continue
        for end, piece in by_start.get(i, []):
            if end <= n:
                offer(end, (here[0], [*here[1], piece]))
    result = best[n]
    if result is not None and result[1]:
        return result[1]
    if gaps:
        months = [(s, e) for s, e in pieces if s == e]
        return sorted(months) or None
    return None


def resolve(
    unit: str,
    measure: Measure,
    period: Period,
    stated: Callable[[str], dict[Piece, Value]],
    children: Callable[[str], list[str]],
) -> Value:
    """The figure of ``unit`` for ``period``: ``stated(code)`` gives a unit's stated figures
    inside the period (totals over kön and grupp) by piece, ``children(code)`` its children."""
    pieces = stated(unit)
    exact = pieces.get((str(period.start), str(period.end)))
    if exact is not None:
        return exact
    below = children(unit) if measure.additive_units else []
    if measure.additive_time and pieces:
        chosen = cover(period, pieces, gaps=not below)
        if chosen:
            return sum_values(pieces[p] for p in chosen)
    if below and measure.additive_time and any(s == e for s, e in pieces):
        return _months_and_children(measure, period, pieces, stated, children, below)
    if below:
        return sum_values(resolve(c, measure, period, stated, children) for c in below)
    return Value.status_only(Status.NO_DATA)


def _months_and_children(
    measure: Measure,
    period: Period,
    pieces: dict[Piece, Value],
    stated: Callable[[str], dict[Piece, Value]],
    children: Callable[[str], list[str]],
    below: list[str],
) -> Value:
    """A unit with children that states some months of the period itself (a unit made by a
    merge: its own figures from the merge month, its closed children's before it): each month
    it states, and its children's sum over each run of months it does not."""
    parts: list[Value] = []
    run: list[Month] = []

    def flush() -> None:
        if run:
            inner = Period(run[0], run[-1])
            lo, hi = str(inner.start), str(inner.end)

            def within(code: str) -> dict[Piece, Value]:  # ``stated`` gives the whole period's
                return {p: v for p, v in stated(code).items() if lo <= p[0] and p[1] <= hi}

            parts.extend(resolve(c, measure, inner, within, children) for c in below)
            run.clear()

    for month in period.months():
        own = pieces.get((str(month), str(month)))
        if own is None:
            run.append(month)
        else:
            flush()
            parts.append(own)
    flush()
    return sum_values(parts)
