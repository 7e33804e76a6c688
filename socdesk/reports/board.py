"""The reports that go to the nämnd, built from the database as plain ``Report`` data:

- ``manad`` – Månadsuppföljning (like 003): per program its verksamheter with utfall, budget,
  avvikelse (year to date) and årsbudget, program subtotals and a total, tkr.
- ``tertial`` – Tertialrapport (like 004): the result per budgetrad (intäkter, kostnader,
  netto, budget, avvikelse, årsbudget, helårsprognos, prognosavvikelse, mnkr, costs negative
  as in the annual accounts), then a section per verksamhetsområde with its analysis and its
  statistics.
- ``nyckeltal`` – Nyckeltalsbilaga (like 001): five-year tables per verksamhetsområde of
  volumes and key figures.

Before a report is final the flagged units without an analysis and the findings of ``check``
are listed (``draft_reasons``); the report can still be printed, marked UTKAST on every page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from socdesk.core.checks import run_checks
from socdesk.core.facts import Scenario
from socdesk.core.flags import Level
from socdesk.core.i18n import _
from socdesk.core.numbers import Scale, round_half_up
from socdesk.core.periods import MONTH_ABBR, Month, Period
from socdesk.core.units import UnitTree
from socdesk.core.variance import forecast_variance, variance
from socdesk.io.xlsx import Column
from socdesk.reports.budget import budget_in_effect, budget_values
from socdesk.reports.document import Chart, Heading, Paragraph, Report, Table
from socdesk.reports.economy import (
    Coverage,
    UtfallCoverage,
    ViewMode,
    economy_rows,
    shown_variance,
    stated_variances,
)
from socdesk.reports.monthly import monthly_series
from socdesk.reports.statistics import statistics_table
from socdesk.store.chain import short
from socdesk.store.db import Store
from socdesk.store.figures import Figures


class Kind(StrEnum):
    MONTHLY = "manad"
    TERTIAL = "tertial"
    KEY_FIGURES = "nyckeltal"
    STATISTICS = "statistik"

    @property
    def label(self) -> str:
        return {
            Kind.MONTHLY: _("Månadsuppföljning"),
            Kind.TERTIAL: _("Tertialrapport"),
            Kind.KEY_FIGURES: _("Nyckeltalsbilaga"),
            Kind.STATISTICS: _("Statistikrapport"),
        }[self]


def disclosure_threshold(store: Store) -> int:
    """The smallest count printed in statistics tables (Inställningar → Röjandekontroll)."""
    from socdesk.core.disclosure import DEFAULT_THRESHOLD

    return int(store.setting("disclosure_threshold") or DEFAULT_THRESHOLD)


def data_version(store: Store) -> str:
    """Which state of the data a printed report shows: the last change's number and time, and
    its hash in the audit chain, which anchors the chain on paper (``socdesk check --anchor``)."""
    last = store.last_change()
    if last is None:
        return _("ingen ändring ännu")
    text = _("ändring {n} ({t})").format(n=last["id"], t=str(last["at"])[:16].replace("T", " "))
    if last["hash"]:
        text += _(", kedja {h}").format(h=short(last["hash"]))
    return text


REBUILT_NOTE = _(
    "Budget för perioder som den angivna budgeten inte täcker är räknad ur månader fördelade från "
    "de angivna delarna (t.ex. budget hittills och årsbudget), så att var och en stämmer exakt."
)


def _scaled(v: Decimal | None, scale: Scale, sign: int = 1) -> Decimal | None:
    return None if v is None else sign * v / scale.factor


def partial_note(partial: list[tuple[str, Coverage]]) -> str:
    """The legend's sentence on totals resting on units that have not all reported."""
    if not partial:
        return ""
    return (
        " "
        + _("Ofullständigt utfall – {rows}").format(
            rows="; ".join(f"{label}: {c.text.rstrip('.')}" for label, c in partial)
        )
        + "."
    )


def shipped_template(kind: Kind, unit: str, tree: UnitTree):
    """The shipped template for a kind of report on a unit's board: the board's own, else the
    generic one of the kind (None: no template of the kind is shipped)."""
    from socdesk.reports import template

    board = tree.path(unit)[0].code if unit in tree else unit
    generic = None
    for path in template.shipped():
        t = template.load(path)
        if t.kind != kind.value:
            continue
        if t.board and t.board in (unit, board):
            return t
        if not t.board and t.name == kind.value:
            generic = t
    return generic


