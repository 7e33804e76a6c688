"""The SQLite store: one ``Store`` facade over the parts that hold its SQL.

``Store`` is composed of mixins, one per module, each a subclass of
``socdesk.store.connection.Connection`` (the connection, transactions, migrations); a part
that needs another's methods inherits from it (``Facts`` from ``AuditChain``, ``Locks``,
``Rollup`` and ``Units``; ``Units`` from ``Rollup``), so what depends on what is written in the
class lines:

- ``connection``  opening, the connection's rules, the ``-wal`` check, ``transaction``,
                  the generation, migrations (``migrate``)
- ``errors``      the store's errors; SQLite's errors told apart (damage or storage)
- ``reading``     read-only looks at a file; what a file is; SQLite's files beside it
- ``units``       the unit tree and the measures
- ``audit``       the audit and its hash chain (``chain``)
- ``locks``       period locks
- ``rollup``      the rollup table
- ``facts``       writing, reading and removing facts
- ``batches``     import batches and undoing them (``undo``: the undo, set-based)
- ``history``     a cell's history and reverting a change
- ``reference``   the reference figure of a cell (``Store.value``)
- ``planning``    budgets and budget revisions
- ``inventory``   what is stated where: measures, periods, versions, sources
- ``notes``       drafts, settings, comments
- ``acks``        acknowledged findings (audited); ``finals`` decided reports' PDFs

Rows enter the audit only through ``Store._append_audit``, which seals them onto its hash
chain in the same statement. This module keeps the names others import from it.
"""

from __future__ import annotations

from socdesk.store.acks import Acks
from socdesk.store.check_facts import CheckFacts
from socdesk.store.compare import Compare
from socdesk.store.connection import (
    GENERATION_KEY,
    IDENTITY_KEY,
    PATH_KEY,
    SNAPSHOT_LIMIT,
    current_user,
    now,
)
from socdesk.store.errors import (
    DETACHED_WAL,
    DetachedWalError,
    InterruptedStatement,
    NewerDatabaseError,
    NotSocdeskError,
    PeriodLockedError,
    StorageError,
    StoreError,
    SumOverflowError,
    is_damage,
    is_interrupted,
    storage_error,
)
from socdesk.store.facts import _value
from socdesk.store.finals import Finals
from socdesk.store.history import History
from socdesk.store.inventory import Inventory
from socdesk.store.notes import Notes
from socdesk.store.planning import Planning
from socdesk.store.reading import (
    JOURNAL_SUFFIXES,
    SOCDESK_TABLES,
    is_database_file,
    reading,
    socdesk_version,
)
from socdesk.store.remaining import RemainingWork
from socdesk.store.report_texts import ReportTexts
from socdesk.store.undo import Undo
from socdesk.store.value_notes import ValueNotes

__all__ = [
    "DETACHED_WAL",
    "GENERATION_KEY",
    "IDENTITY_KEY",
    "JOURNAL_SUFFIXES",
    "PATH_KEY",
    "SNAPSHOT_LIMIT",
    "SOCDESK_TABLES",
    "DetachedWalError",
    "InterruptedStatement",
    "NewerDatabaseError",
    "NotSocdeskError",
    "PeriodLockedError",
    "StorageError",
    "Store",
    "StoreError",
    "SumOverflowError",
    "_value",
    "current_user",
    "is_damage",
    "is_database_file",
    "is_interrupted",
    "now",
    "reading",
    "socdesk_version",
    "storage_error",
]


class Store(
    Planning,
    History,
    Undo,
    Inventory,
    Notes,
    ReportTexts,
    Acks,
    Finals,
    CheckFacts,
    ValueNotes,
    RemainingWork,
    Compare,
):
    """One SQLite database file. Not thread-safe: one Store per thread."""
