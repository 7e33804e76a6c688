"""Every benchmark of issue 15 in one command: one table (path | product | floor | ratio |
target | met), in Swedish number format.

    .venv/bin/python benchmarks/run_all.py [--only NAME] [--rounds N] [--city PATH] [--write-docs]

Imports every ``benchmarks/bench_*.py`` that defines ``rows(city, *, rounds)`` (the contract in
``benchmarks/common.py``), measures on the city (``city.cached()``, built once) and prints its
rows. A missed target makes the command exit 1, so it can gate. ``--write-docs`` rewrites the
generated part of docs/performance.md, between the markers below, and nothing else.
"""

from __future__ import annotations

import argparse
import importlib.util
import inspect
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import Row, load  # noqa: E402

BEGIN = "<!-- run_all: början (genererad av benchmarks/run_all.py --write-docs) -->"
END = "<!-- run_all: slut -->"
HEADER = ("väg", "produkten", "golvet", "kvot", "mål", "uppfyllt")


def modules(folder: Path = HERE, only: str | None = None) -> list[tuple[str, ModuleType]]:
    """The bench modules in ``folder`` that define ``rows()``, by name (``only``: that one)."""
    found = []
    for path in sorted(folder.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if only and name != only and path.stem != only:
            continue
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        if callable(getattr(module, "rows", None)):
            found.append((name, module))
    return found


def sv(x: float | None, decimals: int = 2) -> str:
    """A number as Swedish text: decimal comma, a space between thousands."""
    if x is None:
        return "–"
    return f"{x:,.{decimals}f}".replace(",", " ").replace(".", ",")


def cells(row: Row) -> tuple[str, ...]:
    product = f"{sv(row.product)} {row.unit}"
    if row.rss_mb is not None:
        product += f", {sv(row.rss_mb, 0)} MB"
    floor = f"{sv(row.floor)} {row.unit}" if row.floor is not None else "–"
    ratio = f"{sv(row.ratio)} ×" if row.ratio is not None else "–"
    return (row.path, product, floor, ratio, row.target, "ja" if row.ok else "NEJ")


def table(rows: Iterable[Row]) -> str:
    """The rows as a Markdown table."""
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    notes = []
    for row in rows:
        lines.append("| " + " | ".join(cells(row)) + " |")
        if row.note:
            notes.append(f"- {row.path}: {row.note}")
    return "\n".join(lines + (["", *notes] if notes else []))


def run(
    city: Path,
    *,
    rounds: int,
    only: str | None = None,
    folder: Path = HERE,
    echo: Callable[[str], object] = print,
) -> list[Row]:
    """Every module's rows, in module order; a module that fails is a row that misses."""
    out: list[Row] = []
    for name, module in modules(folder, only):
        echo(f"… {name}")
        try:
            out.extend(module.rows(city, rounds=rounds))
        except Exception as e:  # a benchmark that breaks misses its target, loudly
            out.append(Row(f"bench_{name}", 0.0, None, "", "körs utan fel", False, note=repr(e)[:300]))
    return out


def write_docs(doc: Path, text: str, *, begin: str = BEGIN, end: str = END) -> None:
    """Replace what is between the markers in ``doc`` (appended with them the first time)."""
    old = doc.read_text(encoding="utf-8")
    block = f"{begin}\n{text}\n{end}"
    if begin in old and end in old:
        head, rest = old.split(begin, 1)
        new = head + block + rest.split(end, 1)[1]
    else:
        new = old.rstrip("\n") + "\n\n" + block + "\n"
    doc.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None, *, folder: Path = HERE) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", help="en modul, t.ex. check (bench_check.py)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--city", type=Path, help="stadens databas (annars benchmarks/.cache/city.db)")
    ap.add_argument("--write-docs", action="store_true", help="skriv om tabellen i docs/performance.md")
    ap.add_argument("--doc", type=Path, default=HERE.parent / "docs" / "performance.md")
    args = ap.parse_args(argv)
    if args.city is None:
        from city import cached

        args.city = cached()
    rows = run(args.city, rounds=args.rounds, only=args.only, folder=folder)
    text = table(rows) + f"\n\nMedianer av {args.rounds} omgångar; {load()}."
    print(text)
    if args.write_docs:
        write_docs(args.doc, text)
    return 0 if rows and all(r.ok for r in rows) else 1


def signature_ok(module: ModuleType) -> bool:
    """``rows(city, *, rounds=…)``: the contract run_all calls (further keyword-only parameters
    with defaults, a module's own knobs, are allowed)."""
    params = list(inspect.signature(module.rows).parameters.values())
    rest = params[2:]
    return (
        len(params) >= 2
        and params[0].kind in (params[0].POSITIONAL_ONLY, params[0].POSITIONAL_OR_KEYWORD)
        and params[1].name == "rounds"
        and params[1].kind is params[1].KEYWORD_ONLY
        and params[1].default is not inspect.Parameter.empty
        and all(p.kind is p.KEYWORD_ONLY and p.default is not inspect.Parameter.empty for p in rest)
    )


if __name__ == "__main__":
    sys.exit(main())