def build(store: Store, kind: Kind, unit: str, month: Month, *, draft_check: bool = True) -> Report:
    """The report of a kind for a unit at a month, from the board's shipped template
    (``shipped_template``)."""
    from socdesk.reports import compose

    tree = store.unit_tree()
    chosen = shipped_template(kind, unit, tree)
    if chosen is not None:
        return compose.build(
            store, chosen, unit, compose.report_period(kind.value, month), draft_check=draft_check
        )
    builder = {
        Kind.TERTIAL: tertial_report,
        Kind.KEY_FIGURES: key_figures_report,
        Kind.STATISTICS: statistics_report,
    }[kind]
    report = builder(store, unit, month)
    if draft_check and kind in (Kind.MONTHLY, Kind.TERTIAL):
        report.draft_reasons = draft_reasons(store, unit, month)
    return report


def _report(store: Store, kind: Kind, tree: UnitTree, unit: str, period: Period) -> Report:
    return Report(
        kind=kind.value,
        title=_("{k} {u}").format(k=kind.label, u=tree[unit].name),
        board=tree.path(unit)[0].label,
        period=period.label(),
        made_on=date.today().isoformat(),
        data_version=data_version(store),
    )


def draft_reasons(store: Store, unit: str, month: Month) -> list[str]:
    """What should be done before the report goes to the nämnd."""
    from socdesk.reports.economy import deviations
    from socdesk.reports.final import Reason, open_findings

    tree = store.unit_tree()
    reasons = []
    flagged = [r for r in deviations(store, month, unit, flagged_only=True, tree=tree) if not r.comment]
    for r in flagged[:15]:
        level = _("röd") if r.flag.level is Level.RED else _("gul")
        text = _("{u} är flaggad ({l}) men saknar avvikelseanalys.").format(u=r.unit.label, l=level)
        reasons.append(Reason(text, unit=r.unit.code))
    if len(flagged) > 15:
        reasons.append(_("… och {n} flaggade enheter till utan analys.").format(n=len(flagged) - 15))
    subtree = {unit, *(u.code for u in tree.descendants(unit))}
    year = Period.year(month.year)  # the report's year: what the nämnd will read
    facts = store.facts(units=sorted(subtree), within=year)
    findings = [f for f in run_checks(facts, tree, store.measures()) if f.unit in subtree]
    findings = open_findings(store, findings)  # an acknowledged finding is a footnote, not a reason
    for f in findings[:10]:
        reasons.append(Reason(_("Kontroll: {m}").format(m=f.message), finding=f))
    if len(findings) > 10:
        reasons.append(_("… och {n} fynd till från kontrollen (socdesk check).").format(n=len(findings) - 10))
    audit = store.verify_audit()
    if audit is not None and audit.breaks:
        reasons.insert(
            0,
            _(
                "Ändringsloggen visar ändringar gjorda utanför socdesk ({n} brott i kedjan; "
                "se socdesk check): {m}"
            ).format(n=len(audit.breaks) + audit.more, m=audit.breaks[0].message),
        )
    return reasons


