"""How each path grows with the data (issue 15, "Scale beyond the city"): the bench modules'
rows measured on databases of different sizes, side by side, with the growth between the two
largest.

    .venv/bin/python benchmarks/growth.py [--sizes demo,tiondel,stad] [--only export,check]
                                          [--rounds 1] [--write-docs]

Sizes (built once into ``benchmarks/.cache/``, never committed):
- ``demo``: the bundled demo (``socdesk demo``, the seeds' figures);
- ``tiondel``: the city at a tenth (``city.py --scale 0.1``, 500 leaves, 240 000 facts);
- ``stad``: the city (5 000 leaves, 2,4 M facts);
- ``tiodubbel``: ten times the city (``--scale 10``, 50 000 leaves, 24 M facts; about 40 minutes
  to build and 3–11 GB on disk, so only when named in ``--sizes``).

The growth of a row is the exponent k in product ∝ factsᵏ between the two largest sizes it was
measured on: 1 is linear, 0 flat. A path over the facts (export, check, a report) should be
linear or better (k ≤ 1,15, the slack being the noise of one shared machine); a click, whose
work is one unit's figures, flat (k ≤ 0,3). Rows a module cannot make on a size (a report of
the city's board on the demo) are shown as –.
"""

from __future__ import annotations

import argparse
import math
import sqlite3
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import city  # noqa: E402
from common import Row  # noqa: E402
from run_all import modules, sv, write_docs  # noqa: E402

CACHE = HERE / ".cache"
SIZES = {"demo": None, "tiondel": 0.1, "stad": 1.0, "tiodubbel": 10.0}
LABELS = {"demo": "demo", "tiondel": "stad/10", "stad": "stad", "tiodubbel": "10 × stad"}
DEFAULT_SIZES = ("demo", "tiondel", "stad")
DEFAULT_MODULES = ("export", "check", "report", "startup", "workspace", "size")
LINEAR, FLAT = 1.15, 0.3
BEGIN = "<!-- growth: början (genererad av benchmarks/growth.py --write-docs) -->"
END = "<!-- growth: slut -->"


def database(size: str) -> Path:
    """The database of ``size``, built the first time."""
    if size == "stad":
        return city.cached()
    path = CACHE / f"{size}.db"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        print(f"Bygger {path} (en gång) …", flush=True)
        if size == "demo":
            subprocess.run([sys.executable, "-m", "socdesk", "demo", "--db", str(path)], check=True)
        else:
            city.generate(path, round(city.LEAVES * SIZES[size])).close()
    return path


def fact_count(db: Path) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        return con.execute("SELECT count(*) FROM facts").fetchone()[0]


def exponent(points: list[tuple[int, float]]) -> float | None:
    """k in product ∝ factsᵏ between the two largest sizes measured (None: fewer than two)."""
    points = [(n, p) for n, p in points if p > 0]
    if len(points) < 2:
        return None
    (n1, p1), (n2, p2) = points[-2], points[-1]
    return math.log(p2 / p1) / math.log(n2 / n1)


def is_click(row: Row) -> bool:
    return row.unit == "ms"


def measure(
    sizes: list[str], names: list[str], rounds: int
) -> tuple[list[int], list[tuple[Row, list[float | None]]]]:
    """Each module's rows on each size: (facts per size, [(row on the largest size, products)])."""
    dbs = [database(s) for s in sizes]
    counts = [fact_count(db) for db in dbs]
    table: list[tuple[Row, list[float | None]]] = []
    for name in names:
        found = modules(only=name)
        if not found:
            print(f"   benchmarks/bench_{name}.py har ingen rows(): hoppas över", flush=True)
            continue
        module = found[0][1]
        per_size: list[list[Row] | None] = []
        for size, db in zip(sizes, dbs, strict=True):
            print(f"… {name} på {LABELS[size]}", flush=True)
            try:
                per_size.append(module.rows(db, rounds=rounds))
            except Exception as e:  # the module cannot measure this size: a gap, said so
                print(f"   {name} på {LABELS[size]}: {e!r}"[:300], flush=True)
                per_size.append(None)
        width = max((len(r) for r in per_size if r), default=0)
        for i in range(width):
            products = [r[i].product if r and i < len(r) else None for r in per_size]
            label = next(r[i] for r in reversed(per_size) if r and i < len(r))
            table.append((label, products))
    return counts, table


def render(sizes: list[str], counts: list[int], table: list[tuple[Row, list[float | None]]]) -> str:
    head = [
        "väg",
        *(f"{LABELS[s]} ({sv(n, 0)} uppg.)" for s, n in zip(sizes, counts, strict=True)),
        "k",
        "väntat",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row, products in table:
        k = exponent([(n, p) for n, p in zip(counts, products, strict=True) if p is not None])
        bound = FLAT if is_click(row) else LINEAR
        expected = "platt" if is_click(row) else "linjärt"
        verdict = "–" if k is None else ("ja" if k <= bound else "NEJ")
        cells = [f"{sv(p)} {row.unit}" if p is not None else "–" for p in products]
        lines.append(
            "| "
            + " | ".join([row.path, *cells, sv(k) if k is not None else "–", f"{expected}: {verdict}"])
            + " |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default=",".join(DEFAULT_SIZES), help="demo,tiondel,stad,tiodubbel")
    ap.add_argument("--only", default=",".join(DEFAULT_MODULES), help="moduler, t.ex. export,check")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--write-docs", action="store_true")
    ap.add_argument("--doc", type=Path, default=HERE.parent / "docs" / "performance.md")
    args = ap.parse_args(argv)
    sizes = [s for s in args.sizes.split(",") if s]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        raise SystemExit(f"okänd storlek: {', '.join(unknown)} (finns: {', '.join(SIZES)})")
    sizes.sort(key=list(SIZES).index)
    counts, table = measure(sizes, [n for n in args.only.split(",") if n], args.rounds)
    text = render(sizes, counts, table)
    print(text)
    if args.write_docs:
        write_docs(args.doc, text, begin=BEGIN, end=END)
    verdicts = [line for line in text.splitlines() if line.endswith("NEJ |")]
    return 1 if verdicts else 0


if __name__ == "__main__":
    sys.exit(main())
