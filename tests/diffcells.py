"""The differential test of issue 12 §3: the same cell, the same figure, on every path.

A *cell* is a unit's column (utfall, budget, avvikelse, avvikelse %, årsbudget, förbrukat %,
prognos, prognosavvikelse) in the Ekonomi table of a unit, a month, a view mode and a scale.
Each cell is read from

- the Ekonomi Qt model (``EconomyModel``): the raw Decimal (``RAW_ROLE``), the displayed text
  and the marks (``MARK_ROLE``);
- ``socdesk deviations --period M --json`` (year to date; run through ``cli.main`` in this
  process, the same code as the command, whose output is parsed with ``parse_float=Decimal``);
- the workspace's Excel export (``economy_sheet`` + ``write_table``, read back with openpyxl);
- the Månadsuppföljning's table (year to date, tkr) and, at the end of a tertial, the
  Tertialrapport's budgetrad table (mnkr, costs negative),

and every path must give the same figure: exactly, or – where a path rounds by design (JSON's
avvikelse % to 2 decimals, a percentage cell to the decimal shown) – the exact figure rounded
by the one rounding rule. Used by ``tests/test_differential.py`` (a fixed seed, ≥ 1 000 cells)
and ``benchmarks/differential.py`` (more seeds and cells).
"""

from __future__ import annotations

import contextlib
import io
import json
import random
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from socdesk.core.facts import Fact, FactKey, Scenario
from socdesk.core.numbers import Scale, round_half_up
from socdesk.core.periods import Month, Period
from socdesk.core.units import Unit
from socdesk.core.values import Value

COLUMNS = [
    "actual",
    "budget",
    "variance",
    "variance_pct",
    "annual_budget",
    "used_pct",
    "forecast",
    "forecast_variance",
]
JSON_KEYS = {"actual", "budget", "variance", "variance_pct", "annual_budget", "forecast", "forecast_variance"}
MONTHLY_REPORT = {
    "actual": "Utfall",
    "budget": "Budget",
    "variance": "Avvikelse",
    "annual_budget": "Årsbudget",
}
TERTIAL_REPORT = {  # column → (title, sign: the report prints costs negative)
    "actual": ("Netto", -1),
    "budget": ("Budget netto", -1),
    "variance": ("Avvikelse", 1),
    "annual_budget": ("Årsbudget", -1),
    "forecast": ("Helårsprognos", -1),
    "forecast_variance": ("Prognosavvikelse", 1),
}
XLSX = {  # column → the export's column title, before " (tkr)"
    "actual": "Utfall",
    "budget": "Budget",
    "variance": "Avvikelse",
    "variance_pct": "Avvikelse %",
    "annual_budget": "Årsbudget",
    "used_pct": "Förbrukat %",
    "forecast": "Prognos helår",
    "forecast_variance": "Prognosavvikelse",
}
MARK_SUFFIXES = (" ◔", " ≠")


