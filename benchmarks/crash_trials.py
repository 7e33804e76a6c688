"""Crash trials: what users do, killed with SIGKILL at a random moment, then checked.

    .venv/bin/python benchmarks/crash_trials.py [TRIALS] [--jobs 2] [--only PATH,…] [--seed S] [--keep DIR]

Each trial takes one path a user takes – an import through ``socdesk import`` (long CSV, ledger
CSV, XLSX, SIE), ``undo-import``, ``lock``/``reopen``, ``export`` or ``report`` written over an
existing good file, the GUI's start backup, the GUI's restore (Arkiv → Säkerhetskopior), an
upgrade of an old-schema database (the GUI's start or a CLI import), the entry form's Spara – on
a private copy of a prepared workspace, runs it as its own process (the CLI as ``python -m
socdesk``, the GUI offscreen) and kills it with SIGKILL at a random moment inside the operation.
Then:

- the database passes ``PRAGMA integrity_check`` and its rollup equals its recomputation;
- its content is one of the states the operation passes through – the states an un-killed run
  of the same operation produced, compared table by table: each import batch wholly there or
  not at all, each form save wholly or not at all (and the typing kept as a draft until it is
  saved), a migration all or nothing, a restore the old database or the backup;
- every finished backup is sound and holds one of those states;
- an output file that existed is byte-identical to before, or a complete new file (CSV: the
  bytes of an un-killed export; XLSX: loads with the same cells; PDF: reads with the same
  pages and text; HTML: whole, the same text);
- the database opens (``open_safely`` and a read; every fifth trial also the real GUI,
  offscreen, and ``socdesk check`` finds nothing wrong with the audit trail), after which no
  partial file is left in the database's folder, the backup folder or beside the settings;
  after the export is run again, none in the output folder.

Kill timing: each operation is first run un-killed twice (calibration), which gives the states
it passes through and measures its duration, its write window (from its first visible write –
a file in the database, backup or output folder changes – to its end) and its database window
(from its first write in the database's folder). A trial kills at a uniform moment of one of
them, chosen at random: of the whole run (``any``), of the write window (``write``) or of the
database window (``db``), each measured from the moment the trial sees that start; the GUI
objects driven in a child process print a marker just before the operation and are killed in
the window after it (``marker``).

Problems carry the section of issue 11 whose mechanism failed (``§2`` backups: interrupted
backups and restores cleaned up at the next start; ``§4`` atomic outputs), or none.

tests/test_crash.py runs a short sample of the same trials.
"""

from __future__ import annotations

import argparse
import csv
import fnmatch
import io
import os
import random
import re
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import warnings
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing, suppress
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIE_CORPUS = Path(os.environ.get("SOCDESK_SIE_CORPUS", ROOT.parent / "shared" / "sie-corpus" / "sie4j"))
TIMEOUT = 180.0  # seconds: an operation that takes longer has hung
ROLE_INI = "[user]\nrole = controller\n"  # lock and reopen need the controller role (cli.local_role)

# SIE files of the corpus (../shared/sie-corpus/sie4j, see its README) and how socdesk takes them
# today: two import (cost centres become units under SN), two are refused with a message.
SIE_FILES = (
    ("SIE_test_av_KST_projekt_Testbolaget_e_-_kopia.SE", 0),
    ("SIE_test_av_KST_projekt_Testbolaget_e_-_kopia_ny.SE", 0),
    ("BLBLOV_SIE2.SE", 1),  # #PSALDO of 2016 under year index 0: refused, naming the line
    ("Arousells_Visning_AB.SE", 1),  # says PC8 but is UTF-8 with lost letters: refused
)


# --- the operations -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Op:
    """One thing a user does. ``args`` are socdesk's (after ``--basedir``), with ``{db}``,
    ``{out}``, ``{inp}``, ``{sie}`` and ``{batch}`` filled in per trial."""

    path: str  # counted per path in the report
    name: str  # this variant
    template: str  # the prepared workspace it starts from
    args: tuple[str, ...] = ()
    child: str = ""  # GUI objects driven in a child process (this file, --child): save, restore
    until_backup: bool = False  # the real GUI, left running until its start backup is written
    probe: bool = False  # the real GUI with SOCDESK_STARTUP_PROBE: quits once the window is painted
    output: str = ""  # the file in out/ it writes over
    old_output: tuple[str, ...] = ()  # socdesk's arguments that made the previous good file
    codes: tuple[int, ...] = (0,)  # exit codes of an un-killed run
    also: tuple[str, ...] = ()  # operations whose end state this one passes through
    setup: tuple[str, ...] = ()  # socdesk's arguments, run un-killed in the trial's folder first


def _operations() -> list[Op]:
    db = ("--db", "{db}")
    ops = [
        Op("import-long", "import-long", "demo", ("import", "{inp}/lang.csv", *db)),
        Op(
            "import-ledger",
            "import-ledger",
            "demo",
            ("import", "{inp}/huvudbok.csv", *db, "--create-under", "SN"),
        ),
        Op("import-xlsx", "import-xlsx", "demo", ("import", "{inp}/bred.xlsx", *db, "--create-under", "SN")),
    ]
    if SIE_CORPUS.is_dir():
        ops += [
            Op(
                "import-sie",
                f"import-sie:{name}",
                "demo",
                ("import", f"{{sie}}/{name}", *db, "--create-under", "SN"),
                codes=(code,),
            )
            for name, code in SIE_FILES
        ]
    report = ("report", "tertial", *db, "--period", "2023-T1", "--unit", "N", "-o")
    old_report = ("report", "manad", *db, "--period", "2024-05", "--unit", "SN", "-o")
    ops += [
        Op("undo-import", "undo-import", "imported", ("undo-import", "{batch}", *db)),
        Op("lock", "lock", "demo", ("lock", *db, "--unit", "SN", "--period", "2024-05")),
        Op(
            "reopen",
            "reopen",
            "locked",
            ("reopen", *db, "--unit", "SN", "--period", "2024-05", "--reason", "Rättelse av maj"),
        ),
        Op(
            "export-csv",
            "export-csv",
            "demo",
            ("export", *db, "-o", "{out}/export.csv"),
            output="export.csv",
            old_output=("export", *db, "--unit", "771", "-o", "{out}/export.csv"),
        ),
        Op(
            "export-xlsx",
            "export-xlsx",
            "demo",
            ("export", *db, "-o", "{out}/export.xlsx"),
            output="export.xlsx",
            old_output=("export", *db, "--unit", "771", "-o", "{out}/export.xlsx"),
        ),
        *(
            Op(
                f"report-{s}",
                f"report-{s}",
                "demo",
                (*report, f"{{out}}/tertial.{s}"),
                output=f"tertial.{s}",
                old_output=(*old_report, f"{{out}}/tertial.{s}"),
            )
            for s in ("pdf", "xlsx", "html")
        ),
        Op("backup", "backup", "demo", db, until_backup=True),
        # its backup is taken in the trial's own folder (a copied database may count as another)
        Op("restore", "restore", "demo", child="restore", setup=("import", "{inp}/ångra.csv", *db)),
        Op("migration", "migration:gui", "old", db, probe=True),
        Op(
            "migration",
            "migration:import",
            "old",
            ("import", "{inp}/liten.csv", *db),
            also=("migration:gui",),
        ),
        Op("gui-save", "gui-save", "demo", child="save"),
    ]
    return ops


