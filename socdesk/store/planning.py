"""Planning: budgets with their periodisation, and budget revisions (ombudgeteringar)."""

from __future__ import annotations

from decimal import Decimal

from socdesk.core.facts import Fact, FactKey, Scenario
from socdesk.core.i18n import _
from socdesk.core.measures import Measure
from socdesk.core.periods import Month, Period
from socdesk.core.units import UnitTree
from socdesk.core.values import Value
from socdesk.store.connection import now
from socdesk.store.errors import StoreError
from socdesk.store.facts import Facts, _fact_from_row
from socdesk.store.reference import Reference


class Planning(Facts, Reference):
    def write_plan(
        self,
        facts: list[Fact],
        *,
        source: str,
        within: Period,
        tree: UnitTree | None = None,
    ) -> int:
        """Replace units' plan (budget) for ``within`` by ``facts``, in one transaction.

        For every unit and measure in ``facts``, the stated pieces inside ``within`` that are
        not among the new facts are removed (a stated jan–maj would otherwise hide the new
        months), and the ancestors' own stated figures inside ``within`` are moved by exactly
        what the unit's figure for the same period moved, so a stated total stays the total.
        """
        tree = tree or self.unit_tree()
        measures = self.measures()
        groups = sorted({(f.key.unit, f.key.measure, f.key.scenario, f.key.version) for f in facts})
        new_keys = {f.key for f in facts}
        with self.transaction():
            stated = {g: self._stated(*g, within) for g in groups}
            above = {
                g: [f for a in tree.ancestors(g[0]) for f in self._stated(a.code, *g[1:], within)]
                for g in groups
            }
            before = {
                (g, f.key.period): self._number(g, f.key.period, measures, tree)
                for g, fs in above.items()
                for f in fs
            }
            for fs in stated.values():
                for f in fs:
                    if f.key not in new_keys:
                        self._delete_fact(f.key, source=source)
            changed = self.write_facts(facts, source=source)
            moved: dict[FactKey, Decimal] = {}
            current: dict[FactKey, Fact] = {}
            for g, fs in above.items():
                for f in fs:
                    delta = self._number(g, f.key.period, measures, tree) - before[(g, f.key.period)]
                    if delta:
                        moved[f.key] = moved.get(f.key, Decimal(0)) + delta
                        current[f.key] = f
            adjusted = [
                Fact(k, Value.of((current[k].value.number or Decimal(0)) + d), current[k].comment)
                for k, d in moved.items()
                if d
            ]
            if adjusted:
                changed += self.write_facts(adjusted, source=source)
        return changed

    def write_revision(
        self, facts: list[Fact], *, source: str, batch_id: int | None = None, tree: UnitTree | None = None
    ) -> int:
        """Write facts (an import) of which the budget figures in a version (an ombudgetering)
        may revise only some units: an ancestor's own stated figure in that version and period
        that the facts do not state moves by exactly what the revised units under it moved, so
        the revised total stays the total of its parts (the units not revised keep the copy of
        the budget in effect before, ``add_budget_version``). Returns the cells changed."""
        tree = tree or self.unit_tree()
        measures = self.measures()
        new_keys = {f.key for f in facts}
        revised = {
            (k.unit, k.measure, k.scenario, k.version, k.period.start.year)
            for f in facts
            if (k := f.key).scenario is Scenario.BUDGET and k.version and not k.gender and not k.group
        }
        # the topmost revised units carry their subtrees' changes (a revised child is in them)
        top = [
            g for g in sorted(revised) if not any((a.code, *g[1:]) in revised for a in tree.ancestors(g[0]))
        ]
        with self.transaction():
            above = {
                g: [
                    f
                    for a in tree.ancestors(g[0])
                    for f in self._stated(a.code, g[1], g[2], g[3], Period.year(g[4]))
                    if f.key not in new_keys
                ]
                for g in top
            }
            before = {
                (g, f.key.period): self._number(g[:4], f.key.period, measures, tree)
                for g in top
                for f in above[g]
            }
            changed = self.write_facts(facts, source=source, batch_id=batch_id)
            moved: dict[FactKey, Decimal] = {}
            current: dict[FactKey, Fact] = {}
            for g in top:
                for f in above[g]:
                    delta = self._number(g[:4], f.key.period, measures, tree) - before[(g, f.key.period)]
                    if delta:
                        moved[f.key] = moved.get(f.key, Decimal(0)) + delta
                        current[f.key] = f
            adjusted = [
                Fact(
                    k,
                    Value.of((current[k].value.number or Decimal(0)) + d),
                    current[k].comment,
                    current[k].source,
                )
                for k, d in moved.items()
            ]
            if adjusted:
                changed += self.write_facts(adjusted, source=source, batch_id=batch_id)
        return changed

    def _stated(
        self, unit: str, measure: str, scenario: Scenario, version: str, within: Period
    ) -> list[Fact]:
        rows = self.conn.execute(
            "SELECT u.code, f.measure, f.scenario, f.version, f.period, f.gender, f.grp, f.value, "
            "f.status, f.resolution, f.comment, f.source FROM facts f JOIN units u ON u.id = f.unit_id "
            "WHERE u.code = ? AND f.measure = ? AND f.scenario = ? AND f.version = ? AND f.gender = '' "
            "AND f.grp = '' AND f.period_start >= ? AND f.period_end <= ?",
            (unit, measure, scenario.value, version, str(within.start), str(within.end)),
        ).fetchall()
        return [_fact_from_row(r) for r in rows]

    def _number(self, group: tuple, period: Period, measures: dict[str, Measure], tree: UnitTree) -> Decimal:
        unit, measure, scenario, version = group
        v = self.value(unit, measures[measure], scenario, period, version=version, tree=tree)
        return v.number if v.is_number and v.number is not None else Decimal(0)

    def budget_versions(self, year: int) -> list[dict]:
        """The revisions of a year's budget, oldest first (the original, version '', is not listed)."""
        return self._dicts("SELECT * FROM budget_versions WHERE year = ? ORDER BY version", (year,))

    def add_budget_version(self, year: int, applies_from: Month, decided_on: str, reason: str) -> str:
        """Start an ombudgetering: a new version (named by the month it applies from) holding a
        copy of the budget in effect before it, which the user then changes. Returns the version."""
        if applies_from.year != year:
            raise StoreError(_("Ombudgeteringen måste gälla från en månad under {y}.").format(y=year))
        if not reason.strip():
            raise StoreError(_("Ange skälet till ombudgeteringen (t.ex. nämndens beslut)."))
        version = str(applies_from)
        if any(v["version"] == version for v in self.budget_versions(year)):
            raise StoreError(
                _("Det finns redan en ombudgetering från {m}.").format(
                    m=Period(applies_from, applies_from).label()
                )
            )
        previous = max([""] + [v["version"] for v in self.budget_versions(year) if v["version"] < version])
        year_period = Period.year(year)
        copies = [
            Fact(
                FactKey(k.unit, k.measure, k.scenario, k.period, version, k.gender, k.group),
                f.value,
                f.comment,
            )
            for f in self.facts(scenario=Scenario.BUDGET)
            if (k := f.key).version == previous and year_period.contains(k.period)
        ]
        with self.transaction() as c:
            c.execute(
                "INSERT INTO budget_versions (year, version, decided_on, reason, created_by, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (year, version, decided_on, reason.strip(), self.user, now()),
            )
            if copies:
                self.write_facts(copies, source="ombudgetering")
        return version
