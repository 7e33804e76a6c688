"""The database's size per fact at the synthetic large board (benchmarks/city.py, 2,4 M facts),
as the product keeps it, beside a floor computed in the same run from the same facts (issue 15:
≤ 120 B per fact, with the same history kept).

The product: the city's file as this version of socdesk has it – a city of an older schema is
first copied and upgraded by ``socdesk upgrade`` as a user does (its verified backup first, then
the migration and the VACUUM; CPU time and peak RSS are a second row) – in bytes of used pages
(``page_count − freelist_count``) per fact, everything in the file counted: facts, audit,
rollup, their indexes.

The floor: the same facts and nothing else in one ``WITHOUT ROWID`` table on integer keys – unit,
measure, scenario, gender, group, status and source as small integers (lookup tables beside it),
version as yyyymm and the period's dates as yyyymmdd integers, value and resolution as stored,
the comment's text and the batch – in the covering order as primary key, no further index (the
issue's "integer keys, WITHOUT ROWID" figure). It holds what the facts hold, and no history.

Run: ``.venv/bin/python benchmarks/bench_size.py [CITY.db] [--rounds N]`` (``rounds`` is unused:
a size is the same every time).
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
import tempfile
from contextlib import closing
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import city  # noqa: E402
from common import Row, child, load  # noqa: E402
from common import main as bench_main  # noqa: E402

from socdesk.store.schema import SCHEMA_VERSION  # noqa: E402

TARGET = 120

FLOOR = """
CREATE TABLE codes (kind TEXT NOT NULL, text TEXT NOT NULL, id INTEGER NOT NULL,
                    PRIMARY KEY (kind, text)) WITHOUT ROWID;
INSERT INTO codes
    SELECT kind, text, row_number() OVER (PARTITION BY kind ORDER BY text) FROM (
        SELECT DISTINCT 'measure' AS kind, measure AS text FROM city.facts UNION
        SELECT DISTINCT 'scenario', scenario FROM city.facts UNION
        SELECT DISTINCT 'gender', gender FROM city.facts UNION
        SELECT DISTINCT 'grp', grp FROM city.facts UNION
        SELECT DISTINCT 'status', status FROM city.facts UNION
        SELECT DISTINCT 'source', source FROM city.facts);
CREATE TABLE facts (
    unit_id INTEGER NOT NULL, measure INTEGER NOT NULL, scenario INTEGER NOT NULL,
    gender INTEGER NOT NULL, grp INTEGER NOT NULL, version INTEGER NOT NULL,
    period_start INTEGER NOT NULL, period_end INTEGER NOT NULL, value INTEGER,
    status INTEGER NOT NULL, resolution INTEGER, comment TEXT NOT NULL, source INTEGER NOT NULL,
    batch_id INTEGER,
    PRIMARY KEY (unit_id, measure, scenario, gender, grp, version, period_start, period_end)
) WITHOUT ROWID;
INSERT INTO facts
    SELECT f.unit_id, m.id, s.id, g.id, gr.id,
           CASE f.version WHEN '' THEN 0 ELSE CAST(replace(f.version, '-', '') AS INTEGER) END,
           CAST(replace(f.period_start, '-', '') AS INTEGER),
           CAST(replace(f.period_end, '-', '') AS INTEGER),
           f.value, st.id, f.resolution, f.comment, so.id, f.batch_id
    FROM city.facts f
    JOIN codes m ON m.kind = 'measure' AND m.text = f.measure
    JOIN codes s ON s.kind = 'scenario' AND s.text = f.scenario
    JOIN codes g ON g.kind = 'gender' AND g.text = f.gender
    JOIN codes gr ON gr.kind = 'grp' AND gr.text = f.grp
    JOIN codes st ON st.kind = 'status' AND st.text = f.status
    JOIN codes so ON so.kind = 'source' AND so.text = f.source
    ORDER BY 1, 2, 3, 4, 5, 6, 7, 8;
"""


def used_bytes(db: Path) -> int:
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as c:
        page, count, free = (
            c.execute(f"PRAGMA {p}").fetchone()[0] for p in ("page_size", "page_count", "freelist_count")
        )
    return page * (count - free)


def per_table(db: Path, facts: int) -> str:
    """The largest tables and indexes, in bytes per fact (dbstat)."""
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as c:
        found = c.execute(
            "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 8"
        ).fetchall()
    return " · ".join(f"{name} {size / facts:.1f}".replace(".", ",") for name, size in found)


def facts_and_schema(db: Path) -> tuple[int, int]:
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as c:
        return c.execute("SELECT count(*) FROM facts").fetchone()[0], c.execute(
            "PRAGMA user_version"
        ).fetchone()[0]


def floor_bytes(db: Path, folder: Path) -> int:
    target = folder / "floor.db"
    with closing(sqlite3.connect(target, isolation_level=None)) as c:
        c.execute("ATTACH ? AS city", (f"file:{db}?mode=ro",))
        c.execute("BEGIN")
        for statement in FLOOR.split(";"):
            if statement.strip():
                c.execute(statement)
        c.execute("COMMIT")
        c.execute("DETACH city")
        c.execute("VACUUM")
    size = used_bytes(target)
    target.unlink()
    return size


def rows(city_db: Path, *, rounds: int = 3) -> list[Row]:
    facts, schema = facts_and_schema(city_db)
    given = used_bytes(city_db)
    out: list[Row] = []
    (HERE / ".cache").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=HERE / ".cache") as tmp:
        folder = Path(tmp)
        db = city_db
        if schema < SCHEMA_VERSION:
            db = folder / "city.db"
            shutil.copyfile(city_db, db)
            data = folder / "data"  # the upgrade's backup goes here, not to the user's folder
            run = child([sys.executable, "-m", "socdesk", "--basedir", str(data), "upgrade", "--db", str(db)])
            out.append(
                Row(
                    f"socdesk upgrade (schema {schema} → {SCHEMA_VERSION}, staden)",
                    run.cpu,
                    None,
                    "s CPU",
                    "krymper databasen",
                    used_bytes(db) < given,
                    rss_mb=run.rss_mb,
                    note=f"{run.wall:.0f} s vägg; {load()}",
                )
            )
        product = used_bytes(db) / facts
        floor = floor_bytes(db, folder) / facts
        before = f"schema {schema}: {given / facts:.0f} B/uppgift; " if db is not city_db else ""
        out.insert(
            0,
            Row(
                "databasens storlek (staden)",
                product,
                floor,
                "B/uppgift",
                f"≤ {TARGET} B/uppgift, samma historik",
                product <= TARGET,
                note=f"{facts} uppgifter; {before}{per_table(db, facts)}",
            ),
        )
    return out


if __name__ == "__main__":
    bench_main(rows, city.cached)