OPS = _operations()


def op_named(name: str) -> Op:
    return next(o for o in OPS if o.name == name)


def paths() -> list[str]:
    return list(dict.fromkeys(o.path for o in OPS))


# --- inputs and templates ------------------------------------------------------------------------
def _socdesk(args: list[str], folder: Path, **kwargs) -> subprocess.CompletedProcess:
    r = subprocess.run(
        [sys.executable, "-m", "socdesk", "--basedir", str(folder / "base"), *args],
        capture_output=True,
        text=True,
        env=_env(folder),
        timeout=TIMEOUT,
        **kwargs,
    )
    if r.returncode != 0:
        raise RuntimeError(f"socdesk {' '.join(args)}: {r.returncode}\n{r.stdout}\n{r.stderr}")
    return r


def _env(folder: Path, probe: bool = False) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("SOCDESK_STARTUP_PROBE", None)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        SOCDESK_BASEDIR=str(folder / "base"),
        XDG_DATA_HOME=str(folder / "xdg-data"),
        XDG_CONFIG_HOME=str(folder / "xdg-config"),
    )
    if probe:
        env["SOCDESK_STARTUP_PROBE"] = "1"
    return env


def write_long_csv(path: Path, units: int, months: int = 12, prefix: str = "L") -> None:
    """A long CSV of new units under SN: netto utfall and budget per month."""
    rnd = random.Random(units)
    lines = ["enhet;namn;överordnad;period;mått;scenario;värde"]
    for u in range(units):
        code = f"{prefix}{u:03d}"
        for m in range(1, months + 1):
            for scenario in ("utfall", "budget"):
                lines.append(
                    f"{code};Enhet {code};SN;2024-{m:02d};netto;{scenario};{rnd.randint(1, 99999)},5"
                )
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")


def write_ledger(path: Path, rows: int, units: int = 40) -> None:
    """Huvudbokstransaktioner as an ekonomisystem exports them (as benchmarks/bench_import.py)."""
    rnd = random.Random(rows)
    kontos = [3010, 3510, 4010, 4110, 4510, 5010, 5410, 6110, 6410, 7010, 1930]
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write("Ansvar;Konto;Bokföringsdatum;Belopp\r\n")
        for _ in range(rows):
            konto = rnd.choice(kontos)
            ore = rnd.randint(1, 5_000_000) * (-1 if konto < 4000 else 1)
            kr, rest = divmod(abs(ore), 100)
            amount = ("-" if ore < 0 else "") + f"{kr:,}".replace(",", "\u00a0") + f",{rest:02d}"
            day = f"2024-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
            f.write(f"H{rnd.randrange(units):03d};{konto};{day};{amount}\r\n")


def write_wide_xlsx(path: Path, units: int) -> None:
    """A workbook as Excel writes one: a sheet per scenario, a row per ansvar, a column per month."""
    from openpyxl import Workbook

    rnd = random.Random(units)
    months = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
    book = Workbook()
    book.remove(book.active)
    for sheet in ("Utfall", "Budget"):
        ws = book.create_sheet(sheet)
        ws.append(["Ansvar", "Benämning", *(f"{m} 2024" for m in months)])
        for u in range(units):
            ws.append([f"X{u:03d}", f"Ansvar X{u:03d}", *(rnd.randint(100, 99999) + 0.5 for _ in months)])
    book.save(path)


def make_old_schema(demo: Path, target: Path) -> None:
    """The demo database's content in the first schema (``PRAGMA user_version = 1``, WAL), as an
    early socdesk left it: the next writer upgrades it."""
    from socdesk.store import schema

    making = target.with_name(target.name + ".making")
    with closing(sqlite3.connect(making)) as c:
        c.executescript(schema.MIGRATIONS[0])
        c.execute("ATTACH DATABASE ? AS demo", (str(demo),))
        tables = [r[0] for r in c.execute("SELECT name FROM main.sqlite_master WHERE type = 'table'")]
        for table in tables:  # the columns both have (schema 1's facts had a rowid id)
            source = "audit_log" if table == "audit" else table  # the audit's logical rows (schema 11)
            now = {r[1] for r in c.execute(f"PRAGMA demo.table_info({source})")}
            columns = ", ".join(r[1] for r in c.execute(f"PRAGMA main.table_info({table})") if r[1] in now)
            c.execute(f"INSERT INTO main.{table} ({columns}) SELECT {columns} FROM demo.{source}")
        c.commit()
        c.execute("DETACH DATABASE demo")
        c.execute("PRAGMA user_version = 1")
        c.execute("PRAGMA journal_mode = WAL")
    making.replace(target)


