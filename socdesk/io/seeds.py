"""The bundled seed data: default measures and the demo database built from the seed reports."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from socdesk.core.errors import SocdeskError
from socdesk.core.i18n import _
from socdesk.core.measures import parse_measures
from socdesk.io.longcsv import ImportResult, import_long_csv
from socdesk.resources import seed_dir
from socdesk.store.backup import claim_identity
from socdesk.store.db import Store


def open_database(path: str | Path, *, final: Path | None = None) -> Store:
    """Open for writing (creating if needed) a database with at least the default measures and
    its identity. No lock and no backup: for a new file (the demo, benchmarks, tests); the
    program and the writing commands open through ``socdesk.store.safety.open_safely``, the
    reading commands with ``Store(path, readonly=True)``. ``final``: the path the new file is
    renamed to once it is complete (its identity is claimed there)."""
    store = Store(path)
    try:
        claim_identity(store, at=final, settle=True)
        if not store.measures():
            install_default_measures(store)
    except BaseException:
        store.close()
        raise
    return store


def install_default_measures(store: Store) -> None:
    path = seed_dir() / "matt.csv"
    store.upsert_measures(parse_measures(path.read_text(encoding="utf-8"), path.name))


def demo_manifest() -> list[tuple[Path, bool]]:
    text = (seed_dir() / "demo.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(io.StringIO(text), delimiter=";")
    return [(seed_dir() / r["fil"], r["kostnader_negativa"] == "ja") for r in rows]


def build_demo(path: str | Path) -> list[ImportResult]:
    """Create the demo database from the seed reports. Refuses to touch an existing file."""
    path = Path(path)
    if path.exists():
        raise SocdeskError(_("{p} finns redan; demodatabasen skapas bara i en ny fil.").format(p=path))
    partial = path.with_name(path.name + ".skapas")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    try:
        with open_database(partial, final=path) as store:
            results = [import_long_csv(store, f, costs_negative=neg) for f, neg in demo_manifest()]
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return results