# --- Månadsuppföljning ------------------------------------------------------------------------
def monthly_report(store: Store, unit: str, month: Month, scale: Scale = Scale.TKR) -> Report:
    tree = store.unit_tree()
    figures = Figures(store, tree)
    ytd = Period.year_to_date(month.year, month.month)
    report = _report(store, Kind.MONTHLY, tree, unit, ytd)
    columns = [
        Column(_("Verksamhet")),
        Column(_("Utfall"), "money"),
        Column(_("Budget"), "money"),
        Column(_("Avvikelse"), "money"),
        Column(_("Årsbudget"), "money"),
    ]
    table = Table(
        _("Utfall, budget och avvikelse {p} ({s})").format(p=ytd.label(), s=scale.label),
        columns,
        [],
        legend=_("Avvikelse: + är bättre än budget, − sämre. {s}.").format(s=scale.label),
    )

    coverage = UtfallCoverage.of(store, tree, month.year)
    partial: list[tuple[str, Coverage]] = []

    def rows_of(units):
        return economy_rows(store, units, month, ViewMode.YTD, tree=tree, figures=figures, coverage=coverage)

    def add(rows, bold: bool, label: str | None = None) -> None:
        for r in rows:
            if r.budget_reconstructed and REBUILT_NOTE not in table.legend:
                table.legend += " " + REBUILT_NOTE
            if bold:
                table.bold.add(len(table.rows))
            if r.partial:
                partial.append((label or r.unit.label, r.coverage))
            table.rows.append(
                [
                    label or r.unit.label,
                    _scaled(r.actual, scale),
                    _scaled(r.budget, scale),
                    _scaled(r.variance, scale),
                    _scaled(r.annual_budget, scale),
                ]
            )

    for program in tree.children(unit):
        children = tree.children(program.code)
        if children:
            table.bold.add(len(table.rows))
            table.rows.append([program.label, "", "", "", ""])  # a heading row: no figures
            add(rows_of(children), False)
            add(rows_of([program]), True, _("Summa {p}").format(p=program.label))
        else:
            add(rows_of([program]), False)
    add(rows_of([tree[unit]]), True, _("Summa {u}").format(u=tree[unit].label))
    table.legend += partial_note(partial)
    report.blocks.append(table)
    comments = store.comments(str(ytd))
    notes = [(u, comments[u.code]) for u in [tree[unit], *tree.descendants(unit)] if u.code in comments]
    if notes:
        report.blocks.append(Heading(_("Avvikelseanalys")))
        for u, text in notes:
            report.blocks.append(Heading(u.label, 3))
            report.blocks.append(Paragraph(text))
    return report