class Workspace:
    """The inputs and the prepared starting points of one run, made once, through the CLI where
    a user would make them."""

    def __init__(self, root: Path, demo: Path | None = None) -> None:
        self.root = root
        self.inputs = root / "in"
        self.templates = root / "templates"
        self.old = root / "old"  # previous good output files, one folder per operation
        self.batch = 0  # the import batch undo-import takes back
        self.before: dict[str, State] = {}  # what each template's database holds
        self._demo = demo
        self._ready: set[str] = set()
        for d in (self.inputs, self.templates, self.old):
            d.mkdir(parents=True, exist_ok=True)

    def prepare(self, ops: list[Op]) -> None:
        self._inputs(ops)
        for o in ops:
            self._template(o.template)
            if o.output and not (self.old / o.name / o.output).exists():
                self._old_output(o)

    def _template(self, name: str) -> Path:
        folder = self.templates / name
        if name in self._ready:
            return folder
        if name == "demo":
            (folder / "data").mkdir(parents=True)
            (folder / "base" / "backups").mkdir(parents=True)
            (folder / "out").mkdir()
            (folder / "base" / "socdesk.ini").write_text(ROLE_INI, encoding="utf-8")
            db = folder / "data" / "data.db"
            if self._demo is not None:
                shutil.copyfile(self._demo, db)
            else:
                _socdesk(["demo", "--db", str(db)], folder)
        else:
            shutil.copytree(self._template("demo"), folder)
            db = folder / "data" / "data.db"
            if name == "imported":  # a batch for undo-import
                _socdesk(["import", str(self.inputs / "ångra.csv"), "--db", str(db)], folder)
                with closing(sqlite3.connect(db)) as c:
                    self.batch = c.execute("SELECT max(id) FROM import_batches").fetchone()[0]
            elif name == "locked":
                _socdesk(["lock", "--db", str(db), "--unit", "SN", "--period", "2024-05"], folder)
            elif name == "old":
                db.unlink()
                make_old_schema(self._template("demo") / "data" / "data.db", db)
            else:
                raise ValueError(name)
        self.before[name] = snapshot(db)  # now, before any trial copies the folder
        self._ready.add(name)
        return folder

    def _inputs(self, ops: list[Op]) -> None:
        if not (self.inputs / "lang.csv").exists():
            write_long_csv(self.inputs / "lang.csv", 150)
        if not (self.inputs / "ångra.csv").exists():  # undo takes back cell by cell: ≈ 4 ms a cell
            write_long_csv(self.inputs / "ångra.csv", 8, prefix="U")
        if not (self.inputs / "liten.csv").exists():
            write_long_csv(self.inputs / "liten.csv", 2, prefix="M")
        if not (self.inputs / "huvudbok.csv").exists() and any(o.name == "import-ledger" for o in ops):
            write_ledger(self.inputs / "huvudbok.csv", 6000)
        if not (self.inputs / "bred.xlsx").exists() and any(o.name == "import-xlsx" for o in ops):
            write_wide_xlsx(self.inputs / "bred.xlsx", 150)

    def _old_output(self, o: Op) -> None:
        folder = Path(tempfile.mkdtemp(prefix="old-", dir=self.root))
        shutil.copytree(self.templates / o.template, folder, dirs_exist_ok=True)
        _socdesk(self.fill(o.old_output, folder), folder)
        (self.old / o.name).mkdir()
        shutil.copyfile(folder / "out" / o.output, self.old / o.name / o.output)
        shutil.rmtree(folder)

    def fresh(self, o: Op) -> Path:
        """A private copy of the operation's starting point (with its previous output file)."""
        folder = Path(tempfile.mkdtemp(prefix=f"{o.name.replace(':', '-')}-", dir=self.root))
        shutil.copytree(self.templates / o.template, folder, dirs_exist_ok=True)
        if o.output:
            shutil.copyfile(self.old / o.name / o.output, folder / "out" / o.output)
        if o.setup:
            _socdesk(self.fill(o.setup, folder), folder)
        return folder

    def fill(self, args: tuple[str, ...], folder: Path) -> list[str]:
        values = {
            "db": str(folder / "data" / "data.db"),
            "out": str(folder / "out"),
            "inp": str(self.inputs),
            "sie": str(SIE_CORPUS),
            "batch": str(self.batch),
        }
        return [a.format(**values) for a in args]


# --- what a database holds ------------------------------------------------------------------------
# Per table the columns that say what the user has (no ids of audit rows, no times, no names
# of hash columns to come); "x?" is whether x is set.
SNAPSHOT = {
    "units": ("id", "code", "name", "parent_id", "sort", "has_children"),
    "measures": ("key", "name", "unit", "additive_time", "additive_units", "additive_breakdown"),
    "import_batches": ("id", "file_name", "sha256", "rows", "profile", "costs_negative", "undone_at?"),
    "facts": (
        "unit_id",
        "measure",
        "scenario",
        "version",
        "period",
        "period_start",
        "period_end",
        "gender",
        "grp",
        "value",
        "status",
        "resolution",
        "comment",
        "source",
        "batch_id",
    ),
    "audit": (
        "action",
        "source",
        "batch_id",
        "unit_code",
        "measure",
        "scenario",
        "version",
        "period",
        "gender",
        "grp",
        "old_value",
        "old_status",
        "new_value",
        "new_status",
    ),
    "comments": ("unit_id", "period", "text"),
    "period_locks": ("unit_id", "period_start", "period_end"),
    "lock_events": ("action", "unit_code", "period", "reason"),
    "drafts": ("form", "cell", "text"),
    "budget_versions": ("year", "version", "decided_on", "reason"),
    "unit_closure": ("ancestor_id", "descendant_id", "depth"),
    "rollup": (
        "unit_id",
        "measure",
        "scenario",
        "version",
        "period_start",
        "period_end",
        "value",
        "resolution",
        "n_value",
        "n_suppressed",
        "n_complex",
    ),
}
ROLLUP_FROM_FACTS = """
    SELECT c.ancestor_id, f.measure, f.scenario, f.version, f.period_start, f.period_end,
           sum(CASE WHEN f.status = 'value' THEN f.value END), max(f.resolution),
           count(CASE WHEN f.status = 'value' THEN 1 END), count(CASE WHEN f.status = '*' THEN 1 END),
           count(CASE WHEN u.has_children THEN 1 END)
    FROM facts f
    CROSS JOIN unit_closure c ON c.descendant_id = f.unit_id AND c.depth > 0
    CROSS JOIN units u ON u.id = f.unit_id
    WHERE f.gender = '' AND f.grp = ''
    GROUP BY c.ancestor_id, f.measure, f.scenario, f.version, f.period_start, f.period_end
"""
State = dict[str, list[str]]


