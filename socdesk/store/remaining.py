"""What a report's remaining-work list (``reports.board.draft_reasons``) reads, set-based, so
that it is fast at a large board.

How each measure occurs and where a sign anomaly may be, in one pass (``check_scan``): the
check's two grouped passes over the year's facts (``check_uses``, then the sign rule's
unit-years in ``facts_for_check``) made one, so that a check that needs no facts reads the
year once.

The figures a flag rests on, for the leaves of a board: what the list needs to find the
flagged units (``reports.economy.flagged_units``) without asking ``Figures`` unit by unit for
5 000 verksamheter.

For each leaf under a root (a unit without children), of one measure, whole figures (no kön,
no grupp) in one year up to a month: the utfall year to date, the budget year to date and for
the year (the original, version ''), and the helårsprognos in its latest version up to the
month – each as a sum with its count of facts, exactly what ``Figures.values`` and
``budget_values`` give such a leaf. A leaf is *plain* when all that is simple: every fact of
the measure in the year a month with a number, no budget or utfall version (ombudgetering), and the latest
prognos one stated figure for exactly the year. The others (and every unit with children) are
left to ``Figures`` and the budget rules, which decide every case."""

from __future__ import annotations

import json
from dataclasses import dataclass

from socdesk.core.checks import SIGN_SCENARIOS_SKIPPED, MeasureUse
from socdesk.core.periods import Period
from socdesk.core.values import from_store_int
from socdesk.store.connection import Connection

_LEAVES = (
    "SELECT c.descendant_id FROM unit_closure c JOIN units r ON r.id = c.ancestor_id WHERE r.code = :root "
    "AND NOT EXISTS (SELECT 1 FROM units k WHERE k.parent_id = c.descendant_id)"
)

# One pass over the leaves' original utfall and budget of the year (the covering index's range).
_SUMS = (
    "SELECT u.code, "
    "sum(CASE WHEN f.scenario = 'utfall' AND f.period_end <= :at THEN f.value END), "
    "count(CASE WHEN f.scenario = 'utfall' AND f.period_end <= :at THEN 1 END), "
    "sum(CASE WHEN f.scenario = 'budget' AND f.period_end <= :at THEN f.value END), "
    "count(CASE WHEN f.scenario = 'budget' AND f.period_end <= :at THEN 1 END), "
    "sum(CASE WHEN f.scenario = 'budget' THEN f.value END), "
    "count(CASE WHEN f.scenario = 'budget' THEN 1 END), "
    "max(f.period_start <> f.period_end OR f.status <> 'value') "
    f"FROM units u CROSS JOIN facts f ON f.unit_id = u.id WHERE u.id IN ({_LEAVES}) "
    "AND f.measure = :m AND f.scenario IN ('utfall', 'budget') AND f.gender = '' AND f.grp = '' "
    "AND f.version = '' AND f.period_start >= :first AND f.period_end <= :last GROUP BY u.code"
)
# The leaves with an utfall or budget version in the year (an ombudgetering): not plain.
_VERSIONED = (
    "SELECT DISTINCT u.code FROM units u CROSS JOIN facts f ON f.unit_id = u.id "
    f"WHERE u.id IN ({_LEAVES}) AND f.measure = :m AND f.scenario IN ('utfall', 'budget') "
    "AND f.gender = '' AND f.grp = '' AND f.version > '' AND f.period_start >= :first "
    "AND f.period_end <= :last"
)

# Each leaf's latest prognos version up to the month (the index read backwards from it) and
# what is stated in that version for the year: how many facts, the exact year's number.
_FORECAST = (
    "WITH v AS MATERIALIZED (SELECT l.descendant_id AS id, (SELECT g.version FROM facts g "
    "WHERE g.unit_id = l.descendant_id AND g.measure = :m AND g.scenario = 'prognos' AND g.gender = '' "
    "AND g.grp = '' AND g.version <= :at AND g.period_start >= :first AND g.period_end <= :last "
    f"ORDER BY g.version DESC LIMIT 1) AS version FROM ({_LEAVES}) l) "
    "SELECT u.code, count(f.unit_id), "
    "max(CASE WHEN f.period_start = :first AND f.period_end = :last AND f.status = 'value' "
    "THEN f.value END) "
    "FROM v JOIN units u ON u.id = v.id "
    "LEFT JOIN facts f ON f.unit_id = v.id AND f.measure = :m AND f.scenario = 'prognos' "
    "AND f.gender = '' AND f.grp = '' AND f.version = v.version AND f.period_start >= :first "
    "AND f.period_end <= :last "
    "WHERE v.version > '' GROUP BY u.code"
)


