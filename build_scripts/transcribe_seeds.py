"""Transcribe the tables of the four seed documents (../shared/seeds) into long CSV (seeds/).

The tables are typed below in a compact form, one block per printed table, with ``|`` between
columns and the numbers exactly as printed (Swedish format, ``*``, ``.``, ``-``). Running this
script rewrites the seed CSV files; tests/test_seeds.py re-derives every printed total from
them. Run: ``python build_scripts/transcribe_seeds.py``.
"""

from __future__ import annotations

import csv
import io
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
sys.path.insert(0, str(ROOT))
from socdesk.io.longcsv import COLUMNS as HEADER  # noqa: E402


@dataclass
class Col:
    """What one printed column means."""

    measure: str
    scenario: str
    period: str
    skala: str = ""
    version: str = ""
    gender: str = ""
    group: str = ""


class Out:
    def __init__(self, name: str) -> None:
        self.name = name
        self.rows: list[list[str]] = []
        self.defined: set[str] = set()

    def unit(self, code: str, name: str, parent: str = "", source: str = "", *, part: bool = False) -> None:
        """``part``: a "därav" row of ``parent`` (docs/long-csv.md, column ``därav``)."""
        if code in self.defined:
            return
        self.defined.add(code)
        self.rows.append(
            [code, name, parent, "", "", "", "", "", "", "", "", "", source] + (["ja"] if part else [])
        )

    def fact(
        self,
        unit: str,
        col: Col,
        value: str,
        source: str,
        comment: str = "",
        group: str | None = None,
        gender: str | None = None,
    ) -> None:
        assert unit in self.defined, unit
        self.rows.append(
            [
                unit,
                "",
                "",
                col.period,
                col.measure,
                col.scenario,
                value.strip(),
                col.skala,
                col.version,
                col.gender if gender is None else gender,
                col.group if group is None else group,
                comment,
                source,
            ]
        )

    def table(
        self,
        text: str,
        cols: list[Col],
        source: str,
        *,
        units: dict[str, str] | None = None,
        groups: bool = False,
    ) -> None:
        """Rows ``label|v1|v2|…``; label is a unit code (or, with ``units``, a printed name
        mapped to a code; with ``groups``, a grupp on the unit given as ``units['*']``)."""
        for line in text.strip().splitlines():
            cells = [c.strip() for c in line.split("|")]
            label, values = cells[0], cells[1:]
            if len(values) != len(cols):
                sys.exit(f"{source}: {line!r} has {len(values)} values for {len(cols)} columns")
            for col, value in zip(cols, values, strict=True):
                if groups:
                    assert units is not None
                    self.fact(units["*"], col, value, source, group=label if label != "TOTAL" else "")
                else:
                    code = units[label] if units else label
                    self.fact(code, col, value, source)

    def write(self, folder: Path = SEEDS) -> None:
        buf = io.StringIO()
        w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
        # the därav column only where a table has "därav" rows (a shorter row leaves it empty)
        w.writerow(HEADER if any(len(r) == len(HEADER) for r in self.rows) else HEADER[:-1])
        w.writerows(self.rows)
        (folder / self.name).write_bytes(buf.getvalue().encode("utf-8"))
        facts = sum(1 for r in self.rows if r[4])
        print(f"{self.name}: {facts} uppgifter, {len(self.defined)} enheter")


def years(measure: str, ys: list[int], scenario: str = "utfall", **kw: str) -> list[Col]:
    return [Col(measure, scenario, str(y), **kw) for y in ys]


def q1(measure: str, ys: list[int], **kw: str) -> list[Col]:
    return [Col(measure, "utfall", f"{y}-Q1", **kw) for y in ys]


sys.path.insert(0, str(Path(__file__).resolve().parent))
from seedtables import s001, s002, s003, s004  # noqa: E402


def main(folder: Path = SEEDS) -> None:
    for module in (s003, s004, s001, s002):
        for out in module.build(Out, Col, years, q1):
            out.write(folder)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else SEEDS)