def integrity(db: Path) -> list[str]:
    """``[]`` when ``PRAGMA integrity_check`` says ok (opened read-write, as any next start
    does, so that SQLite first recovers what a crash left in the WAL)."""
    if not db.exists():
        return [f"{db.name} is missing"]
    try:
        with closing(sqlite3.connect(f"file:{db}?mode=rw", uri=True)) as c:
            rows = [r[0] for r in c.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as err:
        return [str(err)]
    return [] if rows == ["ok"] else rows


def snapshot(db: Path) -> State:
    """What the database holds, table by table (rows as sorted texts)."""
    with closing(sqlite3.connect(f"file:{db}?mode=rw", uri=True)) as c:
        state: State = {"user_version": [str(c.execute("PRAGMA user_version").fetchone()[0])]}
        tables = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for table, wanted in SNAPSHOT.items():
            if table not in tables:
                continue
            present = {r[1] for r in c.execute(f"PRAGMA table_info({table})")}
            columns = [
                f"{w[:-1]} IS NOT NULL" if w.endswith("?") else w for w in wanted if w.rstrip("?") in present
            ]
            state[table] = sorted(repr(r) for r in c.execute(f"SELECT {', '.join(columns)} FROM {table}"))
        if "settings" in tables:  # what the user chose: profiles and unit mappings
            state["settings"] = sorted(
                repr(r)
                for r in c.execute(
                    "SELECT key, value FROM settings WHERE key = 'unit_map' OR key LIKE 'import_profile:%'"
                )
            )
    return state


def rollup_problems(db: Path) -> list[str]:
    """The rollup table must equal its recomputation from the facts."""
    with closing(sqlite3.connect(f"file:{db}?mode=rw", uri=True)) as c:
        tables = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not {"rollup", "unit_closure"} <= tables:
            return []
        stored = Counter(c.execute("SELECT * FROM rollup"))
        computed = Counter(c.execute(ROLLUP_FROM_FACTS))
    if stored == computed:
        return []
    return [
        f"rollup: {sum((stored - computed).values())} rows wrong, {sum((computed - stored).values())} missing"
    ]


def match(state: State, states: list[tuple[str, State]]) -> str | None:
    return next((name for name, s in states if s == state), None)


def describe_difference(state: State, states: list[tuple[str, State]]) -> str:
    """How ``state`` differs from the nearest of ``states``."""

    def distance(s: State) -> int:
        return sum(len(set(state.get(t, [])) ^ set(s.get(t, []))) for t in set(state) | set(s))

    name, nearest = min(states, key=lambda ns: distance(ns[1]))
    parts = []
    for table in sorted(set(state) | set(nearest)):
        here, there = Counter(state.get(table, [])), Counter(nearest.get(table, []))
        if here != there:
            extra, missing = here - there, there - here
            parts.append(
                f"{table}: {sum(here.values())} rows, {sum(extra.values())} more and "
                f"{sum(missing.values())} fewer than {name!r}"
                + (f" (e.g. {next(iter(extra or missing))[:120]})" if extra or missing else "")
            )
    return "; ".join(parts)


# --- output files ----------------------------------------------------------------------------------
_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?")


def _plain(value: object) -> object:
    return _STAMP.sub("<tid>", value) if isinstance(value, str) else value


def output_signature(path: Path) -> object:
    """What a complete output file says (raises if the file is not whole): a CSV its bytes, a
    workbook its cells, a PDF its pages' text, an HTML page its text (dates left out)."""
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".csv":
        list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";", strict=True))
        return data
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(data), read_only=True)
            try:
                return tuple(
                    (ws.title, tuple(tuple(_plain(v) for v in row) for row in ws.iter_rows(values_only=True)))
                    for ws in book.worksheets
                )
            finally:
                book.close()
    if suffix == ".pdf":
        from pypdf import PdfReader

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=True)
            return tuple(_plain(p.extract_text()) for p in reader.pages)
    if suffix == ".html":
        text = data.decode("utf-8")
        if not text.rstrip().endswith("</html>"):
            raise ValueError("not whole: no </html> at the end")
        return _plain(text)
    raise ValueError(suffix)


def output_state(path: Path, old: bytes, new: object) -> str | None:
    """``old`` (byte-identical to before), ``new`` (a complete new file), else ``None``."""
    if not path.exists():
        return None
    if path.read_bytes() == old:
        return "old"
    try:
        return "new" if output_signature(path) == new else None
    except Exception:  # a torn file is what we look for
        return None


# --- leftovers ---------------------------------------------------------------------------------------
LEFTOVER = ("*.partial", "*.partial-*", "*-journal", "*-wal", "*-shm", "*socdesk-tmp*", "*.tmp")
DATABASE_FILES = {"data.db", "data.db.lock"}
# socdesk.ini.lock is Qt's QLockFile for the settings: it holds the writer's pid, and the next
# QSettings that writes takes over a stale one (a dead pid) – not a partial file.
BESIDE_SETTINGS = {"socdesk.ini", "socdesk.ini.lock", "backups", "logs"}


def _section(name: str) -> str:
    if ".partial" in name:
        return "§2"
    if "socdesk-tmp" in name:
        return "§4"
    return ""