# --- a generated board: revisions, partial months, mixed grains ------------------------------
def generate_board(path: Path, seed: int, year: int = 2024) -> None:
    """A board of four programs (one without verksamheter) and 14 leaf units: budget by month,
    as jan–maj + årsbudget, or as årsbudget only; utfall by month or as jan–maj then months,
    each unit stopping at its own month (partial months); an ombudgetering from July changing
    some units; prognoser made in April and August; programs stating totals of their own (one
    that differs from its children). Amounts in ten-thousandths of a krona."""
    from socdesk.io.seeds import open_database

    rnd = random.Random(seed)
    store = open_database(path)
    try:
        units = [Unit("G", "Genererad nämnd")]
        leaves: list[str] = []
        for p in range(1, 5):
            units.append(Unit(f"P{p}", f"Program {p}", "G"))
            for i in range(1, 6 if p < 4 else 1):
                if p == 3 and i > 3:
                    continue
                units.append(Unit(f"V{p}{i}", f"Verksamhet {p}.{i}", f"P{p}"))
                leaves.append(f"V{p}{i}")
        leaves.append("P4")  # a program reporting on its own
        store.add_units(units)

        def amount(low: int, high: int) -> Decimal:
            v = Decimal(rnd.randint(low, high))
            return v if rnd.random() < 0.5 else v + Decimal(rnd.randint(0, 9999)) / 10000

        def fact(unit, scenario, period, value, version=""):
            return Fact(FactKey(unit, "netto", scenario, period, version), Value.of(value))

        facts: list[Fact] = []
        monthly_budget: dict[str, dict[int, Decimal]] = {}
        grains: dict[str, str] = {}
        ytd5 = Period.year_to_date(year, 5)
        for code in leaves:
            base = rnd.randint(50_000, 2_000_000)
            grain = rnd.choice(["months", "months", "ytd+annual", "annual", "none"])
            grains[code] = grain
            months = {m: amount(base * 8 // 10, base * 12 // 10) for m in range(1, 13)}
            if grain == "months":
                monthly_budget[code] = months
                facts += [fact(code, Scenario.BUDGET, Period.month(year, m), v) for m, v in months.items()]
            elif grain == "ytd+annual":
                facts.append(fact(code, Scenario.BUDGET, ytd5, sum(months[m] for m in range(1, 6))))
                facts.append(fact(code, Scenario.BUDGET, Period.year(year), sum(months.values())))
            elif grain == "annual":
                facts.append(fact(code, Scenario.BUDGET, Period.year(year), sum(months.values())))
            last = rnd.choice([0, 4, 5, 5, 6, 6, 7, 8, 9, 12])  # each unit reports up to its own month
            actual = {m: months[m] * rnd.randint(80, 125) / 100 for m in range(1, last + 1)}
            actual = {m: round_half_up(v, 4) for m, v in actual.items()}
            if last >= 5 and rnd.random() < 0.4:  # year to date from a report, then months
                facts.append(fact(code, Scenario.ACTUAL, ytd5, sum(actual[m] for m in range(1, 6))))
                facts += [
                    fact(code, Scenario.ACTUAL, Period.month(year, m), actual[m]) for m in range(6, last + 1)
                ]
            else:
                facts += [fact(code, Scenario.ACTUAL, Period.month(year, m), v) for m, v in actual.items()]
            for made in ("04", "08"):
                if rnd.random() < 0.6:
                    forecast = sum(months.values()) * rnd.randint(90, 112) / 100
                    facts.append(
                        fact(
                            code,
                            Scenario.FORECAST,
                            Period.year(year),
                            round_half_up(forecast, 0),
                            f"{year}-{made}",
                        )
                    )
        # totals stated by programs themselves: P1's årsbudget 1 000 kr off its children
        p1_annual = sum(
            (
                f.value.number
                for f in facts
                if f.key.unit.startswith("V1")
                and f.key.scenario is Scenario.BUDGET
                and f.key.period == Period.year(year)
            ),
            Decimal(0),
        ) + sum((sum(v.values()) for c, v in monthly_budget.items() if c.startswith("V1")), Decimal(0))
        facts.append(fact("P1", Scenario.BUDGET, Period.year(year), p1_annual + 1000))
        store.write_facts(facts, source="generated")
        # the ombudgetering from July: a copy of the budget, then some units changed
        version = store.add_budget_version(year, Month(year, 7), f"{year}-06-20", "Ombudgetering (genererad)")
        revised: list[Fact] = []
        for code in leaves:
            if rnd.random() < 0.5:
                continue
            if grains[code] == "months":
                revised += [
                    fact(code, Scenario.BUDGET, Period.month(year, m), v + amount(-40_000, 60_000), version)
                    for m, v in monthly_budget[code].items()
                    if m >= 7
                ]
            elif grains[code] in ("ytd+annual", "annual"):
                old = next(
                    f.value.number
                    for f in store.facts(units=[code], scenario=Scenario.BUDGET)
                    if f.key.version == version and f.key.period == Period.year(year)
                )
                revised.append(
                    fact(code, Scenario.BUDGET, Period.year(year), old + amount(-200_000, 400_000), version)
                )
        if revised:
            store.write_facts(revised, source="generated")
    finally:
        store.close()


# --- the paths ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Group:
    """One Ekonomi table: a unit, a month, a view mode and a scale."""

    unit: str
    month: Month
    mode: str
    scale: Scale


@dataclass
class Result:
    cells: int = 0
    comparisons: int = 0
    by_path: dict[str, int] = field(default_factory=dict)
    disagreements: list[str] = field(default_factory=list)

    def agree(self, path: str, ok: bool, what: str) -> None:
        self.comparisons += 1
        self.by_path[path] = self.by_path.get(path, 0) + 1
        if not ok:
            self.disagreements.append(f"{path}: {what}")


def deviations_json(db: Path, month: Month) -> dict[str, dict]:
    """``socdesk deviations --db DB --period M --json``, every unit, amounts as Decimal."""
    from socdesk import cli

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli.main(["deviations", "--db", str(db), "--period", str(month), "--json"])
    assert code == 0
    return {row["unit"]: row for row in json.loads(out.getvalue(), parse_float=Decimal)}


def plan(store, rnd: random.Random, n_cells: int, roots: list[str], months: list[Month]):
    """Random tables and, in each, random (row, column) cells, until ``n_cells``; tables are
    units with children within two levels of a root (the rows the Månadsuppföljning prints)."""
    from socdesk.reports.economy import ViewMode

    tree = store.unit_tree()
    tables = []
    for root in roots:
        tables.append((root, months))
        tables += [(u.code, months) for u in tree.children(root) if tree.children(u.code)]
    modes = [ViewMode.YTD] * 3 + [ViewMode.MONTH, ViewMode.TERTIAL, ViewMode.QUARTER]
    out: list[tuple[Group, list[tuple[int, str]]]] = []
    total = 0
    while total < n_cells:
        unit, ms = rnd.choice(tables)
        group = Group(
            unit,
            rnd.choice(ms),
            rnd.choice(modes).value,
            rnd.choice([Scale.TKR] * 3 + [Scale.KR, Scale.MNKR]),
        )
        rows = len(tree.children(unit)) + 1
        cells = sorted({(rnd.randrange(rows), rnd.choice(COLUMNS)) for _ in range(rnd.randint(4, 12))})
        out.append((group, cells))
        total += len(cells)
    return out


def _xlsx_number(cell) -> Decimal | None:
    if cell.value is None:
        return None
    if cell.data_type == "s":  # more digits than a spreadsheet float holds: kept exact, as text
        return Decimal(str(cell.value).replace(",", "."))
    return Decimal(str(cell.value))


def _stripped(text: str) -> str:
    for suffix in MARK_SUFFIXES:
        text = text.replace(suffix, "")
    return text


def run(db: Path, roots: list[str], months: list[Month], n_cells: int, seed: int, workdir: Path) -> Result:
    """Plan ``n_cells`` random cells on ``db`` and compare every path; the database is closed
    while the command line reads it, as a second program would."""
    from openpyxl import load_workbook
    from PySide6.QtCore import Qt

    from socdesk.gui.economy_model import COLUMNS as MODEL_COLUMNS
    from socdesk.gui.economy_model import MARK_ROLE, MISMATCH, PARTIAL, RAW_ROLE, EconomyModel
    from socdesk.gui.formatting import money, percent
    from socdesk.io.xlsx import write_table
    from socdesk.reports import compose, template
    from socdesk.reports.board import Kind, build
    from socdesk.reports.economy import ViewMode, economy_table
    from socdesk.reports.sheets import economy_sheet
    from socdesk.store.db import Store

    rnd = random.Random(seed)
    store = Store(db, readonly=True)
    try:
        groups = plan(store, rnd, n_cells, roots, months)
    finally:
        store.close()
    json_by_month = {
        m: deviations_json(db, m)
        for m in sorted({g.month for g, _c in groups if g.mode == ViewMode.YTD.value})
    }
    col_index = {key: i for i, (key, _t, _k) in enumerate(MODEL_COLUMNS)}
    result = Result()
    store = Store(db, readonly=True)
    try:
        sheets, models = [], []
        for i, (group, _cells) in enumerate(groups):
            table = economy_table(store, group.unit, group.month, ViewMode(group.mode))
            model = EconomyModel()
            model.set_scale(group.scale)
            model.set_table(table)
            models.append(model)
            _name, title, columns, rows = economy_sheet(table, group.scale)
            sheets.append((f"{i}", title, columns, rows))
        book_path = workdir / f"diff-{seed}.xlsx"
        write_table(book_path, sheets)
        book = load_workbook(book_path)
        monthly: dict[tuple[str, Month], object] = {}
        tertial: dict[tuple[str, Month], object] = {}
        for i, (group, cells) in enumerate(groups):
            model = models[i]
            ws = book[f"{i}"]
            header = [c.value for c in ws[3]]
            ytd = group.mode == ViewMode.YTD.value
            for r, key in cells:
                result.cells += 1
                row = model.row(r)
                c = col_index[key]
                index = model.index(r, c)
                raw = index.data(RAW_ROLE)
                marks = index.data(MARK_ROLE)
                label = model.index(r, 0).data()
                where = (
                    f"{db.name} {group.unit} {group.month} {group.mode} {group.scale.label}: {label} / {key}"
                )
                kind = MODEL_COLUMNS[c][2]
                # the model shows its raw figure
                shown = percent(raw) if kind == "pct" else money(raw, group.scale)
                result.agree(
                    "model text",
                    _stripped(index.data(Qt.ItemDataRole.DisplayRole)) == shown,
                    f"{where}: {index.data()} ≠ {shown}",
                )
                # the Excel export of the same table
                sheet_row = next(rr for rr in range(4, ws.max_row + 1) if ws.cell(rr, 1).value == label)
                title = XLSX[key] if kind == "pct" else f"{XLSX[key]} ({group.scale.label})"
                got = _xlsx_number(ws.cell(sheet_row, header.index(title) + 1))
                want = (
                    None
                    if raw is None
                    else (round_half_up(raw, 1) / 100 if kind == "pct" else raw / group.scale.factor)
                )
                result.agree("xlsx", got == want, f"{where}: xlsx {got} ≠ {want}")
                if not ytd:
                    continue
                # deviations --json, year to date at the month
                j = json_by_month[group.month].get(row.unit.code)
                if key in JSON_KEYS:
                    jv = None if j is None else j[key]
                    want = None if raw is None else (round_half_up(raw, 2) if key == "variance_pct" else raw)
                    result.agree("json", jv == want, f"{where}: json {jv} ≠ {want}")
                if key == "actual":
                    jp = None if j is None else j["partial"]
                    want_p = PARTIAL in marks
                    ok = (jp is not None) == want_p and (
                        not want_p
                        or (jp["reporting"], jp["expected"])
                        == (row.coverage.reporting, row.coverage.expected)
                    )
                    result.agree("json partial", ok, f"{where}: json partial {jp} vs mark {marks}")
                if j is not None:
                    jm = {m["field"] for m in j["mismatches"]}
                    result.agree(
                        "json mismatch",
                        (key in jm) == (MISMATCH in marks),
                        f"{where}: json {jm} vs mark {marks}",
                    )
                # the Månadsuppföljning of the table's unit
                if key in MONTHLY_REPORT:
                    rep = monthly.get((group.unit, group.month))
                    if rep is None:
                        rep = monthly[(group.unit, group.month)] = build(
                            store, Kind.MONTHLY, group.unit, group.month, draft_check=False
                        )
                    t = next(x for x in rep.tables() if x.key == "program")  # children and the total
                    titles = [col.title for col in t.columns]
                    rr = t.row_keys.index(row.unit.code)
                    got = t.rows[rr][titles.index(MONTHLY_REPORT[key])]
                    want = None if raw is None else raw / Scale.TKR.factor
                    result.agree("manad", got == want, f"{where}: Månadsuppföljning {got} ≠ {want}")
                    if key == "actual":
                        noted = f"{t.rows[rr][0]}: " in t.legend and "Ofullständigt utfall" in t.legend
                        result.agree(
                            "manad partial",
                            noted == (PARTIAL in marks),
                            f"{where}: legend {t.legend!r} vs {marks}",
                        )
                # the Tertialrapport's budgetrad table at the end of a tertial
                if key in TERTIAL_REPORT and group.month.month in (4, 8, 12):
                    rep = tertial.get((group.unit, group.month))
                    if rep is None:
                        rep = tertial[(group.unit, group.month)] = compose.build(
                            store,
                            template.load(template.shipped_dir() / "tertial.toml"),
                            group.unit,
                            compose.report_period("tertial", group.month),
                            draft_check=False,
                        )
                    t = next(x for x in rep.tables() if x.key == "resultat")  # the budgetrad table
                    titles = [col.title for col in t.columns]
                    rr = t.row_keys.index(row.unit.code)
                    title, sign = TERTIAL_REPORT[key]
                    got = t.rows[rr][titles.index(title)]
                    want = None if raw is None else sign * raw / Scale.MNKR.factor
                    result.agree("tertial", got == want, f"{where}: Tertialrapport {got} ≠ {want}")
    finally:
        store.close()
    return result