# --- Tertialrapport ----------------------------------------------------------------------------
def tertial_report(store: Store, unit: str, month: Month, scale: Scale = Scale.MNKR) -> Report:
    threshold = disclosure_threshold(store)
    tree = store.unit_tree()
    figures = Figures(store, tree)
    measures = store.measures()
    tertial = Period.tertial(month.year, (month.month + 3) // 4)
    ytd = Period.year_to_date(month.year, tertial.end.month)
    year = Period.year(month.year)
    report = _report(store, Kind.TERTIAL, tree, unit, tertial)
    rows_units = [*tree.children(unit), tree[unit]]
    codes = [u.code for u in rows_units]

    def values(
        measure: str, scenario: Scenario, period: Period, version: str = ""
    ) -> dict[str, Decimal | None]:
        out = figures.values(codes, measures[measure], scenario, period, version)
        return {c: (v.number if v.is_number else None) for c, v in out.items()}

    income, costs, net = (values(m, Scenario.ACTUAL, ytd) for m in ("intakter", "kostnader", "netto"))
    # the budget in effect at the tertial's end (after an ombudgetering the revised one)
    in_effect = budget_in_effect(figures, codes, measures["netto"], tertial.end)
    budget_b, annual_b = (budget_values(figures, codes, measures["netto"], p, in_effect) for p in (ytd, year))
    budget = {c: b.amount for c, b in budget_b.items()}
    annual = {c: b.amount for c, b in annual_b.items()}
    rebuilt = any(b.reconstructed for b in (*budget_b.values(), *annual_b.values()))
    versions = figures.latest_versions(codes, measures["netto"], Scenario.FORECAST, month.year, tertial.end)
    forecast: dict[str, Decimal | None] = dict.fromkeys(codes)
    for v in {x for x in versions.values() if x}:
        got = values("netto", Scenario.FORECAST, year, v)
        for c in codes:
            if versions[c] == v:
                forecast[c] = got[c]
    # a variance the source stated, as stated, unless after an ombudgetering (the one rule)
    stated_var, stated_fvar = stated_variances(store, codes, ytd, year, versions)
    columns = [
        Column(_("Budgetrad")),
        Column(_("Intäkter"), "money1"),
        Column(_("Kostnader"), "money1"),
        Column(_("Netto"), "money1"),
        Column(_("Budget netto"), "money1"),
        Column(_("Avvikelse"), "money1"),
        Column(_("Årsbudget"), "money1"),
        Column(_("Helårsprognos"), "money1"),
        Column(_("Prognosavvikelse"), "money1"),
    ]
    table = Table(
        _("Ekonomiskt resultat per budgetrad, {p} ({s})").format(p=tertial.label(), s=scale.label),
        columns,
        [],
        legend=_(
            "Kostnader negativa, intäkter positiva (som i årsredovisningen). Avvikelse och "
            "prognosavvikelse: + är bättre än budget. {s}."
        ).format(s=scale.label)
        + (" " + REBUILT_NOTE if rebuilt else ""),
    )
    coverage = UtfallCoverage.of(store, tree, month.year)
    partial: list[tuple[str, Coverage]] = []
    for u in rows_units:
        c = u.code
        a, b, ann, fc = net[c], budget[c], annual[c], forecast[c]
        cov = coverage.at(c, ytd.end)
        if a is not None and cov is not None and cov.partial:
            partial.append((_("Totalt {u}").format(u=u.name) if u.code == unit else u.name, cov))
        revised = in_effect[c] is not None
        var = shown_variance(
            stated_var.get(c), variance(a, b) if a is not None and b is not None else None, revised
        )
        fvar = shown_variance(
            stated_fvar.get(c),
            forecast_variance(fc, ann) if fc is not None and ann is not None else None,
            revised,
        )
        if u.code == unit:
            table.bold.add(len(table.rows))
        table.rows.append(
            [
                _("Totalt {u}").format(u=u.name) if u.code == unit else u.name,
                _scaled(income[c], scale, -1),  # stored as cost-positive: printed costs negative
                _scaled(costs[c], scale, -1),
                _scaled(a, scale, -1),
                _scaled(b, scale, -1),
                _scaled(var, scale),
                _scaled(ann, scale, -1),
                _scaled(fc, scale, -1),
                _scaled(fvar, scale),
            ]
        )
    table.legend += partial_note(partial)
    report.blocks.append(table)
    series = monthly_series(store, unit, tertial.end, tree=tree, figures=figures)
    if any(v is not None for v in series.cum_actual):
        report.blocks.append(
            Chart(
                _("Nettokostnad ackumulerat {y}: utfall och budget").format(y=month.year),
                list(MONTH_ABBR),
                [
                    (_("Utfall"), [_scaled(v, scale) for v in series.cum_actual]),
                    (_("Budget"), [_scaled(v, scale) for v in series.cum_budget]),
                ],
                unit=scale.label,
            )
        )
    indicators = _indicator_table(store, tree, unit, year)
    if indicators is not None:
        report.blocks.append(indicators)
    comments = store.comments(str(ytd))
    for area in tree.children(unit):
        report.blocks.append(Heading(area.name))
        text = comments.get(area.code)
        report.blocks.append(
            Paragraph(text) if text else Paragraph(_("(Ingen analys skriven för perioden.)"), italic=True)
        )
        area_table = _area_table(store, tree, figures, area, tertial.end, ytd, scale)
        if area_table is not None:
            report.blocks.append(area_table)
        stats = statistics_table(store, area.code, tree=tree, figures=figures)
        years = [i for i, p in enumerate(stats.periods) if p.kind == "year" and p.start.year <= month.year][
            -3:
        ]
        quarters = [
            i
            for i, p in enumerate(stats.periods)
            if p.kind == "quarter" and p.start.year == month.year and p.end <= tertial.end
        ]
        chosen = years + quarters
        rows = [r for r in stats.rows if any(r.values[i].is_number for i in chosen)]
        if chosen and rows:
            report.blocks.append(
                _stat_table(
                    _("Verksamhetsstatistik {u}").format(u=area.name),
                    stats,
                    rows,
                    chosen,
                    measures,
                    threshold,
                )
            )
        placements = next((r for r in stats.rows if r.key == "arsplaceringar"), None)
        recent = [
            i for i, p in enumerate(stats.periods) if p.kind == "quarter" and p.start.year >= month.year - 1
        ]
        if placements is not None and sum(placements.values[i].is_number for i in recent) >= 2:
            report.blocks.append(
                Chart(
                    _("Årsplaceringar per kvartal, {u}").format(u=area.name),
                    [stats.periods[i].label() for i in recent],
                    [(_("Årsplaceringar"), [placements.values[i].number for i in recent])],
                    kind="bar",
                )
            )
    return report


PERSON_UNITS = ("personer", "antal")  # counts of people or of their cases: small ones are hidden


def _stat_table(title: str, stats, rows, chosen: list[int], measures, threshold: int) -> Table:
    """Volumes and key figures by period, with röjandekontroll: a count of persons (or of their
    cases) below the threshold is hidden, a year is hidden with a hidden quarter when all its
    quarters are printed (or the quarter could be worked out), and a key figure computed from
    hidden vårddygn is hidden with them."""
    columns = [Column(_("Mått")), Column(_("Enhet"))] + [
        Column(stats.periods[i].label(), "auto") for i in chosen
    ]
    table = Table(
        title,
        columns,
        [],
        legend=_(
            "* färre än {t} personer, eller dold så att ett sådant värde inte kan räknas fram; "
            ". kan inte beräknas; – uppgift saknas."
        ).format(t=threshold),
    )
    hidden_rows: dict[str, set[int]] = {}
    for r in rows:
        m = measures.get(r.key)
        if m is not None and m.unit in PERSON_UNITS:
            hidden_rows[r.key] = _hide_in_series(r, stats.periods, chosen, m.additive_time, threshold)
    days_hidden = hidden_rows.get("varddygn", set())
    for r in rows:
        hidden = hidden_rows.get(r.key, days_hidden if r.computed else set())
        cells: list[object] = [r.name, r.unit_of_measure]
        for c, i in enumerate(chosen, start=2):
            v = r.values[i]
            if i in hidden and v.is_number:
                cells.append("*")
                continue
            cells.append(v.number if v.is_number else (None if v.status.value == "-" else v.status.value))
            if v.is_number and v.resolution is not None and v.resolution < 1:  # 280,0 stays 280,0
                exponent = v.resolution.normalize().as_tuple().exponent
                if isinstance(exponent, int):
                    table.cell_decimals[(len(table.rows), c)] = -exponent
        table.rows.append(cells)
    return table


def _hide_in_series(
    row, periods: list[Period], chosen: list[int], additive: bool, threshold: int
) -> set[int]:
    """Which of the row's printed periods to hide: counts below the threshold, and, where a
    year and all four of its quarters are printed (year = the quarters' sum), enough more that
    no hidden count can be worked out from the others (``protect`` on that sum)."""
    from socdesk.core.disclosure import protect_tables

    numbers = {i: row.values[i].number for i in chosen if row.values[i].is_number}
    hidden = {i for i, n in numbers.items() if n < threshold}
    if not additive:
        return hidden
    for y in (i for i in chosen if periods[i].kind == "year" and i in numbers):
        year = periods[y].start.year
        quarters = [
            i
            for i in chosen
            if periods[i].kind == "quarter" and periods[i].start.year == year and i in numbers
        ]
        if len(quarters) != 4 or sum(numbers[i] for i in quarters) != numbers[y]:
            continue
        cells = [*quarters, y]
        grid = [[int(numbers[i]) for i in cells]] * 2  # one sum: the row and its (identical) totals row
        shared = [{(r, j): j for r in range(2) for j in range(5)}]
        forced = {(0, j) for j, i in enumerate(cells) if i in hidden}
        result = protect_tables([grid], shared, threshold, [forced])[0]
        hidden |= {cells[j] for _r, j in result}
    return hidden


# --- Nyckeltalsbilaga -----------------------------------------------------------------------------
def key_figures_report(store: Store, unit: str, month: Month, years: int = 5) -> Report:
    threshold = disclosure_threshold(store)
    measures = store.measures()
    tree = store.unit_tree()
    figures = Figures(store, tree)
    last = month.year
    span = Period(Month(last - years + 1, 1), Month(last, 12))
    report = _report(store, Kind.KEY_FIGURES, tree, unit, span)
    areas = [u for u in [tree[unit], *tree.descendants(unit)]]
    for area in areas:
        stats = statistics_table(store, area.code, tree=tree, figures=figures)
        chosen = [
            i for i, p in enumerate(stats.periods) if p.kind == "year" and last - years < p.start.year <= last
        ]
        own_net = {
            f.key.period.start.year
            for f in store.facts(units=[area.code], measure="netto", scenario=Scenario.ACTUAL)
            if f.key.period.kind == "year"
        }
        rows = [
            r
            for r in stats.rows
            if any(r.values[i].is_number for i in chosen)
            and (not r.computed or own_net)  # key figures only where the area states its own net cost
        ]
        if not chosen or not rows:
            continue
        # a unit whose figures are all its children's shows once, at the level the source gave
        report.blocks.append(_stat_table(area.label, stats, rows, chosen, measures, threshold))
    return report


# --- Statistikrapport ------------------------------------------------------------------------------
def statistics_report(store: Store, unit: str, month: Month, threshold: int | None = None) -> Report:
    """Counts by insats (grupp) and kön with röjandekontroll, and rates per 10 000 invånare by
    district, for the year of ``month`` (like 002)."""
    from socdesk.core.disclosure import protect_tables

    threshold = threshold or disclosure_threshold(store)
    tree = store.unit_tree()
    measures = store.measures()
    year = Period.year(month.year)
    report = _report(store, Kind.STATISTICS, tree, unit, year)
    legend = _(
        "* färre än {t} personer, eller dold så att ett sådant värde inte kan räknas fram; "
        ". kan inte beräknas; – uppgift saknas."
    ).format(t=threshold)
    facts = [
        f for f in store.facts(units=[unit]) if f.key.period == year and f.key.scenario is Scenario.ACTUAL
    ]
    counts = sorted({f.key.measure for f in facts if f.key.gender and measures[f.key.measure].is_exact_count})
    hidden_figures: set[tuple[str, str, str]] = set()  # (measure, group, kön) printed as *
    for key in counts:
        m = measures[key]
        cells = {(f.key.group, f.key.gender): f.value for f in facts if f.key.measure == key}
        groups = list(dict.fromkeys(g for g, _gender in cells))
        # groups nest as "A: B" (B is part of A): a table per A of its parts, then one of the tops
        families: dict[str, list[str]] = {}
        for g in groups:
            top, _sep, part = g.partition(": ")
            if part:
                families.setdefault(top, []).append(g)
        tops = [g for g in groups if ": " not in g]
        specs = [
            spec
            for title, members, total_label, total_group in [
                *((f"{m.name}, {top}", parts, top, top) for top, parts in families.items()),
                (m.name, tops, _("Summa"), None),
            ]
            if (spec := _count_spec(title, members, cells, total_label, total_group)) is not None
        ]
        # The same figure in two tables (a family's total is a row of the tops' table) is one
        # unknown: hidden in both or neither, and worked out from all the tables together.
        shared = [
            {(i, j): (g, j) for i, g in enumerate(spec.groups) if g for j in range(3)} for spec in specs
        ]
        if specs:
            for spec, hidden in zip(
                specs, protect_tables([s.full for s in specs], shared, threshold), strict=True
            ):
                spec.hidden = hidden
        for spec in specs:
            report.blocks.append(_count_table(spec, year, legend))
            for i, g in enumerate(spec.groups):
                for j, gender in enumerate(("K", "M", "")):
                    if g and (i, j) in spec.hidden:
                        hidden_figures.add((key, g, gender))
    # averages (e.g. beviljade timmar per månad): a cell resting on fewer than the threshold
    # persons, or on a count hidden above, is hidden with it; an unknown base hides it too
    persons = {
        (f.key.group, f.key.gender): f.value.number
        for f in facts
        if f.key.measure == "personer_med_beslut" and f.value.is_number
    }
    for key in sorted({f.key.measure for f in facts if f.key.measure.endswith("_medel")}):
        table = _average_table(
            measures[key],
            [f for f in facts if f.key.measure == key],
            persons,
            hidden_figures,
            threshold,
            year,
            legend,
        )
        if table is not None:
            report.blocks.append(table)
    # rates per 10 000 invånare by district
    children = tree.children(unit)
    rate_keys = [k for k, m in measures.items() if m.unit == "per 10 000"]
    child_facts = [
        f
        for f in store.facts(units=[c.code for c in children])
        if f.key.period == year and f.key.scenario is Scenario.ACTUAL
    ]
    for key in rate_keys:
        values = {
            (f.key.unit, f.key.group): f.value
            for f in child_facts
            if f.key.measure == key and not f.key.gender
        }
        if not values:
            continue
        groups = list(dict.fromkeys(g for _u, g in values))
        table = Table(
            _("{m}, {y}").format(m=measures[key].name, y=year.label()),
            [Column(_("Stadsdel"))] + [Column(g or _("Totalt"), "auto") for g in groups],
            [],
            legend=legend,
        )
        for c in children:
            if not any((c.code, g) in values for g in groups):
                continue
            line = [c.name]
            for g in groups:
                v = values.get((c.code, g))
                line.append(None if v is None else (v.number if v.is_number else v.status.value))
            table.rows.append(line)
        report.blocks.append(table)
    return report


@dataclass
class _CountSpec:
    title: str
    labels: list[str]  # printed row labels, the total last
    groups: list[str | None]  # each row's group (None: not a figure stated elsewhere)
    full: list[list[int]]
    note: str = ""
    hidden: set[tuple[int, int]] = field(default_factory=set)


def _count_spec(title, groups, cells, total_label, total_group) -> _CountSpec | None:
    """Groups × kön with margins (K, M, Totalt), adding up: a source total above the sum of its
    parts gets an Övriga row for the difference."""
    from socdesk.core.disclosure import with_margins

    rows: list[list[int]] = []
    shown: list[str] = []
    keys: list[str | None] = []
    for g in groups:
        k, mm = cells.get((g, "K")), cells.get((g, "M"))
        if k is not None and mm is not None and k.is_number and mm.is_number:
            rows.append([int(k.number), int(mm.number)])
            shown.append(g.partition(": ")[2] or g)
            keys.append(g)
    if not rows:
        return None
    note = ""
    stated = [cells.get((total_label, gender)) for gender in ("K", "M")]
    if all(v is not None and v.is_number for v in stated):  # the source's own total of the parts
        rest = [int(v.number) - sum(r[j] for r in rows) for j, v in enumerate(stated)]  # type: ignore[union-attr]
        if any(rest) and min(rest) >= 0:
            rows.append(rest)  # so the printed total is the source's, and the table adds up
            shown.append(_("Övriga (ej specificerat)"))
            keys.append(None)
        elif any(rest):
            total_group = None  # the printed sum is not the source's total
            note = " " + _(
                "Delarna överlappar (en person kan ha flera insatser): "
                "summan är delarnas, inte källans total."
            )
    return _CountSpec(title, [*shown, total_label], [*keys, total_group], with_margins(rows), note)


def _count_table(spec: _CountSpec, year: Period, legend: str) -> Table:
    table = Table(
        _("{t} efter kön, {y}").format(t=spec.title, y=year.label()),
        [
            Column(_("Insats")),
            Column(_("Kvinnor"), "number"),
            Column(_("Män"), "number"),
            Column(_("Totalt"), "number"),
        ],
        [],
        legend=legend + spec.note,
    )
    for i, label in enumerate(spec.labels):
        table.rows.append(
            [label, *("*" if (i, j) in spec.hidden else Decimal(spec.full[i][j]) for j in range(3))]
        )
    table.bold.add(len(spec.labels) - 1)
    return table


def _indicator_table(store: Store, tree: UnitTree, unit: str, year: Period) -> Table | None:
    """Indikatorer: utfall against the target (mål) and the måluppfyllelse, for the unit and
    everything under it that has a target for the year."""
    from socdesk.core.keyfigures import attainment

    measures = store.measures()
    subtree = {unit, *(u.code for u in tree.descendants(unit))}
    targets = [  # per measure: an indexed lookup each, however large the board
        f
        for key in measures
        for f in store.facts(measure=key, scenario=Scenario.TARGET, within=year)
        if f.key.unit in subtree
    ]
    rows: list[list[object]] = []
    plain: dict[tuple[int, int], int] = {}  # figures that are not percentages: as numbers
    for f in targets:
        if f.key.period != year or f.key.gender or f.key.group or not f.value.is_number:
            continue
        m = measures[f.key.measure]
        outcome = store.value(f.key.unit, m, Scenario.ACTUAL, year, tree=tree)
        target = f.value.number
        got = outcome.number if outcome.is_number else None
        share = attainment(got, target) if got is not None and target else None
        if m.unit != "%":
            for c, v in ((1, got), (2, target)):
                exponent = v.normalize().as_tuple().exponent if v is not None else 0
                plain[(len(rows), c)] = max(0, -exponent) if isinstance(exponent, int) else 0
        name = m.name + ("" if f.key.unit == unit else f" ({tree[f.key.unit].name})")
        rounded = None if share is None else round_half_up(share)
        rows.append([name, got, target, rounded])
    if not rows:
        return None
    return Table(
        _("Indikatorer {y}").format(y=year.label()),
        [
            Column(_("Indikator")),
            Column(_("Utfall"), "pct0"),
            Column(_("Mål"), "pct0"),
            Column(_("Måluppfyllelse"), "pct0"),
        ],
        rows,
        legend=_("Måluppfyllelse = utfall i procent av målet."),
        cell_decimals=plain,
    )


def _average_table(measure, facts, persons, hidden_figures, threshold, year, legend) -> Table | None:
    """An average by group and kön; each cell needs at least ``threshold`` persons behind it
    (the group's persons of that kön, else of the group), or it is hidden."""
    values = {(f.key.group, f.key.gender): f.value for f in facts}
    groups = list(dict.fromkeys(g for g, _gender in values))
    table = Table(
        _("{m}, {y}").format(m=measure.name, y=year.label()),
        [
            Column(_("Insats")),
            Column(_("Kvinnor"), "auto"),
            Column(_("Män"), "auto"),
            Column(_("Totalt"), "auto"),
        ],
        [],
        legend=legend
        + " "
        + _("Ett medelvärde visas bara om minst {t} personer ligger bakom det.").format(t=threshold),
    )
    for g in groups:
        line: list[object] = [g]
        for gender in ("K", "M", ""):
            v = values.get((g, gender))
            if v is None:
                line.append(None)
                continue
            base = persons.get((g, gender), persons.get((g, "")))
            small = base is None or base < threshold or ("personer_med_beslut", g, gender) in hidden_figures
            line.append("*" if small or not v.is_number else v.number)
        table.rows.append(line)
    return table if table.rows else None


def _area_table(
    store: Store, tree: UnitTree, figures: Figures, area, month: Month, ytd: Period, scale: Scale
):
    """A verksamhetsområde's own economy: its verksamheter and its total, net cost (costs
    negative as in the budgetrad table), year to date, with årsbudget and helårsprognos."""
    children = tree.children(area.code)
    if not children:
        return None
    rows = economy_rows(store, [*children, area], month, ViewMode.YTD, tree=tree, figures=figures)
    if all(r.actual is None and r.budget is None for r in rows):
        return None
    table = Table(
        _("{u}: netto {p} ({s})").format(u=area.name, p=ytd.label(), s=scale.label),
        [
            Column(_("Verksamhet")),
            Column(_("Utfall"), "money1"),
            Column(_("Budget"), "money1"),
            Column(_("Avvikelse"), "money1"),
            Column(_("Årsbudget"), "money1"),
            Column(_("Helårsprognos"), "money1"),
            Column(_("Prognosavvikelse"), "money1"),
        ],
        [],
        legend=_("Kostnader negativa. Avvikelse: + är bättre än budget."),
    )
    partial: list[tuple[str, Coverage]] = []
    for r in rows:
        label = _("Totalt {u}").format(u=r.unit.name) if r.unit.code == area.code else r.unit.name
        if r.unit.code == area.code:
            table.bold.add(len(table.rows))
        if r.partial:
            partial.append((label, r.coverage))
        table.rows.append(
            [
                label,
                _scaled(r.actual, scale, -1),
                _scaled(r.budget, scale, -1),
                _scaled(r.variance, scale),
                _scaled(r.annual_budget, scale, -1),
                _scaled(r.forecast, scale, -1),
                _scaled(r.forecast_variance, scale),
            ]
        )
    table.legend += partial_note(partial)
    return table