def leftovers(folder: Path, output: str = "") -> list[tuple[str, str]]:
    """Partial files left in the database's folder, the backup folder, beside the settings,
    and (after the output was written again) in the output folder."""
    problems = []
    for p in sorted((folder / "data").iterdir()):
        if p.name not in DATABASE_FILES:
            problems.append((_section(p.name), f"left in the database folder: {p.name}"))
    backups = folder / "base" / "backups"
    for p in sorted(backups.rglob("*")):
        if p.is_file() and any(fnmatch.fnmatch(p.name, pattern) for pattern in LEFTOVER):
            problems.append(("§2", f"left in the backup folder: {p.relative_to(backups)}"))
    for p in sorted((folder / "base").iterdir()):
        if p.name not in BESIDE_SETTINGS:
            problems.append(("§4", f"left beside the settings: {p.name}"))
    if output:
        for p in sorted((folder / "out").iterdir()):
            if p.name != output:
                problems.append(("§4", f"left in the output folder: {p.name}"))
    return problems


def _backups(folder: Path) -> dict[str, Path]:
    root = folder / "base" / "backups"
    return {
        str(p.relative_to(root)): p
        for p in root.rglob("*.db")
        if not any(fnmatch.fnmatch(p.name, pattern) for pattern in LEFTOVER)
    }


# --- running an operation -----------------------------------------------------------------------------
class Lines:
    """Lines from a child's stdout, with a timeout (the child may hang or die)."""

    def __init__(self, proc: subprocess.Popen) -> None:
        assert proc.stdout is not None
        self.fd, self.buffer = proc.stdout.fileno(), b""

    def wait_for(self, line: str, timeout: float) -> bool:
        end = time.perf_counter() + timeout
        want = line.encode() + b"\n"
        while True:
            if want in self.buffer.splitlines(keepends=True):
                self.buffer = self.buffer.split(want, 1)[1]
                return True
            left = end - time.perf_counter()
            if left <= 0 or not select.select([self.fd], [], [], left)[0]:
                return False
            chunk = os.read(self.fd, 4096)
            if not chunk:
                return False
            self.buffer += chunk


def launch(ws: Workspace, o: Op, folder: Path, *, stop_after_draft: bool = False) -> subprocess.Popen:
    if o.child:
        argv = [sys.executable, __file__, "--child", o.child, str(folder)]
        if stop_after_draft:
            argv.append("--stop-after-draft")
        stdout = subprocess.PIPE
    else:
        argv = [sys.executable, "-m", "socdesk", "--basedir", str(folder / "base"), *ws.fill(o.args, folder)]
        stdout = (folder / "stdout.txt").open("w")
    with (folder / "stderr.txt").open("w") as stderr:
        proc = subprocess.Popen(
            argv,
            cwd=folder,
            env=_env(folder, o.probe),
            stdout=stdout,
            stderr=stderr,
            stdin=subprocess.DEVNULL,
        )
    if stdout is not subprocess.PIPE:
        stdout.close()
    return proc


def _watched(o: Op, folder: Path) -> list[Path]:
    if o.until_backup:  # the GUI starts, paints, and takes its start backup after a moment
        return [folder / "base" / "backups"]
    return [folder / "data", folder / "base" / "backups", folder / "out"]


def fingerprint(folders: list[Path]) -> dict[str, tuple[int, int, int]]:
    """Every file that shows a write: SQLite's -shm and the writer's .lock do not, nor an
    empty -wal (made by any reader)."""
    seen = {}
    for folder in folders:
        for root, _dirs, files in os.walk(folder):
            for name in files:
                if name.endswith(("-shm", ".lock")):
                    continue
                p = os.path.join(root, name)
                try:
                    st = os.stat(p)
                except FileNotFoundError:
                    continue
                if name.endswith("-wal") and st.st_size == 0:
                    continue
                seen[p] = (st.st_ino, st.st_size, st.st_mtime_ns)
    return seen


def _changes(folders: list[Path], before: dict) -> set[str]:
    now = fingerprint(folders)
    return {p for p in now.keys() | before.keys() if now.get(p) != before.get(p)}


def _await_write(proc: subprocess.Popen, folders: list[Path], before: dict, timeout: float) -> float | None:
    """The moment something in ``folders`` changes, ``None`` if the process ended first."""
    end = time.perf_counter() + timeout
    while proc.poll() is None and time.perf_counter() < end:
        if _changes(folders, before):
            return time.perf_counter()
        time.sleep(0.0005)
    return None


def _backup_finished(folder: Path, before: set[str]) -> bool:
    root = folder / "base" / "backups"
    new = set(_backups(folder)) - before
    partial = [p for p in root.rglob("*") if any(fnmatch.fnmatch(p.name, pat) for pat in LEFTOVER)]
    return bool(new) and not partial


def _failure(proc: subprocess.Popen, o: Op, folder: Path) -> str | None:
    """Why an un-killed run failed, if it did."""
    err = (folder / "stderr.txt").read_text(errors="replace")
    if "Traceback" in err or "dialog " in err:
        return f"{o.name}: {err.strip()[-800:]}"
    if proc.returncode not in o.codes:
        out = (folder / "stdout.txt").read_text(errors="replace") if (folder / "stdout.txt").exists() else ""
        return f"{o.name}: exit code {proc.returncode} (expected {o.codes}): {(out + err).strip()[-800:]}"
    return None


