"""The organisation's units (a tree, kept with its closure table) and the measures.

A unit may be a "därav" part of its parent (``units.part``, ``socdesk.core.units``)."""

from __future__ import annotations

from collections.abc import Iterable

from socdesk.core.i18n import _
from socdesk.core.measures import Measure
from socdesk.core.units import Unit, UnitTree
from socdesk.store.errors import StoreError
from socdesk.store.rollup import Rollup
from socdesk.store.schema import UNIT_EVENTS


class Units(Rollup):
    def unit_tree(self, *, as_of: str | None = None) -> UnitTree:
        """The tree as it is now; with ``as_of`` ("YYYY-MM", "som den var"), each unit under the
        parent it had in that month (the unit events' moves from a later month undone)."""
        managed = self.schema_version >= UNIT_EVENTS  # (a test may run the program at an older one)
        rows = self.conn.execute(
            f"SELECT u.code, u.name, p.code, u.part, {'u.closed_from' if managed else 'NULL'} FROM units u "
            "LEFT JOIN units p ON p.id = u.parent_id ORDER BY u.sort, u.id"
        ).fetchall()
        if as_of is not None and managed:
            then: dict[str, str | None] = {}
            for code, old in self.conn.execute(
                "SELECT unit_code, old_value FROM unit_events WHERE action = 'move' AND effective > ? "
                "ORDER BY effective DESC, id DESC",
                (as_of,),
            ):
                then[code] = old or None  # the earliest later move wins (written last)
            rows = [(c, n, then.get(c, p) if c in then else p, part, cl) for c, n, p, part, cl in rows]
        by_parent: dict[str | None, list[Unit]] = {}
        for code, name, parent, part, closed in rows:
            by_parent.setdefault(parent, []).append(Unit(code, name, parent, bool(part), closed))
        tree = UnitTree(as_of=as_of)
        stack = list(reversed(by_parent.get(None, [])))
        while stack:
            unit = stack.pop()
            tree.add(unit)
            stack.extend(reversed(by_parent.get(unit.code, [])))
        return tree

    def unit_ids(self) -> dict[str, int]:
        return dict(self.conn.execute("SELECT code, id FROM units"))

    def add_units(self, units: Iterable[Unit]) -> None:
        """Add units (parents before children) or rename existing ones, in one transaction."""
        with self.transaction() as c:
            ids = self.unit_ids()
            next_sort = c.execute("SELECT coalesce(max(sort), 0) + 1 FROM units").fetchone()[0]
            for unit in units:
                parent_id = ids.get(unit.parent) if unit.parent else None
                if unit.parent and parent_id is None:
                    raise StoreError(_("Överordnad enhet {p} finns inte.").format(p=unit.parent))
                if unit.code in ids:
                    c.execute("UPDATE units SET name = ? WHERE code = ?", (unit.name, unit.code))
                    continue
                cur = c.execute(
                    "INSERT INTO units (code, name, parent_id, sort, part) VALUES (?, ?, ?, ?, ?)",
                    (unit.code, unit.name, parent_id, next_sort, int(unit.part)),
                )
                new_id = int(cur.lastrowid or 0)
                ids[unit.code] = new_id
                next_sort += 1
                c.execute(
                    "INSERT INTO unit_closure (ancestor_id, descendant_id, depth) VALUES (?, ?, 0)",
                    (new_id, new_id),
                )
                if parent_id is not None:
                    c.execute(
                        "INSERT INTO unit_closure (ancestor_id, descendant_id, depth) "
                        "SELECT ancestor_id, ?, depth + 1 FROM unit_closure WHERE descendant_id = ?",
                        (new_id, parent_id),
                    )
                    gained = c.execute(
                        "UPDATE units SET has_children = 1 WHERE id = ? AND NOT has_children", (parent_id,)
                    ).rowcount
                    if gained:  # its facts now count as a non-leaf's in its ancestors' rollup
                        c.execute("DROP TABLE IF EXISTS temp.staging")
                        c.execute(
                            "CREATE TEMP TABLE staging AS SELECT unit_id, measure, scenario, version, "
                            "period_start, period_end, gender, grp FROM facts WHERE unit_id = ?",
                            (parent_id,),
                        )
                        self._refresh_rollup(c)
                        c.execute("DROP TABLE temp.staging")

    def measures(self) -> dict[str, Measure]:
        return {
            r["key"]: Measure(
                key=r["key"],
                name=r["name"],
                unit=r["unit"],
                additive_time=bool(r["additive_time"]),
                additive_units=bool(r["additive_units"]),
                additive_breakdown=bool(r["additive_breakdown"]),
                higher_is_better=bool(r["higher_is_better"]),
                formula=r["formula"],
            )
            for r in self._dicts("SELECT * FROM measures ORDER BY rowid")
        }

    def upsert_measures(self, measures: Iterable[Measure]) -> None:
        rows = [
            {
                "key": m.key,
                "name": m.name,
                "unit": m.unit,
                "additive_time": int(m.additive_time),
                "additive_units": int(m.additive_units),
                "additive_breakdown": int(m.additive_breakdown),
                "higher_is_better": int(m.higher_is_better),
                "formula": m.formula,
            }
            for m in measures
        ]
        with self.transaction():
            self.db["measures"].upsert_all(rows, pk="key")
