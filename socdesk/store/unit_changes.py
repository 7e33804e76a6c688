"""Units managed in the program (issue 16 §2, docs/units.md): add, rename, move, close and
merge, each one audited transaction that records a unit event and keeps the closure table and
the rollup current for the subtrees it touches. Codes are stable: a code is never changed nor
reused; a rename changes the name only. No figure is ever moved or removed: a merge closes the
old units and puts them under the new one, so that its earlier periods sum them ("som nu"),
and the events keep the parents they had ("som den var", ``Units.unit_tree(as_of=…)``)."""

from __future__ import annotations

import json
import sqlite3

from socdesk.core.i18n import _
from socdesk.core.periods import parse_period
from socdesk.core.units import check_month, month_label
from socdesk.store.audit import AuditChain
from socdesk.store.connection import now
from socdesk.store.errors import StoreError, UnitClosedError
from socdesk.store.schema import UNIT_EVENTS
from socdesk.store.units import Units

# A change of the tree is audited like a measure's definition (``socdesk.store.measures``), on
# the same hash chain: ``scenario`` ``enhet`` (no figure has it), the unit's code, the month it
# holds from as the period, and the change with its old and new value as JSON text in
# ``old_status``/``new_status``; the source says what kind of change it was.
AUDIT_SCENARIO = "enhet"
SOURCES = {
    "add": "enhet: ny",
    "rename": "enhet: nytt namn",
    "move": "enhet: flyttad",
    "close": "enhet: stängd",
    "merge": "enhet: sammanslagen",
}