def run_to_end(
    ws: Workspace, o: Op, folder: Path, *, stop_after_draft: bool = False
) -> tuple[float, float, float]:
    """Run un-killed; returns the duration, the write window (from the first write) and the
    database's write window (from the first write in its folder; 0 if none) in seconds."""
    folders = _watched(o, folder)
    before, backups_before = fingerprint(folders), set(_backups(folder))
    t0 = time.perf_counter()
    start: float | None = None
    first_db: float | None = None
    proc = launch(ws, o, folder, stop_after_draft=stop_after_draft)
    try:
        if stop_after_draft:
            proc.wait(TIMEOUT)
            end = start = time.perf_counter()
        elif o.child:
            lines = Lines(proc)
            if not lines.wait_for("go", TIMEOUT):
                proc.kill()
                proc.wait()
                raise RuntimeError(_failure(proc, o, folder) or f"{o.name}: no go")
            start = time.perf_counter()
            data = [folder / "data"]
            at_go = fingerprint(data)
            while not lines.wait_for("done", 0.0005):
                if proc.poll() is not None or time.perf_counter() - start > TIMEOUT:
                    proc.kill()
                    proc.wait()
                    raise RuntimeError(_failure(proc, o, folder) or f"{o.name}: no done")
                if first_db is None and _changes(data, at_go):
                    first_db = time.perf_counter()
            end = time.perf_counter()
            proc.wait(TIMEOUT)
        elif o.until_backup:
            start = _await_write(proc, folders, before, TIMEOUT)
            if start is None:
                raise RuntimeError(_failure(proc, o, folder) or f"{o.name}: no backup started")
            while not _backup_finished(folder, backups_before):
                if proc.poll() is not None or time.perf_counter() - start > TIMEOUT:
                    raise RuntimeError(_failure(proc, o, folder) or f"{o.name}: the backup was not finished")
                time.sleep(0.0005)
            end = time.perf_counter()
            time.sleep(0.3)  # rotation after the backup
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return end - t0, end - start, 0.0
        else:
            data = str(folder / "data")
            while proc.poll() is None and time.perf_counter() - t0 < TIMEOUT:
                changed = _changes(folders, before)
                if changed and start is None:
                    start = time.perf_counter()
                if any(p.startswith(data) for p in changed):
                    first_db = time.perf_counter()
                    break
                time.sleep(0.0005)
            proc.wait(TIMEOUT)
            end = time.perf_counter()
            start = start or end
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
    problem = _failure(proc, o, folder)
    if problem:
        raise RuntimeError(problem)
    return end - t0, end - start, end - first_db if first_db else 0.0


@dataclass
class Calibration:
    duration: float  # start → end, seconds
    window: float  # first write (or the child's marker) → end
    db_window: float  # first write in the database's folder → end (0: it writes none there)
    states: list[tuple[str, State]]  # the states the database passes through, first to last
    backups: list[tuple[str, State]]  # what a finished backup may hold
    signature: object = None  # the complete new output file


def calibrate(ws: Workspace, o: Op, runs: int = 2, done: dict[str, Calibration] | None = None) -> Calibration:
    """Run ``o`` un-killed ``runs`` times: durations, and the states it passes through."""
    before = ws.before[o.template]
    durations, windows, db_windows, afters, signatures = [], [], [], [], []
    for _ in range(runs):
        folder = ws.fresh(o)
        if o.setup:
            before = snapshot(folder / "data" / "data.db")
        try:
            d, w, dw = run_to_end(ws, o, folder)
            durations.append(d)
            windows.append(w)
            db_windows.append(dw)
            afters.append(snapshot(folder / "data" / "data.db"))
            if o.output:
                signatures.append(output_signature(folder / "out" / o.output))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    if any(a != afters[0] for a in afters) or any(s != signatures[0] for s in signatures):
        raise RuntimeError(f"{o.name}: two un-killed runs gave different results")
    states = [("before", before)]
    for name in o.also:
        states.append((f"after {name}", (done or {})[name].states[-1][1]))
    if o.child == "save":  # the typing is kept as a draft before the save, and cleared after it
        folder = ws.fresh(o)
        try:
            run_to_end(ws, o, folder, stop_after_draft=True)
            drafted = snapshot(folder / "data" / "data.db")
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        states = [
            ("draft", drafted),
            ("saved+draft", {**afters[0], "drafts": drafted["drafts"]}),
        ]
    states.append(("after", afters[0]))
    unique = []
    for name, s in states:
        if all(s != t for _n, t in unique):
            unique.append((name, s))
    backups = [("before", before), *unique]
    return Calibration(
        max(durations), max(windows), max(db_windows), unique, backups, signatures[0] if signatures else None
    )


# --- one trial --------------------------------------------------------------------------------------------
Problem = tuple[str, str]  # (the section of issue 11 that fixes it, or "" for none; what is wrong)


@dataclass
class Outcome:
    seed: int
    op: Op
    mode: str  # any | write | db | marker
    delay: float  # seconds, from the start (any), the first write (write), the first write in the
    # database's folder (db) or the child's marker (marker)
    killed: bool = False  # the SIGKILL met a running process …
    wrote: bool = False  # … that had already written something
    state: str = ""  # the state the database was found in
    output: str = ""  # the output file found: old | new
    problems: list[Problem] = field(default_factory=list)
    folder: Path | None = None
    killed_copy: Path | None = None
    backups: set[str] = field(default_factory=set)  # the backups there before the operation


def run_trial(
    ws: Workspace, o: Op, cal: Calibration, seed: int, *, gui: bool = False, keep: bool = False
) -> Outcome:
    """Start ``o``, kill it at a random moment, check everything. ``gui``: the real GUI opens
    the database afterwards too; ``keep``: a copy of the folder as the kill left it is kept
    (``Outcome.killed_copy``)."""
    rnd = random.Random(seed)
    if o.until_backup:
        mode = "write"
    else:
        modes = ["marker"] if o.child else ["any", "write"] if cal.window else ["any"]  # some write nothing
        mode = rnd.choice([*modes, "db"] if cal.db_window else modes)
    span = {"any": cal.duration, "db": cal.db_window}.get(mode, cal.window)
    delay = rnd.uniform(0.0, span * (1.3 if o.until_backup else 1.05))
    folder = ws.fresh(o)
    out = Outcome(seed, o, mode, delay, folder=folder, backups=set(_backups(folder)))
    folders = _watched(o, folder)
    before = fingerprint(folders)
    proc = launch(ws, o, folder)
    try:
        if mode == "any":
            start: float | None = time.perf_counter()
        elif mode == "write":
            start = _await_write(proc, folders, before, TIMEOUT)
        elif mode == "db":
            if o.child and not Lines(proc).wait_for("go", TIMEOUT):
                start = None
            else:
                start = _await_write(proc, [folder / "data"], fingerprint([folder / "data"]), TIMEOUT)
        else:
            start = time.perf_counter() if Lines(proc).wait_for("go", TIMEOUT) else None
        if start is not None:
            with suppress(subprocess.TimeoutExpired):
                proc.wait(max(0.0, start + delay - time.perf_counter()))
        if proc.poll() is None:
            out.wrote = fingerprint(folders) != before
            proc.send_signal(signal.SIGKILL)
            out.killed = True
            if start is None:
                out.problems.append(("", f"{o.name} showed no write in {TIMEOUT:.0f} s (hung?)"))
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
    if keep:
        out.killed_copy = folder.with_name(folder.name + "-as-killed")
        shutil.copytree(folder, out.killed_copy)
    if not out.killed:
        failed = _failure(proc, o, folder)
        if failed:
            out.problems.append(("", f"an un-killed run failed: {failed}"))
    out.problems += check(ws, o, cal, folder, out, gui=gui)
    return out


