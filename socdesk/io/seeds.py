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
            for texts in sorted((seed_dir() / "texts").glob("*.toml")):
                load_texts(store, texts)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return results


TEXT_KEYS = {"template", "period", "text", "comment"}


def load_texts(store: Store, path: Path) -> int:
    """Report texts transcribed from a seed (``seeds/texts/*.toml``, docs/templates.md): each
    ``[[text]]`` (key, text) is saved for the file's template and period, each ``[[comment]]``
    (unit, period, text) as the unit's avvikelseanalys. Everything is checked before anything
    is written; an error names the file and the entry. Returns how many were written."""
    import tomllib

    from socdesk.core.periods import parse_period

    name = path.name
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise SocdeskError(_("{f}: kan inte läsas ({e}).").format(f=name, e=err)) from err
    errors: list[str] = []
    unknown = sorted(set(data) - TEXT_KEYS)
    if unknown:
        errors.append(_("{f}: okänd nyckel «{k}»").format(f=name, k=unknown[0]))
    texts, comments = data.get("text", []), data.get("comment", [])
    template, period = data.get("template", ""), data.get("period", "")
    if texts and not (isinstance(template, str) and template and isinstance(period, str) and period):
        errors.append(_("{f}: «template» och «period» behövs för texterna").format(f=name))
    elif texts:
        try:
            period = str(parse_period(period))
        except SocdeskError as err:
            errors.append(_("{f}: «period»: {e}").format(f=name, e=err))
    tree = store.unit_tree()
    plan: list[tuple[str, tuple[str, str, str, str]]] = []
    for kind, entries, keys in (
        ("text", texts, ("key", "text")),
        ("comment", comments, ("unit", "period", "text")),
    ):
        if not isinstance(entries, list):
            errors.append(_("{f}: «{k}» ska vara en lista ([[{k}]])").format(f=name, k=kind))
            continue
        for i, entry in enumerate(entries, start=1):
            where = _("{f}: [[{k}]] nr {i}").format(f=name, k=kind, i=i)
            if not isinstance(entry, dict):
                errors.append(_("{w}: ska vara en tabell av nycklar").format(w=where))
                continue
            label = entry.get("key") or entry.get("unit")
            if isinstance(label, str) and label:
                where += f" («{label}»)"
            extra = sorted(set(entry) - set(keys))
            if extra:
                errors.append(_("{w}: okänd nyckel «{k}»").format(w=where, k=extra[0]))
            missing = [k for k in keys if not isinstance(entry.get(k), str) or not entry.get(k).strip()]
            if missing:
                errors.append(_("{w}: «{k}» saknas eller är tom").format(w=where, k=missing[0]))
                continue
            if kind == "comment":
                if entry["unit"] not in tree:
                    errors.append(_("{w}: enheten {u} finns inte").format(w=where, u=entry["unit"]))
                    continue
                try:
                    shown = str(parse_period(entry["period"]))
                except SocdeskError as err:
                    errors.append(f"{where}: {err}")
                    continue
                plan.append(("comment", (entry["unit"], shown, entry["text"].strip(), "")))
            else:
                plan.append(("text", (template, period, entry["key"], entry["text"].strip())))
    if errors:
        raise SocdeskError("\n".join(errors))
    with store.transaction():
        for kind, args in plan:
            if kind == "comment":
                store.add_comment(*args[:3])
            else:
                store.save_report_text(*args)
    return len(plan)
