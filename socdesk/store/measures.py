"""Declared measures: added or changed in the store with one audit row each.

A measure's definition is audited like a figure, on the same hash chain
(``Store._append_audit``): the row has ``scenario`` ``mått`` (no figure has it), the measure's
key in ``measure``, empty unit, period, kön and grupp, and the old and the new definition as
JSON text in ``old_status``/``new_status`` (``None`` for a new measure). Its ``batch_id`` is
empty even when an import declared it (``source`` names the file): undoing the import takes back
its figures, while the measure, perhaps used since, stays.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from socdesk.core.i18n import _
from socdesk.core.measures import Measure, validate
from socdesk.store.db import Store, StoreError, now

AUDIT_SCENARIO = "mått"  # the audit rows of measure definitions
GUI_SOURCE = "mått"  # Inställningar → Mått
_COLUMNS = (
    "key",
    "name",
    "unit",
    "additive_time",
    "additive_units",
    "additive_breakdown",
    "higher_is_better",
    "formula",
)


def definition(m: Measure) -> str:
    """A measure as the audit keeps it: JSON with the declaration's column names."""
    return json.dumps(
        {
            "nyckel": m.key,
            "namn": m.name,
            "enhet": m.unit,
            "additiv_tid": m.additive_time,
            "additiv_enheter": m.additive_units,
            "additiv_uppdelning": m.additive_breakdown,
            "högre_bättre": m.higher_is_better,
            "formel": m.formula,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def declare(store: Store, measures: Iterable[Measure], *, source: str, checked: bool = True) -> int:
    """Add new measures and change stored ones, in one transaction, each change audited. A
    change of unit of measure or additivity is refused (``Measure.conflict``); a measure
    exactly as stored is left alone. ``checked``: each is held to ``core.measures.validate``
    (``False`` only for measures socdesk makes itself, Kolada's). Returns how many measures
    were added or changed."""
    stored = store.measures()
    wanted = list(measures)
    known = {**stored, **{m.key: m for m in wanted}}
    changes: list[tuple[Measure, Measure | None]] = []
    for m in wanted:
        if checked:
            validate(m, known, lambda column, k=m.key: _("Måttet {k}, kolumn {c}").format(k=k, c=column))
        old = stored.get(m.key)
        if old is not None:
            problem = old.conflict(m)
            if problem:
                raise StoreError(problem)
            if old == m:
                continue
        changes.append((m, old))
    if not changes:
        return 0
    with store.transaction() as c:
        at = now()
        for m, old in changes:
            row = (
                m.key,
                m.name,
                m.unit,
                int(m.additive_time),
                int(m.additive_units),
                int(m.additive_breakdown),
                int(m.higher_is_better),
                m.formula,
            )
            c.execute(
                f"INSERT INTO measures ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))}) "
                "ON CONFLICT (key) DO UPDATE SET "
                + ", ".join(f"{col} = excluded.{col}" for col in _COLUMNS[1:]),
                row,
            )
            store._append_audit(
                c,
                "SELECT ?, '', ?, ?, '', '', '', '', NULL, ?, NULL, ?",
                (
                    "update" if old is not None else "insert",
                    m.key,
                    AUDIT_SCENARIO,
                    definition(old) if old is not None else None,
                    definition(m),
                ),
                source=source,
                at=at,
            )
    return len(changes)


def measure_history(store: Store, key: str) -> list[dict]:
    """Every change of one measure's definition, oldest first (the audit's rows; written with an
    empty unit, so they are found through the audit's unit index, not by a walk of it all)."""
    return store._dicts(
        "SELECT id, at, who, action, source, old_status AS old, new_status AS new FROM audit_log "
        "WHERE unit_code = '' AND measure = ? AND scenario = ? ORDER BY id",
        (key, AUDIT_SCENARIO),
    )