def check(ws: Workspace, o: Op, cal: Calibration, folder: Path, out: Outcome, *, gui: bool) -> list[Problem]:
    """Everything that must hold after the kill; notes in ``out`` what was found."""
    problems: list[Problem] = []
    if o.output:
        problems += output_problems(ws, o, cal, folder, out)
    db = folder / "data" / "data.db"
    bad = integrity(db)
    if bad:
        return [*problems, ("", f"data.db fails integrity_check: {bad[:3]}")]
    state = snapshot(db)
    out.state = match(state, cal.states) or ""
    if not out.state:
        names = [n for n, _s in cal.states]
        problems.append(
            ("", f"data.db is in none of the states {names}: {describe_difference(state, cal.states)}")
        )
    problems += [("", p) for p in rollup_problems(db)]
    problems += backup_problems(out.backups, folder, cal)
    problems += next_start(folder)
    if gui:
        problems += audit_problems(folder)
        if not state.get("drafts"):  # with a draft the start asks about it (test_entry_crash.py)
            problems += gui_opens(folder)
    if o.output:  # the user writes the file again: it works, and no temporary file is left
        try:
            run_to_end(ws, o, folder)
            if output_signature(folder / "out" / o.output) != cal.signature:
                problems.append(("", f"{o.output} written again differs from an un-killed run"))
        except Exception as err:
            problems.append(("", f"{o.name} fails when run again: {err}"))
    return problems + leftovers(folder, o.output)


def output_problems(ws: Workspace, o: Op, cal: Calibration, folder: Path, out: Outcome) -> list[Problem]:
    """The previous output file intact, or a whole new one."""
    target = folder / "out" / o.output
    old = (ws.old / o.name / o.output).read_bytes()
    out.output = output_state(target, old, cal.signature) or ""
    if out.output:
        return []
    size = f"{target.stat().st_size} B" if target.exists() else "gone"
    return [("§4", f"{o.output} is neither the previous file ({len(old)} B) nor a whole new one ({size})")]


def backup_problems(kept: set[str], folder: Path, cal: Calibration) -> list[Problem]:
    """Every finished backup the operation made (not in ``kept``) is sound and holds a state it
    passed through."""
    problems: list[Problem] = []
    for name, path in _backups(folder).items():
        if name in kept:
            continue
        bad = integrity(path)
        if bad:
            problems.append(("", f"backup {name} fails integrity_check: {bad[:3]}"))
            continue
        state = snapshot(path)
        if match(state, cal.backups) is None:
            problems.append(
                (
                    "",
                    f"backup {name} holds none of the states: {describe_difference(state, cal.backups)}",
                )
            )
    return problems


def next_start(folder: Path) -> list[Problem]:
    """The next start opens the database (as the GUI and the writing commands do) and reads it."""
    from socdesk.store.safety import open_safely

    try:
        safe = open_safely(folder / "data" / "data.db", folder / "base" / "backups", daily_backup=False)
        try:
            safe.store.unit_tree()
            safe.store.facts_count()
        finally:
            safe.close()
    except Exception as err:
        return [("", f"the database does not open: {type(err).__name__}: {err}")]
    return []


def audit_problems(folder: Path) -> list[Problem]:
    """``socdesk check`` finds nothing wrong with the audit trail (once it verifies the audit
    hash chain of issue 11 §8, a crash must not break the chain)."""
    import json

    db = str(folder / "data" / "data.db")
    r = subprocess.run(
        [sys.executable, "-m", "socdesk", "--basedir", str(folder / "base"), "check", "--json", "--db", db],
        capture_output=True,
        text=True,
        env=_env(folder),
        timeout=TIMEOUT,
    )
    if r.returncode != 0:
        return [("", f"socdesk check fails: exit code {r.returncode}: {r.stderr.strip()[-500:]}")]
    return [("", f"socdesk check: {f}") for f in json.loads(r.stdout) if "audit" in str(f.get("rule", ""))]


def gui_opens(folder: Path) -> list[Problem]:
    """The real program opens the database offscreen and paints its window."""
    db = str(folder / "data" / "data.db")
    r = subprocess.run(
        [sys.executable, "-m", "socdesk", "--basedir", str(folder / "base"), "--db", db],
        capture_output=True,
        text=True,
        env=_env(folder, probe=True),
        timeout=TIMEOUT,
    )
    if r.returncode != 0 or "Traceback" in r.stderr:
        return [
            ("", f"the GUI does not open the database: exit code {r.returncode}: {r.stderr.strip()[-500:]}")
        ]
    return []