# One pass over the facts read (``{where}``: a subtree, a period): each series (unit, measure,
# scenario, kön, grupp, version) – in each calendar year its figures lie in, unless the period
# is inside one ({years} empty: the covering index's order, no sort) – with what ``check_scan``
# needs of it: ``check_facts._USES``'s columns, and the figures the sign rule counts
# (``check_facts._ODD_SIGNS``: a value ≠ 0 of a scenario other than a stated variance, in one
# calendar year) by sign.
_SERIES = (
    "SELECT f.unit_id, f.measure, f.scenario, f.gender, f.grp, f.version, "
    "f.unit_id IN (SELECT parent_id FROM units WHERE parent_id IS NOT NULL), "
    "f.gender <> '' OR f.grp <> '', f.scenario IN (SELECT value FROM json_each(:stated)), "
    "count(*), max(f.period_start <> f.period_end), "
    "CASE WHEN substr(f.period_start, 1, 4) = substr(f.period_end, 1, 4) THEN substr(f.period_start, 1, 4) "
    "END AS year, sum(f.status = 'value' AND f.value < 0), sum(f.status = 'value' AND f.value > 0) "
    "FROM facts f WHERE {where} GROUP BY f.unit_id, f.measure, f.scenario, f.gender, f.grp, f.version{years}"
)


@dataclass(frozen=True, slots=True)
class LeafFigures:
    """A plain leaf's figures (None: nothing stated)."""

    actual_ytd: object  # Decimal | None
    budget_ytd: object
    annual_budget: object
    forecast: object


class RemainingWork(Connection):
    def check_scan(self, root: str | None, within: Period | None) -> tuple[list[MeasureUse], set[str]]:
        """How each measure occurs among the facts of ``root``'s subtree (every unit: ``None``)
        inside ``within`` (``Store.check_uses``), and the measures with a unit-year where a
        sign anomaly may be (those ``facts_for_check`` reads for a measure of ``Scope.signs``)."""
        where = ["1"]
        named: dict[str, object] = {"stated": json.dumps(sorted(s.value for s in SIGN_SCENARIOS_SKIPPED))}
        if root is not None:
            where.append(
                "f.unit_id IN (SELECT c.descendant_id FROM unit_closure c JOIN units r "
                "ON r.id = c.ancestor_id WHERE r.code = :root)"
            )
            named["root"] = root
        if within is not None:
            where.append("f.period_start >= :start AND f.period_end <= :end")
            named |= {"start": str(within.start), "end": str(within.end)}
        one_year = within is not None and within.start.year == within.end.year
        sql = _SERIES.format(where=" AND ".join(where), years="" if one_year else ", year")
        # measure → at_whole, split, stated_check, plain, grain (check_facts._USES's columns)
        uses: dict[str, list[bool]] = {}
        series: dict[tuple, list[int]] = {}  # a series split by year: its count, any longer figure
        signs: dict[tuple, list[int]] = {}  # (unit, measure, kön, grupp, year) → negative, positive
        rows = self.conn.execute(sql, named)
        for (
            unit,
            measure,
            scenario,
            gender,
            grp,
            version,
            whole,
            split,
            stated,
            n,
            longer,
            year,
            neg,
            pos,
        ) in rows:
            use = uses.get(measure)
            if use is None:
                use = uses[measure] = [False] * 5
            use[0] = use[0] or bool(whole)
            use[1] = use[1] or bool(split)
            use[2] = use[2] or bool(stated)
            use[3] = use[3] or not stated
            if one_year:
                use[4] = use[4] or (n >= 2 and bool(longer))
            else:
                tally = series.setdefault((unit, measure, scenario, gender, grp, version), [0, 0])
                tally[0] += n
                tally[1] = tally[1] or longer
            if not stated and year is not None and (neg or pos):
                counts = signs.setdefault((unit, measure, gender, grp, year), [0, 0])
                counts[0] += neg
                counts[1] += pos
        for (_unit, measure, *_rest), (n, longer) in series.items():
            uses[measure][4] = uses[measure][4] or (n >= 2 and bool(longer))
        odd = {key[1] for key, (neg, pos) in signs.items() if neg + pos >= 3 and 1 in (neg, pos)}
        return [MeasureUse(m, *flags) for m, flags in uses.items()], odd

    def leaf_figures(
        self, root: str, measure: str, year: int, at: str
    ) -> tuple[dict[str, LeafFigures], set[str]]:
        """The plain leaves under ``root`` (code → figures) and the other leaves, whose figures
        ``Figures`` must decide, for ``measure`` in ``year`` up to the month ``at`` ("2024-08").
        A leaf with no figure of the year at all is in neither."""
        params = {"root": root, "m": measure, "at": at, "first": f"{year}-01", "last": f"{year}-12"}
        plain: dict[str, LeafFigures] = {}

        def amount(total: int | None, n: int):
            return from_store_int(total) if n else None

        other = {code for (code,) in self.conn.execute(_VERSIONED, params)}
        for code, a, an, b, bn, y, yn, odd in self.conn.execute(_SUMS, params):
            if odd or code in other:
                other.add(code)
            else:
                plain[code] = LeafFigures(amount(a, an), amount(b, bn), amount(y, yn), None)
        for code, n, value in self.conn.execute(_FORECAST, params):
            if code in other:
                continue
            if n != 1 or value is None:  # the prognos is not one stated figure for the year
                other.add(code)
                plain.pop(code, None)
                continue
            known = plain.get(code, LeafFigures(None, None, None, None))
            plain[code] = LeafFigures(
                known.actual_ytd, known.budget_ytd, known.annual_budget, from_store_int(value)
            )
        return plain, other