class UnitChanges(AuditChain, Units):
    # --- reading ------------------------------------------------------------------------
    def unit_events(self, code: str | None = None) -> list[dict]:
        """The unit's history of changes (every unit's without ``code``), oldest first."""
        if code is None:
            return self._dicts("SELECT * FROM unit_events ORDER BY id")
        return self._dicts("SELECT * FROM unit_events WHERE unit_code = ? ORDER BY id", (code,))

    def closed_units(self) -> dict[int, str]:
        """Unit id → the month it is closed from, for the closed units."""
        if self.schema_version < UNIT_EVENTS:
            return {}
        return dict(self.conn.execute("SELECT id, closed_from FROM units WHERE closed_from IS NOT NULL"))

    def _refuse_closed_rows(self, rows: list[tuple]) -> None:
        """Staged fact rows (unit id first, ``period_start`` sixth) for periods from a closed
        unit's closing month are refused, naming the unit and the month; nothing is written."""
        closed = self.closed_units()
        if not closed:
            return
        bad = [i for i, r in enumerate(rows) if r[0] in closed and r[5] >= closed[r[0]]]
        if not bad:
            return
        names = {i: code for code, i in self.unit_ids().items()}
        cells = [(names[rows[i][0]], rows[i][4], closed[rows[i][0]]) for i in bad]
        unit, period, month = cells[0]
        raise UnitClosedError(
            _(
                "Enheten {u} är stängd fr.o.m. {m}: {n} uppgifter för perioder från {m} sparades inte "
                "(inget sparades), t.ex. {p}. Registrera dem på enheten som tog över."
            ).format(u=unit, m=month_label(month), n=len(bad), p=parse_period(period).label()),
            cells,
            bad,
        )

    # --- the changes --------------------------------------------------------------------
    def add_unit(self, code: str, name: str, parent: str | None = None, *, effective: str = "") -> None:
        """A new unit (under ``parent``, or a new board); its code must be new."""
        code, name = code.strip(), name.strip()
        if not code or not name:
            raise StoreError(_("En ny enhet behöver både kod och namn."))
        with self.transaction() as c:
            if self._id(c, code, must=False) is not None:
                raise StoreError(
                    _("Koden {u} finns redan ({n}); en kod används bara för en enhet.").format(
                        u=code, n=self._name(c, code)
                    )
                )
            parent_id = self._id(c, parent) if parent else None
            self._refuse_into_closed(c, parent)
            sort = c.execute("SELECT coalesce(max(sort), 0) + 1 FROM units").fetchone()[0]
            new_id = int(
                c.execute(
                    "INSERT INTO units (code, name, parent_id, sort) VALUES (?, ?, NULL, ?)",
                    (code, name, sort),
                ).lastrowid
                or 0
            )
            c.execute(
                "INSERT INTO unit_closure (ancestor_id, descendant_id, depth) VALUES (?, ?, 0)",
                (new_id, new_id),
            )
            if parent_id is not None:
                self._attach(c, new_id, parent_id)
            self._event(c, code, "add", "", parent or "", effective, detail=name)

    def rename_unit(self, code: str, name: str) -> None:
        """The unit's name changes; its code, figures and history stay."""
        name = name.strip()
        if not name:
            raise StoreError(_("Ange det nya namnet för {u}.").format(u=code))
        with self.transaction() as c:
            self._id(c, code)
            old = self._name(c, code)
            if old == name:
                raise StoreError(_("{u} heter redan ”{n}”.").format(u=code, n=name))
            c.execute("UPDATE units SET name = ? WHERE code = ?", (name, code))
            self._event(c, code, "rename", old, name, "")

    def move_unit(self, code: str, parent: str | None, *, effective: str = "") -> None:
        """The unit and everything under it to a new parent (``None``: a board of its own);
        from ``effective`` ("YYYY-MM"; "" for always) – "som den var" keeps the old parent
        for the months before it."""
        if effective:
            effective = check_month(effective)
        with self.transaction() as c:
            unit_id = self._id(c, code)
            old = c.execute(
                "SELECT p.code FROM units u LEFT JOIN units p ON p.id = u.parent_id WHERE u.id = ?",
                (unit_id,),
            ).fetchone()[0]
            if (old or None) == (parent or None):
                where = _("under {p}").format(p=parent) if parent else _("en egen nämnd")
                raise StoreError(_("{u} ligger redan {w}.").format(u=code, w=where))
            self._refuse_into_closed(c, parent)
            self._move(c, unit_id, self._id(c, parent) if parent else None)
            self._event(c, code, "move", old or "", parent or "", effective)

    def close_unit(self, code: str, month: str) -> None:
        """The unit takes no figures for periods from ``month``; the earlier ones stay. Refused
        while figures from that month are stored (they are listed: remove them first)."""
        month = check_month(month)
        with self.transaction() as c:
            self._close(c, code, month)

    def merge_units(
        self,
        codes: list[str],
        into: str,
        month: str,
        *,
        name: str | None = None,
        parent: str | None = None,
    ) -> bool:
        """``codes`` merged into ``into`` from ``month`` (Järva = Rinkeby-Kista + Spånga-Tensta,
        jul 2023): ``into`` is made if it does not exist (under the units' common parent, or
        ``parent``), the units are closed from the month and put under it, so that its
        figures before the month are theirs summed; theirs and their history stay on them.
        Returns whether ``into`` was made."""
        month = check_month(month)
        codes = list(dict.fromkeys(c.strip() for c in codes))
        if len(codes) < 2:
            raise StoreError(_("Ange minst två enheter att slå ihop."))
        if into in codes:
            raise StoreError(_("{c} kan inte slås ihop in i sig själv; ange en annan enhet.").format(c=into))
        with self.transaction() as c:
            ids = [self._id(c, code) for code in codes]
            parents = {
                row[0]
                for row in c.execute(
                    f"SELECT p.code FROM units u LEFT JOIN units p ON p.id = u.parent_id "
                    f"WHERE u.id IN ({','.join('?' * len(ids))})",
                    ids,
                )
            }
            made = self._id(c, into, must=False) is None
            if made:
                if not name or not name.strip():
                    raise StoreError(
                        _("{c} finns inte: ange namnet på den nya enheten (--name).").format(c=into)
                    )
                if parent is None:
                    if len(parents) != 1:
                        raise StoreError(
                            _(
                                "{a} ligger under olika enheter ({p}); ange var {c} ska ligga (--parent)."
                            ).format(a=_and(codes), p=", ".join(sorted(p or "–" for p in parents)), c=into)
                        )
                    parent = next(iter(parents))
                self.add_unit(into, name, parent, effective=month)
            else:
                into_id = self._id(c, into)
                for code, unit_id in zip(codes, ids, strict=True):
                    if c.execute(
                        "SELECT 1 FROM unit_closure WHERE ancestor_id = ? AND descendant_id = ? "
                        "AND depth > 0",
                        (unit_id, into_id),
                    ).fetchone():
                        raise StoreError(
                            _(
                                "{c} ligger under {u}: en enhet kan inte slås ihop in i en egen underenhet."
                            ).format(c=into, u=code)
                        )
                self._refuse_into_closed(c, into)
            into_id = self._id(c, into)
            for code, unit_id in zip(codes, ids, strict=True):
                self._close(c, code, month)
                old = c.execute(
                    "SELECT p.code FROM units u LEFT JOIN units p ON p.id = u.parent_id WHERE u.id = ?",
                    (unit_id,),
                ).fetchone()[0]
                if old != into:
                    self._move(c, unit_id, into_id)
                    self._event(c, code, "move", old or "", into, month)
            self._event(c, into, "merge", ",".join(codes), into, month)
        return made

    # --- the parts ----------------------------------------------------------------------
    def _id(self, c: sqlite3.Connection, code: str | None, *, must: bool = True) -> int | None:
        row = c.execute("SELECT id FROM units WHERE code = ?", ((code or "").strip(),)).fetchone()
        if row is None and must:
            raise StoreError(_("Enheten {u} finns inte.").format(u=code))
        return row[0] if row else None

    def _name(self, c: sqlite3.Connection, code: str) -> str:
        return c.execute("SELECT name FROM units WHERE code = ?", (code,)).fetchone()[0]

    def _refuse_into_closed(self, c: sqlite3.Connection, parent: str | None) -> None:
        if not parent:
            return
        row = c.execute("SELECT closed_from FROM units WHERE code = ?", (parent,)).fetchone()
        if row is not None and row[0]:
            raise StoreError(
                _("{p} är stängd fr.o.m. {m}: inga nya enheter kan läggas under den.").format(
                    p=parent, m=month_label(row[0])
                )
            )

    def _close(self, c: sqlite3.Connection, code: str, month: str) -> None:
        unit_id = self._id(c, code)
        current = c.execute("SELECT closed_from FROM units WHERE id = ?", (unit_id,)).fetchone()[0]
        if current and current <= month:
            return  # already closed from then or earlier: nothing to change
        later = c.execute(
            "SELECT period, count(*) FROM facts WHERE unit_id = ? AND period_start >= ? "
            "GROUP BY period_start, period_end ORDER BY period_start, period_end",
            (unit_id, month),
        ).fetchall()
        if later:
            n = sum(r[1] for r in later)
            shown = ", ".join(parse_period(p).label() for p, _n in later[:12]) + (
                " …" if len(later) > 12 else ""
            )
            raise StoreError(
                _(
                    "{u} kan inte stängas fr.o.m. {m}: {n} uppgifter är redan registrerade för perioder "
                    "från {m} ({p}). Ta bort dem först (eller flytta dem till enheten som tar över); "
                    "inget ändrades."
                ).format(u=code, m=month_label(month), n=n, p=shown)
            )
        c.execute("UPDATE units SET closed_from = ? WHERE id = ?", (month, unit_id))
        self._event(c, code, "close", current or "", month, month)

    def _attach(self, c: sqlite3.Connection, unit_id: int, parent_id: int) -> None:
        """A unit without ancestors (just made, or cut loose by ``_move``) put under ``parent_id``."""
        c.execute(
            "INSERT INTO unit_closure (ancestor_id, descendant_id, depth) "
            "SELECT a.ancestor_id, d.descendant_id, a.depth + d.depth + 1 "
            "FROM unit_closure a CROSS JOIN unit_closure d WHERE a.descendant_id = ? AND d.ancestor_id = ?",
            (parent_id, unit_id),
        )
        c.execute("UPDATE units SET parent_id = ? WHERE id = ?", (parent_id, unit_id))
        c.execute("UPDATE units SET has_children = 1 WHERE id = ?", (parent_id,))

    def _move(self, c: sqlite3.Connection, unit_id: int, parent_id: int | None) -> None:
        """The subtree of ``unit_id`` under ``parent_id``: the closure table and ``has_children``
        made right, then the rollup of the old and new ancestors recomputed for its keys."""
        subtree = [
            r[0]
            for r in c.execute("SELECT descendant_id FROM unit_closure WHERE ancestor_id = ?", (unit_id,))
        ]
        if parent_id is not None and parent_id in subtree:
            raise StoreError(
                _("{u} kan inte flyttas under {p}: {p} ligger under {u} (det blir en slinga).").format(
                    u=self._code(c, unit_id), p=self._code(c, parent_id)
                )
            )
        old_parent = c.execute("SELECT parent_id FROM units WHERE id = ?", (unit_id,)).fetchone()[0]
        ancestors = [
            r[0]
            for r in c.execute(
                "SELECT ancestor_id FROM unit_closure WHERE descendant_id = ? AND depth > 0", (unit_id,)
            )
        ]
        marks = ",".join("?" * len(subtree))
        c.execute(
            f"DELETE FROM unit_closure WHERE descendant_id IN ({marks}) AND ancestor_id NOT IN ({marks})",
            (*subtree, *subtree),
        )
        c.execute("UPDATE units SET parent_id = NULL WHERE id = ?", (unit_id,))
        if parent_id is not None:
            self._attach(c, unit_id, parent_id)
            ancestors += [
                r[0]
                for r in c.execute(
                    "SELECT ancestor_id FROM unit_closure WHERE descendant_id = ? AND depth > 0", (unit_id,)
                )
            ]
        if old_parent is not None:
            c.execute(
                "UPDATE units SET has_children = EXISTS (SELECT 1 FROM units ch WHERE ch.parent_id = ?) "
                "WHERE id = ?",
                (old_parent, old_parent),
            )
        # The keys of the moved facts, and of the two parents' own facts (a parent that gained
        # or lost its last child counts its facts otherwise in its ancestors' rollup).
        fact_units = [*subtree, *(p for p in (old_parent, parent_id) if p is not None)]
        self._refresh_rollup_of(c, fact_units, list(dict.fromkeys(ancestors)))

    def _code(self, c: sqlite3.Connection, unit_id: int) -> str:
        return c.execute("SELECT code FROM units WHERE id = ?", (unit_id,)).fetchone()[0]

    def _event(
        self,
        c: sqlite3.Connection,
        code: str,
        action: str,
        old: str,
        new: str,
        effective: str,
        *,
        detail: str = "",
    ) -> None:
        """The unit event and its audit row (sealed onto the chain), in the change's transaction."""
        at = now()
        c.execute(
            "INSERT INTO unit_events (unit_code, action, old_value, new_value, effective, at, who) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (code, action, old, new, effective, at, self.user),
        )
        self._append_audit(
            c,
            "SELECT ?, ?, '', ?, '', ?, '', '', NULL, ?, NULL, ?",
            (
                "insert" if action == "add" else "update",
                code,
                AUDIT_SCENARIO,
                effective,
                json.dumps({"action": action, "value": old}, ensure_ascii=False),
                json.dumps({"action": action, "value": new}, ensure_ascii=False),
            ),
            source=SOURCES[action] + (f" ({detail})" if detail else ""),
            at=at,
        )


def _and(codes: list[str]) -> str:
    return codes[0] if len(codes) == 1 else _("{a} och {b}").format(a=", ".join(codes[:-1]), b=codes[-1])