# --- GUI objects driven in a child process -----------------------------------------------------------
def child(kind: str, folder: Path, stop_after_draft: bool) -> None:
    """The GUI's own objects, offscreen: ``save`` types a whole entry form (771, June 2024) and
    presses Spara; ``restore`` opens Arkiv → Säkerhetskopior and restores the newest backup.
    Prints ``go`` just before the operation and ``done`` after it."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

    from socdesk.core.periods import Month
    from socdesk.gui.app import AppController

    app = QApplication([])

    def no_dialogs(kind: str):
        def answer(*args, **kwargs):
            print(f"dialog {kind}: {args[2] if len(args) > 2 else ''}", file=sys.stderr, flush=True)
            return QMessageBox.StandardButton.NoButton

        return staticmethod(answer)

    for name in ("question", "warning", "information", "critical"):  # nobody is there to answer
        setattr(QMessageBox, name, no_dialogs(name))
    controller = AppController(app, str(folder / "base"))
    if not controller.open(folder / "data" / "data.db"):
        os._exit(3)
    app.processEvents()
    w = controller.window
    assert w is not None
    if kind == "save":
        w.select_unit("771")
        w.period.set_month(Month(2024, 6))
        w.tabs.setCurrentWidget(w.register)
        entry = w.register.entry
        model = entry.model
        for row in range(len(model.form.units)):
            model.setData(model.index(row, 0), f"{1000 + 7 * row},5")
        entry.keep_draft()  # what the draft timer does a moment after typing
        if stop_after_draft:
            os._exit(0)
        if not entry.save.isEnabled():
            print("Spara is disabled", file=sys.stderr, flush=True)
            os._exit(4)
        print("go", flush=True)
        QTest.mouseClick(entry.save, Qt.MouseButton.LeftButton)
        if model.dirty:
            print("dialog: not saved", file=sys.stderr, flush=True)
            os._exit(5)
    else:

        def choose() -> None:
            dialog = app.activeModalWidget()
            buttons = [
                b
                for b in (dialog.findChildren(QPushButton) if dialog else [])
                if b.text().startswith("Återställ")
            ]
            if not buttons or not buttons[0].isEnabled():
                print("dialog: no backup to restore", file=sys.stderr, flush=True)
                os._exit(4)
            buttons[0].click()

        QTimer.singleShot(0, choose)
        print("go", flush=True)
        w.show_backups()
    print("done", flush=True)
    os._exit(0)


# --- the run ---------------------------------------------------------------------------------------------
def schedule(trials: int, ops: list[Op], seed: int) -> list[tuple[int, Op]]:
    """Paths in random order, each about as often (a random variant of each)."""
    rnd = random.Random(seed)
    by_path: dict[str, list[Op]] = defaultdict(list)
    for o in ops:
        by_path[o.path].append(o)
    order: list[str] = []
    while len(order) < trials:
        block = list(by_path)
        rnd.shuffle(block)
        order += block
    return [(seed + i, rnd.choice(by_path[p])) for i, p in enumerate(order[:trials])]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("trials", type=int, nargs="?", default=300)
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    p.add_argument("--only", help="comma-separated paths or variants (default: all)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--keep", type=Path, help="keep the folders of trials with problems here")
    args = p.parse_args(argv)
    ops = OPS
    if args.only:
        wanted = args.only.split(",")
        ops = [o for o in OPS if o.path in wanted or o.name in wanted]
    needed = list(dict.fromkeys([*(op_named(a) for o in ops for a in o.also), *ops]))
    if not SIE_CORPUS.is_dir():
        print(f"note: no SIE corpus at {SIE_CORPUS}: the SIE imports are not tried")
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="crash-trials-") as tmp:
        ws = Workspace(Path(tmp))
        ws.prepare(needed)
        print(f"workspace ready in {time.perf_counter() - t0:.0f} s", flush=True)
        cals: dict[str, Calibration] = {}
        for o in needed:  # in order: an operation's "also" is calibrated before it
            cals[o.name] = calibrate(ws, o, 2, cals)
            c = cals[o.name]
            print(
                f"  {o.name[:34]:<34} run {c.duration * 1000:5.0f} ms, write window "
                f"{c.window * 1000:5.0f} ms, database {c.db_window * 1000:5.0f} ms, {len(c.states)} states",
                flush=True,
            )
        t1 = time.perf_counter()
        plan = schedule(args.trials, ops, args.seed)
        outcomes: list[Outcome] = []
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            futures = [
                pool.submit(run_trial, ws, o, cals[o.name], s, gui=s % 5 == 0, keep=bool(args.keep))
                for s, o in plan
            ]
            for f in futures:
                out = f.result()
                outcomes.append(out)
                for section, text in out.problems:
                    print(
                        f"trial {out.seed} {out.op.name} ({out.mode} {out.delay * 1000:.0f} ms, "
                        f"{'killed' if out.killed else 'finished'}): {section or '–'} {text}",
                        flush=True,
                    )
                if out.problems and out.killed_copy is not None:
                    name = f"trial-{out.seed}-{out.op.name.replace(':', '-')}"
                    shutil.copytree(out.killed_copy, args.keep / name)  # as the kill left it
                    print(
                        f"  kept in {args.keep / name}; again: {Path(__file__).name} 1 "
                        f"--only {out.op.name} --seed {out.seed}",
                        flush=True,
                    )
                for f in (out.folder, out.killed_copy):
                    if f is not None:
                        shutil.rmtree(f, ignore_errors=True)
        report(outcomes, time.perf_counter() - t1, t1 - t0)
    return 1 if any(o.problems for o in outcomes) else 0


def report(outcomes: list[Outcome], trials_s: float, setup_s: float) -> None:
    """Per path: trials, how many kills met a running process (and one that had written),
    what was found afterwards, and the trials with problems (by section of issue 11)."""
    rows = defaultdict(list)
    for o in outcomes:
        rows[o.op.path].append(o)
    print(f"\n{'path':<14} {'trials':>6} {'killed':>6} {'mid-write':>9}  {'found afterwards':<40} problems")
    for path in paths():
        got = rows.get(path, [])
        if not got:
            continue
        seen = Counter((o.output or "torn") if o.op.output else (o.state or "other") for o in got)
        found = ", ".join(f"{k} {n}" for k, n in sorted(seen.items()))
        bad = Counter(s or "–" for o in got for s in dict.fromkeys(s for s, _t in o.problems))
        problems = ", ".join(f"{s}: {n}" for s, n in sorted(bad.items())) or "0"
        killed, wrote = sum(o.killed for o in got), sum(o.wrote for o in got)
        print(f"{path:<14} {len(got):>6} {killed:>6} {wrote:>9}  {found:<40} {problems}")
    print(
        f"{len(outcomes)} trials, {sum(o.killed for o in outcomes)} killed, "
        f"{sum(1 for o in outcomes if o.problems)} with problems; "
        f"setup and calibration {setup_s:.0f} s, trials {trials_s:.0f} s"
    )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], Path(sys.argv[3]), "--stop-after-draft" in sys.argv)
    else:
        raise SystemExit(main())
