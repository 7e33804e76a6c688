"""A report from a template: ``build(store, template, unit, period)`` → ``document.Report``.

Every cell is the store's figure for its merged key (row over table, column over row): a
stated figure as stated (exact, printed with the decimals it was stated in unless the column
says), an economy figure (utfall, budget, avvikelse, årsbudget, prognos …) from
``reports.economy.economy_rows`` – the same figure the Ekonomi view shows, a stated avvikelse
as stated (``shown_variance``). A total is the unit's own (stated or resolved) figure; a
``total = "sum"`` row sums the rows above it only over one additive measure. A stated figure
that differs from its children's sum gets a footnote at its row (the check's ``sum_mismatch``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from socdesk.core.checks import Finding, run_checks
from socdesk.core.facts import Scenario
from socdesk.core.i18n import _
from socdesk.core.measures import Measure
from socdesk.core.numbers import Scale, format_number, round_half_up
from socdesk.core.periods import MONTH_NAMES, Month, Period, parse_period
from socdesk.core.units import Unit
from socdesk.core.values import Value
from socdesk.io.xlsx import Column
from socdesk.reports.document import Chart, Heading, PageBreak, Paragraph, Report, Table, TitlePage
from socdesk.reports.economy import Coverage, EconomyRow, UtfallCoverage, ViewMode, economy_rows
from socdesk.reports.final import Reason, acknowledged_note
from socdesk.reports.template import (
    NET,
    VALUES_OF_YEAR,
    VIEW_PERIODS,
    YEARS_BACK,
    ColumnSpec,
    RowSpec,
    Section,
    Template,
    TemplateError,
    sum_problems,
)
from socdesk.store.db import Store
from socdesk.store.figures import Figures

KIND_LABELS = {
    "manad": _("Månadsuppföljning"),
    "tertial": _("Tertialrapport"),
    "nyckeltal": _("Nyckeltalsbilaga"),
    "statistik": _("Statistikrapport"),
}
NOTED_RULES = ("sum_mismatch", "derived_mismatch", "grain_mismatch")  # footnoted at their row
PERSON_UNITS = ("personer", "antal")  # counts of people or of their cases: small ones are hidden
MONEY_DECIMALS = {"kr": 0, "tkr": 0, "mnkr": 1}
# the economy value → the EconomyRow field (and the column name its mismatches use)
ECONOMY_FIELDS = {
    "utfall": "actual",
    "budget": "budget",
    "avvikelse": "variance",
    "avvikelse_pct": "variance_pct",
    "forbrukat_pct": "used_pct",
    "arsbudget": "annual_budget",
    "prognos": "forecast",
    "prognosavvikelse": "forecast_variance",
}
AMOUNTS = ("utfall", "budget", "arsbudget", "prognos")  # printed with the document's sign of costs
PERCENTAGES = ("avvikelse_pct", "forbrukat_pct")
REBUILT_NOTE = _(
    "Budget för perioder som den angivna budgeten inte täcker är räknad ur månader fördelade från "
    "de angivna delarna (t.ex. budget hittills och årsbudget), så att var och en stämmer exakt."
)


def report_month(kind: str, period: Period) -> Month:
    """The month a report is made at: the end of its period (a month, a tertial, a year)."""
    return period.end


def report_period(kind: str, month: Month) -> Period:
    """The report's period P for a month: the month (manad), its tertial, or its year."""
    if kind == "manad":
        return Period.month(month.year, month.month)
    if kind == "tertial":
        return Period.tertial(month.year, (month.month + 3) // 4)
    return Period.year(month.year)


@dataclass
class _Cell:
    value: object = None  # Decimal, text or None
    decimals: int | None = None
    measure: Measure | None = None
    percent: bool = False
    money: bool = False
    scale: str = ""
    computed: bool = False
    # what the cell shows: (unit, measure, scenario, period, kon, grupp, version), for footnotes
    key: tuple[str, str, str, str, str, str, str] | None = None
    sign: int = 1  # -1: printed with the document's sign of costs (an amount, costs negative)
    raw: Decimal | None = None  # a count's figure before röjandekontroll


@dataclass
class _Line:
    label: str
    key: str = ""
    unit: str = ""
    dims: dict[str, str] = field(default_factory=dict)
    heading: bool = False
    total: bool = False
    sum_of: list[int] | None = None  # a sum row: indexes of the lines it sums
    part: bool = False
    covers: list[int] | None = None  # a total: the lines it is the total of


@dataclass(frozen=True)
class TraceRow:
    """What a composed row shows, for checks of the composed tables (tests/test_template_sums.py):
    its unit, whether it is a total ("stated": the unit's own figure; "sum": computed here) and
    of which rows, and per column the key of its cell (unit, measure, scenario or economy value,
    period, kön, grupp, version), None where the cell holds no figure."""

    label: str
    unit: str
    total: str
    covers: tuple[int, ...]
    cells: tuple[tuple[str, str, str, str, str, str, str] | None, ...]


class Composer:
    def __init__(
        self, store: Store, template: Template, unit: str, period: Period, *, as_of: str | None = None
    ) -> None:
        self.store = store
        self.t = template
        self.tree = store.unit_tree(as_of=as_of)  # as_of: the organisation as it was (docs/units.md)
        if unit not in self.tree:
            raise TemplateError([_("Enheten {u} finns inte.").format(u=unit)])
        self.board = unit
        self.period = period
        self.month = period.end
        self.year = period.end.year
        self.figures = Figures(store, self.tree)
        self.measures = store.measures()
        self.coverage = UtfallCoverage.of(store, self.tree, self.year, figures=self.figures)
        self._economy: dict[tuple[str, ViewMode], EconomyRow] = {}
        self._facts: dict[tuple[str, str], list] = {}
        self._findings: dict[tuple[str, int, int], list[Finding]] = {}
        self.texts = store.report_texts(template.name, str(period))
        self.legend_done = False
        self.threshold = 0 if template.disclosure == "source" else _threshold(store)
        self.text_sections: list[tuple[str, str, str]] = []  # (key, title, default) of every text
        self.missing_texts: list[tuple[str, str]] = []  # (key, title) of texts not written
        self.current = ""  # the unit of the «each» being composed
        self.acked = store.acknowledged()  # findings acknowledged as errors in the source (final.py)
        self.noted: list[Finding] = []  # the source's contradictions the report prints as footnotes
        self.traces: dict[str, list[TraceRow]] = {}  # per table key: what its rows show
        self.costs_negative = template.costs_negative  # the table being made may say otherwise

    # --- text ----------------------------------------------------------------------------
    @property
    def shown_period(self) -> Period:
        """The period as printed: a månadsuppföljning shows the year to date."""
        if self.t.kind == "manad":
            return Period.year_to_date(self.year, self.month.month)
        return self.period

    def fill(self, text: str, **extra: str) -> str:
        values = {
            "år": str(self.year),
            **{f"år-{k}": str(self.year - k) for k in range(1, 5)},
            "månad": MONTH_NAMES[self.month.month - 1],
            "period": self.shown_period.label(),
            "tertial": str((self.month.month + 3) // 4),
            "nämnd": self.tree[self.board].name,
            "namn": self.unit_label(self.tree[self.current or self.board]),
            **extra,
        }
        for k, v in values.items():
            text = text.replace("{" + k + "}", v)
        return text

    def unit_code(self, code: str, current: str = "") -> str:
        if code == "{board}":
            return self.board
        if code == "{unit}":
            return current or self.current or self.board
        return code

    def unit_label(self, unit: Unit) -> str:
        return unit.label if self.t.codes else unit.name

    # --- periods ---------------------------------------------------------------------------
    def resolve_period(self, name: str, shift: int = 0) -> Period:
        y, m = self.year + shift, self.month.month
        if name == "month":
            return Period.month(y, m)
        if name == "ytd":
            return Period.year_to_date(y, m)
        if name == "year":
            return Period.year(y)
        if name == "tertial":
            return Period.tertial(y, (m + 3) // 4)
        if name == "quarter":
            return Period.quarter(y, (m + 2) // 3)
        if name in ("Q1", "Q2", "Q3", "Q4"):
            return Period.quarter(y, int(name[1]))
        if name in ("T1", "T2", "T3"):
            return Period.tertial(y, int(name[1]))
        if name == "year-1":
            return Period.year(y - 1)
        if name == "ytd-1":
            return Period.year_to_date(y - 1, m)
        back = YEARS_BACK.fullmatch(name)
        if back:
            years = int(back[2])
            return Period.year(y - years) if back[1] == "year" else Period.year_to_date(y - years, m)
        p = parse_period(name)
        if shift:
            return Period(Month(p.start.year + shift, p.start.month), Month(p.end.year + shift, p.end.month))
        return p

    def default_period(self) -> str:
        return "ytd" if self.t.kind in ("manad", "tertial") else "year"

    # --- figures ---------------------------------------------------------------------------
    def economy(self, code: str, mode: ViewMode) -> EconomyRow:
        key = (code, mode)
        if key not in self._economy:
            rows = economy_rows(
                self.store,
                [self.tree[code]],
                self.month,
                mode,
                tree=self.tree,
                figures=self.figures,
                coverage=self.coverage,
            )
            self._economy[key] = rows[0]
        return self._economy[key]

    def prefetch(self, codes: list[str], modes: set[ViewMode]) -> None:
        codes = list(dict.fromkeys(c for c in codes if c in self.tree))
        for mode in modes:
            wanted = [c for c in codes if (c, mode) not in self._economy]
            if not wanted:
                continue
            rows = economy_rows(
                self.store,
                [self.tree[c] for c in wanted],
                self.month,
                mode,
                tree=self.tree,
                figures=self.figures,
                coverage=self.coverage,
            )
            for r in rows:
                self._economy[(r.unit.code, mode)] = r

    def stated_fact(
        self, code: str, measure: str, scenario: str, period: Period, kon: str, grupp: str, version: str
    ):
        key = (code, measure)
        if key not in self._facts:
            self._facts[key] = self.store.facts(units=[code], measure=measure)
        for f in self._facts[key]:
            k = f.key
            if (
                k.period == period
                and k.scenario.value == scenario
                and k.gender == kon
                and k.group == grupp
                and k.version == version
            ):
                return f.value
        return None

    def cell(self, dims: dict[str, str], scale: str, where: str) -> tuple[_Cell, EconomyRow | None, str]:
        """The figure for a merged key, and the economy row (and its column) it came from."""
        code = dims.get("unit", "")
        if not code or code not in self.tree:
            return _Cell(), None, ""
        measure_key = dims.get("measure", NET)
        measure = self.measures.get(measure_key)
        if measure is None:
            raise TemplateError(
                [_("{w}: måttet «{m}» finns inte i databasen").format(w=where, m=measure_key)]
            )
        scenario = dims.get("scenario", Scenario.ACTUAL.value)
        period_name = dims.get("period", self.default_period())
        kon, grupp, version = dims.get("kon", ""), dims.get("grupp", ""), dims.get("version", "")
        value = dims.get("value")
        if value is None and measure_key == NET and not (kon or grupp or version):
            # the economy's own figures: one figure for Ekonomi and the report
            if scenario == "utfall" and period_name in VIEW_PERIODS:
                value = "utfall"
            elif scenario == "budget" and period_name in VIEW_PERIODS:
                value = "budget"
            elif scenario == "budget" and period_name == "year":
                value = "arsbudget"
            elif scenario == "prognos" and period_name == "year":
                value = "prognos"
            elif scenario == "avvikelse" and period_name in VIEW_PERIODS:
                value = "avvikelse"
            elif scenario == "prognosavvikelse" and period_name == "year":
                value = "prognosavvikelse"
        money_scale = scale or self.t.scale
        if value is not None:
            mode = ViewMode(period_name) if period_name in VIEW_PERIODS else ViewMode.YTD
            if value not in VALUES_OF_YEAR and period_name not in VIEW_PERIODS:
                raise TemplateError(
                    [_("{w}: värdet «{v}» kräver en period i året hittills").format(w=where, v=value)]
                )
            row = self.economy(code, mode)
            number = getattr(row, ECONOMY_FIELDS[value])
            if value in PERCENTAGES:
                pct = _Cell(number, 1, percent=True)
                pct.key = (code, NET, value, str(mode.period(self.month)), "", "", "")
                return pct, row, ECONOMY_FIELDS[value]
            sign = -1 if value in AMOUNTS and self.costs_negative else 1
            if number is not None:
                number = sign * number / Scale.parse(money_scale).factor
            cell = _Cell(number, MONEY_DECIMALS[money_scale], money=True, scale=money_scale, sign=sign)
            shown = Period.year(self.year) if value in VALUES_OF_YEAR else mode.period(self.month)
            cell.key = (code, NET, value, str(shown), "", "", "")
            return cell, row, ECONOMY_FIELDS[value]
        period = self.resolve_period(period_name)
        if not version:
            version = self.version_in_effect(code, measure, scenario, period)
        if kon or grupp:
            v = self.stated_fact(code, measure_key, scenario, period, kon, grupp, version)
        else:
            v = self.figures.values([code], measure, Scenario(scenario), period, version)[code]
        cell = self.from_value(v, measure, scenario, money_scale)
        cell.key = (code, measure_key, scenario, str(period), kon, grupp, version)
        return cell, None, ""

    def version_in_effect(self, code: str, measure: Measure, scenario: str, period: Period) -> str:
        """A stated figure with versions (a prognos made in April) and none named by the
        template: the newest made up to the report's month – of the unit's own figures for the
        period, else (a figure of its subtree) as the economy figures take it."""
        if scenario != Scenario.FORECAST.value:
            return ""
        key = (code, measure.key)
        if key not in self._facts:
            self._facts[key] = self.store.facts(units=[code], measure=measure.key)
        made = [
            f.key.version
            for f in self._facts[key]
            if f.key.period == period
            and f.key.scenario.value == scenario
            and f.key.version
            and f.key.version <= str(self.month)
        ]
        if made:
            return max(made)
        versions = self.figures.latest_versions(
            [code], measure, Scenario.FORECAST, period.end.year, self.month
        )
        return versions.get(code) or ""

    def from_value(self, v: Value | None, measure: Measure, scenario: str, money_scale: str) -> _Cell:
        if v is None:
            return _Cell(measure=measure)
        if not v.is_number:
            status = v.status.value
            return _Cell(None if status == "-" else status, measure=measure)
        number = v.number
        assert number is not None
        if measure.is_money:
            factor = Scale.parse(money_scale).factor
            number = number / factor
            decimals = _decimals_of(
                v.resolution / factor if v.resolution else None, MONEY_DECIMALS[money_scale]
            )
            sign = -1 if self.costs_negative and scenario not in ("avvikelse", "prognosavvikelse") else 1
            return _Cell(sign * number, decimals, measure, money=True, scale=money_scale, sign=sign)
        decimals = _decimals_of(v.resolution, 0)
        if measure.unit in PERSON_UNITS and number < self.threshold and self.t.disclosure == "protect":
            return _Cell("*", measure=measure, raw=number)
        return _Cell(number, decimals, measure, percent=measure.unit == "%", raw=number)

    # --- footnotes ---------------------------------------------------------------------------
    def cell_findings(self, cell: _Cell) -> list[Finding]:
        """What ``socdesk check`` finds about exactly this stated figure: a total that is not
        its parts' sum, a key figure that is not its formula of the stated inputs."""
        if cell.key is None or not isinstance(cell.value, Decimal):
            return []
        code, measure, scenario, period_text, kon, grupp, version = cell.key
        period = parse_period(period_text)
        span = (code, period.start.year, period.end.year)
        if span not in self._findings:
            units = [code, *(u.code for u in self.tree.descendants(code))]
            within = Period(Month(period.start.year, 1), Month(period.end.year, 12))
            facts = self.store.facts(units=units, within=within)
            self._findings[span] = [
                f
                for f in run_checks(facts, self.tree, self.measures)
                if f.unit == code and f.rule in NOTED_RULES
            ]
        return [
            f
            for f in self._findings[span]
            if (f.measure, f.scenario, f.period, f.gender, f.group, f.version)
            == (measure, scenario, period_text, kon, grupp, version)
        ]

    def footnote(self, f: Finding, cell: _Cell, column: str, several: bool) -> str:
        """A contradiction of the source at its row, in the table's scale and sign, without codes
        or formula names: the stated figure is printed, the note gives the other one."""
        decimals = cell.decimals or 0

        def shown(v: Decimal | None) -> str:
            if v is None:
                return "–"
            if cell.money:
                v = v / Scale.parse(cell.scale or self.t.scale).factor
            return format_number(cell.sign * v, decimals)

        where = f"{column}: " if several else ""
        if f.rule == "sum_mismatch":
            text = _("källan anger {s}, men delarna summerar till {c}.").format(
                s=shown(f.stated), c=shown(f.computed)
            )
        else:
            text = _("källan anger {s}; beräknat ur källans egna uppgifter blir det {c}.").format(
                s=shown(f.stated), c=shown(f.computed)
            )
        text += acknowledged_note(f, self.acked)  # the controller's word, where acknowledged
        return where + text[0].upper() + text[1:] if not where else where + text

    # --- sections --------------------------------------------------------------------------
    def build(self) -> Report:
        t = self.t
        board = self.tree[self.board]
        title = self.fill(t.title)
        report = Report(
            kind=t.kind,
            title=title,
            board=self.tree.path(self.board)[0].label if t.codes else self.tree.path(self.board)[0].name,
            period=self.shown_period.label(),
            made_on=date.today().isoformat(),
            data_version=_data_version(self.store),
            template=t.name,
            template_hash=t.hash,
        )
        report.properties = {
            "data_version": report.data_version,
            "template": t.name,
            "template_hash": t.hash,
            "period": str(self.period),
            "unit": board.code,
        }
        sections = list(t.sections)
        i = 0
        while i < len(sections):
            s = sections[i]
            if not s.each:
                self.section(s, report)
                i += 1
                continue
            # consecutive sections with the same «each» repeat together, once per unit
            j = i
            while j < len(sections) and (sections[j].each, sections[j].deep) == (s.each, s.deep):
                j += 1
            parent = self.unit_code(s.each)
            units = (
                []
                if parent not in self.tree
                else self.tree.descendants(parent)
                if s.deep
                else self.tree.children(parent)
            )
            for u in units:
                self.current = u.code
                for part in sections[i:j]:
                    self.section(part, report)
            self.current = ""
            i = j
        self.missing_texts = list(dict.fromkeys(self.missing_texts))
        return report

    def section(self, s: Section, report: Report) -> None:
        if s.type == "title_page":
            report.title_page = self.title_page(report)
        elif s.type == "heading":
            report.blocks.append(Heading(self.fill(s.text), s.level))
        elif s.type == "page_break":
            report.blocks.append(PageBreak())
        elif s.type == "text":
            key = s.key.replace("{unit}", self.current or self.board)
            text = self.texts.get(key) or (self.fill(s.default) if s.default else "")
            title = self.fill(s.title) if s.title else key
            self.text_sections.append((key, title, self.fill(s.default) if s.default else ""))
            if text:
                report.blocks.append(Paragraph(text))
            else:
                self.missing_texts.append((key, title))
        elif s.type == "analyses":
            self.analyses(s, report)
        elif s.type == "counts":
            from socdesk.reports.board import count_tables

            code = self.unit_code(s.dims.get("unit", "{board}"))
            year = self.resolve_period(s.dims.get("period", "year"))
            for i, table in enumerate(count_tables(self.store, code, year, self.threshold), start=1):
                table.key = table.key or f"antal-{i}"
                report.blocks.append(table)
        elif s.type == "table":
            table = self.table(s)
            if table is not None:
                report.blocks.append(table)
                if s.analysis:
                    self.row_analyses(table, report)
        elif s.type == "chart":
            chart = self.chart(s)
            if chart is not None:
                report.blocks.append(chart)

    def title_page(self, report: Report) -> TitlePage:
        notes = []
        if self.t.kind == "tertial" and self.period.kind == "tertial":
            missing = self.coverage.at(self.board, self.period.end)
            if missing is not None and missing.partial:
                notes.append(_("Tertialen är inte komplett: {c}").format(c=missing.text))
            else:  # no utfall yet for its last months (reports.choice, the dialog's rule)
                from socdesk.reports.choice import incomplete_note, latest_month

                note = incomplete_note(self.t.kind, self.period, latest_month(self.store, self.board))
                if note:
                    notes.append(note)
        return TitlePage(
            board=self.store.setting("report.namnd") or report.board,
            title=report.title,
            period=report.period,
            diarienummer=self.store.setting("report.diarienummer") or "",
            meeting=self.store.setting("report.sammantradesdatum") or "",
            logo=self.store.setting("report.logo") or "",
            notes=notes,
        )

    def analyses(self, s: Section, report: Report) -> None:
        if "unit" in s.dims:
            self.unit_analysis(s, report)
            return
        under = self.unit_code(s.under)
        if under not in self.tree:
            return
        ytd = Period.year_to_date(self.year, self.month.month)
        comments = self.store.comments(str(ytd))
        units = [self.tree[under]]
        if s.scope == "subtree":
            units += self.tree.descendants(under)
        notes = [(u, comments[u.code]) for u in units if u.code in comments]
        if not notes:
            return
        if s.title:
            report.blocks.append(Heading(self.fill(s.title), 2 if s.scope == "subtree" else 3))
        for u, text in notes:
            if s.scope == "subtree":
                report.blocks.append(Heading(self.unit_label(u), 3))
            report.blocks.append(Paragraph(text, style="analysis"))

    def unit_analysis(self, s: Section, report: Report) -> None:
        """One unit's avvikelseanalys where the template places it (004 prints each
        budgetrad's text at its table): its paragraphs, under the template's title if any."""
        code = self.unit_code(s.dims["unit"])
        ytd = Period.year_to_date(self.year, self.month.month)
        text = self.store.comments(str(ytd)).get(code)
        if not text:
            return
        if s.title:
            report.blocks.append(Heading(self.fill(s.title), 3))
        for paragraph in text.split("\n\n"):
            if paragraph.strip():
                report.blocks.append(Paragraph(paragraph.strip(), style="analysis"))

    def row_analyses(self, table: Table, report: Report) -> None:
        ytd = Period.year_to_date(self.year, self.month.month)
        comments = self.store.comments(str(ytd))
        for r, code in enumerate(table.row_keys):
            if code in comments and code in self.tree:
                report.blocks.append(Heading(str(table.rows[r][0]), 3))
                report.blocks.append(Paragraph(comments[code], style="analysis"))

    # --- tables ----------------------------------------------------------------------------
    def expand_columns(self, s: Section) -> list[tuple[ColumnSpec, dict[str, str], str]]:
        """(spec, its dimensions, its printed label) per printed column."""
        out = []
        for c in s.columns:
            if not c.repeat:
                out.append((c, dict(c.dims), self.fill(c.label)))
                continue
            if c.repeat == "quarters":  # the quarters of the years from..to, up to the report's month
                for k in range(c.start, c.end + 1):
                    for q in range(1, 5):
                        p = Period.quarter(self.year + k, q)
                        if p.end <= self.month:
                            out.append((c, {**c.dims, "period": str(p)}, p.label()))
                continue
            name = c.dims.get("period", "year")
            step = 1 if c.start <= c.end else -1  # from > to: the newest year first (004)
            for k in range(c.start, c.end + step, step):
                p = self.resolve_period(name, k)
                dims = {**c.dims, "period": str(p)}
                label = self.fill(c.label, år=str(self.year + k)) if c.label else p.label()
                out.append((c, dims, label))
        return out

    def expand_rows(self, s: Section) -> list[_Line]:
        table_unit = self.unit_code(s.dims.get("unit", "{board}"))
        lines: list[_Line] = []
        block_start = 0
        self.broken_down = None  # whether «children» rows found any unit (None: the table has none)
        for spec in s.rows:
            if spec.heading:
                lines.append(_Line(self.fill(spec.heading), heading=True))
                block_start = len(lines)
            elif spec.total == "sum":
                lines.append(
                    _Line(
                        self.fill(spec.label or _("Summa")),
                        total=True,
                        sum_of=list(range(block_start, len(lines))),
                    )
                )
                block_start = len(lines)
            elif spec.children:
                parent = self.unit_code(spec.children)
                if parent not in self.tree:
                    continue
                kids = self.tree.children(parent)
                self.broken_down = bool(self.broken_down) or bool(kids)
                if spec.depth == 1:
                    for u in kids:
                        lines.append(self.unit_line(u, spec))
                    continue
                if not any(self.tree.children(u.code) for u in kids):
                    continue  # nothing deeper than the children themselves
                for u in kids:
                    grandchildren = self.tree.children(u.code)
                    if spec.sum_label and grandchildren:
                        lines.append(_Line(self.unit_label(u), u.code, heading=True))
                        first = len(lines)
                        lines += [self.unit_line(g, spec) for g in grandchildren]
                        summed = self.unit_line(u, spec)
                        summed.label = self.fill(spec.sum_label, namn=self.unit_label(u))
                        summed.total = True
                        summed.covers = list(range(first, len(lines)))
                        lines.append(summed)
                    else:
                        head = self.unit_line(u, spec)
                        head.total = bool(grandchildren)
                        lines.append(head)
                        first = len(lines)
                        lines += [self.unit_line(g, spec) for g in grandchildren]
                        head.covers = list(range(first, len(lines))) if grandchildren else None
            elif spec.measures:
                code = self.unit_code(spec.dims.get("unit", table_unit))
                for key in self.measures_of(code, s, spec.having):
                    m = self.measures[key]
                    lines.append(_Line(m.name, key, code, {**spec.dims, "unit": code, "measure": key}))
            else:
                dims = dict(spec.dims)
                if "unit" in dims:
                    dims["unit"] = self.unit_code(dims["unit"])
                code = dims.get("unit", "")
                label = spec.label
                if not label:
                    if code and code in self.tree:
                        label = self.unit_label(self.tree[code])
                    elif "measure" in dims and dims["measure"] in self.measures:
                        label = self.measures[dims["measure"]].name
                    else:
                        label = dims.get("grupp", "")
                key = code or dims.get("measure", "") or dims.get("grupp", "")
                part = bool(code and code in self.tree and self.tree[code].part)
                lines.append(_Line(self.fill(label), key, code, dims, total=spec.total == "row", part=part))
        return lines

    def unit_line(self, u: Unit, spec: RowSpec) -> _Line:
        label = self.fill(spec.label, namn=self.unit_label(u)) if spec.label else self.unit_label(u)
        return _Line(
            label, u.code, u.code, {**spec.dims, "unit": u.code}, total=spec.total == "row", part=u.part
        )

    def measures_of(self, code: str, s: Section, having: str = "") -> list[str]:
        """Every measure with facts for the unit in the table's periods, in mått.csv order."""
        if code not in self.tree:
            return []
        periods = set()
        for c, dims, _label in self.expand_columns(s):
            if c.kind == "figure":
                periods.add(
                    self.resolve_period(dims.get("period", s.dims.get("period", self.default_period())))
                )
        scenario = Scenario(having or s.dims.get("scenario", Scenario.ACTUAL.value))
        stated = {
            f.key.measure
            for f in self.store.facts(units=[code], scenario=scenario)
            if f.key.period in periods and not f.key.gender and not f.key.group
        }
        # the economy (kr) has its own tables; everything else the unit states, never summed
        return [k for k, m in self.measures.items() if k in stated and not m.is_money]

    def table(self, s: Section) -> Table | None:
        self.costs_negative = (s.costs or self.t.costs) == "negative"
        try:
            return self._table(s)
        finally:
            self.costs_negative = self.t.costs_negative

    def _table(self, s: Section) -> Table | None:
        columns = self.expand_columns(s)
        lines = self.expand_rows(s)
        if not any(not line.heading for line in lines) or self.broken_down is False:
            return None  # nothing to show, or a breakdown of a unit that has no parts
        where = s.where(self.t.name)
        # economy rows for every unit of the table at once
        modes = set()
        for _c, dims, _l in columns:
            merged = {**s.dims, **dims}
            p = merged.get("period", self.default_period())
            modes.add(ViewMode(p) if p in VIEW_PERIODS else ViewMode.YTD)
        self.prefetch([line.unit for line in lines if line.unit], modes)
        table = Table(
            self.fill(s.title),
            [],
            [],
            number=s.table_number,
            key=self.key_of(s),
            column_groups=[(self.fill(text), span) for text, span in s.column_groups],
        )
        grid: list[list[_Cell]] = []
        partial: list[tuple[str, Coverage]] = []
        rebuilt = False
        for r, line in enumerate(lines):
            cells: list[_Cell] = []
            notes: list[str] = []
            for c, (spec, dims, col_label) in enumerate(columns):
                if spec.kind == "text" or c == 0:
                    cells.append(_Cell(line.label))
                    continue
                if spec.kind == "measure_unit":
                    m = self.measures.get({**s.dims, **line.dims}.get("measure", ""))
                    cells.append(_Cell("" if m is None or line.heading else m.unit))
                    continue
                if line.heading:
                    cells.append(_Cell(""))
                    continue
                if line.sum_of is not None:
                    cells.append(self.sum_cell(s, lines, grid, line.sum_of, c, where))
                    continue
                if spec.share_of:
                    cells.append(_Cell())  # filled below, from the other column
                    continue
                merged = {
                    "unit": self.unit_code(s.dims.get("unit", "{board}")),
                    **s.dims,
                    **line.dims,
                    **dims,
                }
                merged["unit"] = self.unit_code(merged["unit"], line.unit)
                nest_group(merged)
                if spec.span == "grupp":
                    if r and self.same_group(s, lines[r - 1], line, dims):
                        cells.append(_Cell(""))  # the grupp's figure is printed on its first row
                        continue
                    merged.pop("kon", None)  # the grupp's own figure, for both kön
                cell, erow, field_name = self.cell(merged, spec.scale or s.scale, f"{where}, {line.label}")
                if spec.decimals is not None and isinstance(cell.value, Decimal):
                    cell.value = printed_as(cell.value, spec.decimals)
                    cell.decimals = spec.decimals
                found = [erow.mismatch(field_name)] if erow is not None else self.cell_findings(cell)
                for finding in found:
                    if finding is not None:
                        self.noted.append(finding)
                        note = self.footnote(finding, cell, col_label, len(columns) > 2)
                        if note not in notes:
                            notes.append(note)
                if erow is not None:
                    if field_name == "actual" and erow.partial and erow.coverage is not None:
                        partial.append((line.label, erow.coverage))
                    if erow.budget_reconstructed and field_name in ("budget", "variance"):
                        rebuilt = True
                cells.append(cell)
            grid.append(cells)
            if notes:
                table.notes[r] = notes
        self.shares(columns, grid, table)
        self.protect(grid)
        # columns: their kind from what they hold
        for c, (spec, _dims, label) in enumerate(columns):
            cells = [grid[r][c] for r in range(len(lines))]
            table.columns.append(Column(label, self.column_kind(spec, c, cells)))
            scales = _column_scales(cells)
            if scales:
                table.scales[c] = scales.pop()
            elif (figures := [x for x in cells if isinstance(x.value, Decimal)]) and all(
                x.percent for x in figures
            ):  # a column of counts with a row of shares (002's 9:16) is no "%" column
                table.scales[c] = "%"
        for r, line in enumerate(lines):
            row: list[object] = []
            for c, x in enumerate(grid[r]):
                row.append(x.value)
                kind = table.columns[c].kind
                if isinstance(x.value, Decimal) and kind == "number":
                    table.cell_decimals[(r, c)] = x.decimals or 0
                elif isinstance(x.value, Decimal) and kind in ("money", "money1", "pct", "pct0"):
                    wanted = {"money": 0, "money1": 1, "pct": 1, "pct0": 0}[kind]
                    if x.decimals is not None and x.decimals != wanted:
                        table.cell_decimals[(r, c)] = x.decimals
                if x.computed:
                    table.computed.add((r, c))
            table.rows.append(row)
            table.row_keys.append(line.key)
            if line.total:
                table.totals.add(r)
                table.bold.add(r)
            if line.heading:
                table.bold.add(r)
        legend = self.fill(s.legend) if s.legend else ""
        if self.t.legend and not self.legend_done and self.needs_legend(columns, s):
            legend = (legend + " " + self.fill(self.t.legend)).strip()
            self.legend_done = True
        if rebuilt:
            legend = (legend + " " + REBUILT_NOTE).strip()
        if partial:
            from socdesk.reports.board import partial_note

            legend = (legend + partial_note(partial)).strip()
        table.legend = legend
        self.traces[table.key] = self.trace(lines, grid)
        return table

    def same_group(self, s: Section, above: _Line, line: _Line, dims: dict[str, str]) -> bool:
        """Whether two rows show the same grupp in a column (a ``span = "grupp"`` column)."""
        if above.heading or above.sum_of is not None:
            return False
        groups = []
        for ln in (above, line):
            merged = {**s.dims, **ln.dims, **dims}
            nest_group(merged)
            groups.append((merged.get("unit", ""), merged.get("grupp", "")))
        return groups[0] == groups[1]

    def trace(self, lines: list[_Line], grid: list[list[_Cell]]) -> list[TraceRow]:
        out = []
        for r, line in enumerate(lines):
            covers = line.covers if line.covers is not None else line.sum_of
            if covers is None and line.total:  # a total row: of the rows above it, back to the last total
                start = max((i + 1 for i in range(r) if lines[i].total or lines[i].heading), default=0)
                covers = list(range(start, r))
            kind = "sum" if line.sum_of is not None else "stated" if line.total else ""
            cells = tuple(x.key if isinstance(x.value, Decimal) else None for x in grid[r])
            out.append(TraceRow(line.label, line.unit, kind, tuple(covers or ()), cells))
        return out

    def protect(self, grid: list[list[_Cell]]) -> None:
        """Röjandekontroll across a row: where a count's year and all four of its quarters are
        printed (the year their sum), enough more is hidden that no hidden count can be worked
        out from the others (``board._hide_in_series``, the one rule)."""
        if self.t.disclosure != "protect":
            return
        from types import SimpleNamespace

        from socdesk.reports.board import _hide_in_series

        for cells in grid:
            counts = [
                (c, x)
                for c, x in enumerate(cells)
                if x.raw is not None
                and x.key is not None
                and x.measure is not None
                and x.measure.unit in PERSON_UNITS
            ]
            if len({x.measure.key for _c, x in counts}) != 1 or len(counts) < 5:  # type: ignore[union-attr]
                continue
            periods = [parse_period(x.key[3]) for _c, x in counts]  # type: ignore[index]
            row = SimpleNamespace(values=[Value.of(x.raw) for _c, x in counts])
            measure = counts[0][1].measure
            assert measure is not None
            hidden = _hide_in_series(
                row, periods, list(range(len(counts))), measure.additive_time, self.threshold
            )
            for i in hidden:
                counts[i][1].value = "*"

    def key_of(self, s: Section) -> str:
        """The table's or chart's key: its id, with the unit of an «each» (unique in the report)."""
        return f"{s.id}:{self.current}" if s.each and self.current else s.id

    def needs_legend(self, columns, s: Section) -> bool:
        for _c, dims, _l in columns:
            merged = {**s.dims, **dims}
            if merged.get("value") in ("avvikelse", "prognosavvikelse") or merged.get("scenario") in (
                "avvikelse",
                "prognosavvikelse",
            ):
                return True
        return False

    def column_kind(self, spec: ColumnSpec, c: int, cells: list[_Cell]) -> str:
        if spec.kind in ("text", "measure_unit") or c == 0:
            return "text"
        figures = [x for x in cells if isinstance(x.value, Decimal)]
        if figures and all(x.percent for x in figures):
            decimals = {x.decimals for x in figures}
            if decimals <= {0}:
                return "pct0"
            if decimals <= {1}:
                return "pct"
        if figures and all(x.money for x in figures):
            decimals = {x.decimals for x in figures}
            if decimals <= {0}:
                return "money"
            if decimals <= {1}:
                return "money1"
        return "number"

    def sum_cell(self, s: Section, lines: list[_Line], grid, rows: list[int], c: int, where: str) -> _Cell:
        summed = [lines[i] for i in rows if not lines[i].heading]
        if any(line.part for line in summed):
            raise TemplateError(
                [_("{w}: en summarad tar med en därav-rad, som inte är en del av summan").format(w=where)]
            )
        cells = [grid[i][c] for i in rows if not lines[i].heading]
        if not cells:
            return _Cell()
        if any(x.percent for x in cells):
            return _Cell()  # a percentage is never summed
        measures = {x.measure.key for x in cells if x.measure is not None}
        if len(measures) > 1:
            raise TemplateError(
                [_("{w}: summerar olika mått ({m})").format(w=where, m=", ".join(sorted(measures)))]
            )
        if measures:
            m = self.measures[measures.pop()]
            spec_rows = [RowSpec(dims=line.dims) for line in summed]
            problem = sum_problems(s, spec_rows, self.measures)
            if problem and not m.additive_units:
                raise TemplateError([_("{w}: {p}").format(w=where, p=problem)])
        numbers = [x.value for x in cells]
        if not all(isinstance(v, Decimal) for v in numbers):
            return _Cell()
        decimals = max((x.decimals or 0) for x in cells)
        first = cells[0]
        total = _Cell(sum(numbers, Decimal(0)), decimals, first.measure, money=first.money, scale=first.scale)
        total.computed = True
        total.key = None if first.key is None else ("", *first.key[1:])  # no unit: a sum of rows
        return total

    def shares(self, columns, grid, table: Table) -> None:
        ids = {spec.id: c for c, (spec, _d, _l) in enumerate(columns) if spec.id}
        for c, (spec, _dims, _label) in enumerate(columns):
            if not spec.share_of:
                continue
            other = ids[spec.share_of]
            # the share of each row in the column's total: the last total row, else the sum
            totals = [r for r in range(len(grid)) if r in table.totals or False]
            for r, cells in enumerate(grid):
                base_row = next((t for t in totals if t >= r), None)
                v = cells[other].value
                base = grid[base_row][other].value if base_row is not None else None
                if isinstance(v, Decimal) and isinstance(base, Decimal) and base:
                    cells[c] = _Cell(
                        v * 100 / base,
                        spec.decimals if spec.decimals is not None else 0,
                        percent=True,
                        computed=True,
                    )

    # --- charts ----------------------------------------------------------------------------
    def chart(self, s: Section) -> Chart | None:
        if s.chart_kind == "cumulative":
            return self.cumulative(s)
        assert s.categories is not None
        fake = Section(0, "table", columns=(s.categories,))
        categories = self.expand_columns(fake)
        series = []
        for spec in s.series:
            values: list[Decimal | None] = []
            for _c, dims, _label in categories:
                merged = {"unit": self.board, **s.dims, **spec.dims, **dims}
                merged["unit"] = self.unit_code(merged["unit"])
                cell, _row, _f = self.cell(merged, s.scale, s.where(self.t.name))
                values.append(cell.value if isinstance(cell.value, Decimal) else None)
            series.append((self.fill(spec.label) or spec.dims.get("unit", ""), values))
        if not any(v is not None for _n, vs in series for v in vs):
            return None
        return Chart(
            self.fill(s.title),
            [label for _c, _d, label in categories],
            series,
            kind=s.chart_kind,
            key=self.key_of(s),
            number=s.table_number,
            values=s.values,
        )

    def cumulative(self, s: Section) -> Chart | None:
        from socdesk.core.periods import MONTH_ABBR
        from socdesk.reports.monthly import monthly_series

        code = self.unit_code(s.dims.get("unit", "{board}"))
        series = monthly_series(self.store, code, self.month, tree=self.tree, figures=self.figures)
        if not any(v is not None for v in series.cum_actual):
            return None
        scale = Scale.parse(s.scale or self.t.scale)

        def scaled(v):
            return None if v is None else v / scale.factor

        return Chart(
            self.fill(s.title),
            list(MONTH_ABBR),
            [
                (_("Utfall"), [scaled(v) for v in series.cum_actual]),
                (_("Budget"), [scaled(v) for v in series.cum_budget]),
            ],
            kind="cumulative",
            unit=scale.label,
            key=self.key_of(s),
            number=s.table_number,
        )


def _column_scales(cells: list[_Cell]) -> set[str]:
    """The money scale a column's header prints: only where every figure in it is an amount (a
    key-figure table's Nettokostnad row does not make its counts kr, as in 001's Familjehem)."""
    figures = [x for x in cells if isinstance(x.value, Decimal)]
    if not figures or not all(x.money for x in figures):
        return set()
    return {x.scale for x in figures if x.scale}


def printed_as(value: Decimal, decimals: int) -> Decimal:
    """A figure as a column with stated ``decimals`` prints it, in every output (PDF and Excel
    alike): 004's institution table prints the placements 20,3 as 20."""
    return round_half_up(value, decimals) if -value.as_tuple().exponent > decimals else value


def nest_group(dims: dict[str, str]) -> None:
    """A ``subgroup`` is a part of the grupp ("A: B", ``core.checks.parent_group``): the cell's
    grupp becomes "grupp: subgroup" (002's regi under each insats)."""
    sub = dims.pop("subgroup", "")
    if sub:
        dims["grupp"] = f"{dims['grupp']}: {sub}" if dims.get("grupp") else sub


def _column_scales(cells: list[_Cell]) -> set[str]:
    """The money scale a column's header prints: only where every figure in it is an amount (a
    key-figure table's Nettokostnad row does not make its counts kr, as in 001's Familjehem)."""
    figures = [x for x in cells if isinstance(x.value, Decimal)]
    if not figures or not all(x.money for x in figures):
        return set()
    return {x.scale for x in figures if x.scale}


def _decimals_of(resolution: Decimal | None, default: int) -> int:
    if resolution is None or resolution <= 0:
        return default
    exponent = resolution.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else default


def _threshold(store: Store) -> int:
    from socdesk.reports.board import disclosure_threshold

    return disclosure_threshold(store)


def _data_version(store: Store) -> str:
    from socdesk.reports.board import data_version

    return data_version(store)


def build(
    store: Store,
    template: Template,
    unit: str,
    period: Period,
    *,
    draft_check: bool = True,
    text_sections: list[tuple[str, str, str]] | None = None,
    as_of: str | None = None,
) -> Report:
    """The report a template makes for a unit and period; the template's text is kept with the
    database (a writable one), so the report can be made again exactly as it was.
    ``text_sections`` (if given) gets (key, title, default) of every text the report prints –
    a text of an «each» once per unit – for the Rapporter dialog's text editor. ``as_of``
    ("YYYY-MM"): the units under the parents they had then ("som den var", docs/units.md)."""
    composer = Composer(store, template, unit, period, as_of=as_of)
    report = composer.build()
    if text_sections is not None:
        text_sections.extend(dict.fromkeys(composer.text_sections))
    if not store.readonly:
        store.keep_template(template.name, template.text)
    if draft_check and template.kind in ("manad", "tertial"):
        from socdesk.reports.board import Known, draft_reasons

        rows = {code: row for (code, _mode), row in composer._economy.items()}  # flags: year to date
        known = Known(rows, composer.figures, composer.coverage)
        report.draft_reasons = draft_reasons(store, unit, composer.month, known)
    elif draft_check:  # statistics: every contradiction of the source it prints waits for a word
        from socdesk.reports.board import noted_reasons

        report.draft_reasons = noted_reasons(store, composer.noted)
    if draft_check:
        report.draft_reasons += [
            Reason(_("Texten «{k}» är inte skriven.").format(k=title), text_key=key)
            for key, title in composer.missing_texts
        ]
    return report
