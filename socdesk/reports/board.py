"""The reports that go to the nämnd: ``build`` makes one from the board's shipped template
(``resources/templates``, ``shipped_template``) through ``socdesk.reports.compose``; the rules
every report shares live here – what remains before a report is final (``draft_reasons``),
which state of the data it shows (``data_version``), röjandekontroll (``disclosure_threshold``,
``_hide_in_series``, ``count_tables``).

- ``manad`` – Månadsuppföljning (like 003): ``manad.toml``, every board.
- ``tertial`` – Tertialrapport (like 004): the board's own (``tertial-nacka.toml``) or ``tertial.toml``.
- ``nyckeltal`` – Nyckeltalsbilaga (like 001): the board's own or ``nyckeltal.toml``.
- ``statistik`` – Statistikrapport (like 002): the board's own or ``statistik.toml``.

Before a report is final the flagged units without an analysis and the findings of ``check``
are listed (``draft_reasons``); the report can still be printed, marked UTKAST on every page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from socdesk.core import checks
from socdesk.core.checks import Finding
from socdesk.core.errors import SocdeskError
from socdesk.core.facts import Scenario
from socdesk.core.flags import Level
from socdesk.core.i18n import _
from socdesk.core.periods import Month, Period
from socdesk.core.units import UnitTree
from socdesk.io.xlsx import Column
from socdesk.reports.document import Report, Table
from socdesk.reports.economy import NET, Coverage, EconomyRow, UtfallCoverage
from socdesk.store.chain import short
from socdesk.store.db import Store
from socdesk.store.figures import Figures
from socdesk.store.remaining import Scan


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


def build(
    store: Store, kind: Kind, unit: str, month: Month, *, draft_check: bool = True, then: bool = False
) -> Report:
    """The report of a kind for a unit at a month, from the board's shipped template
    (``shipped_template``); ``then``: the organisation as it was in january of the year."""
    from socdesk.reports import compose

    tree = store.unit_tree()
    chosen = shipped_template(kind, unit, tree)
    if chosen is not None:
        period = compose.report_period(kind.value, month)
        as_of = f"{month.year:04d}-01" if then else None  # where the year-to-date figures start
        return compose.build(store, chosen, unit, period, draft_check=draft_check, as_of=as_of)
    raise SocdeskError(_("Ingen rapportmall för {k} finns.").format(k=kind.label))


@dataclass(frozen=True)
class Known:
    """What a report already worked out at its month, for its remaining-work list."""

    rows: dict[str, EconomyRow] = field(default_factory=dict)  # unit code → a row at the month
    figures: Figures | None = None
    coverage: UtfallCoverage | None = None


def draft_reasons(store: Store, unit: str, month: Month, known: Known | None = None) -> list[str]:
    """What should be done before the report goes to the nämnd. ``known``: what the report
    itself already worked out at this month (its economy rows, their figures and coverage),
    which the flagged units need not be worked out again from."""
    from socdesk.reports.economy import flagged_units
    from socdesk.reports.final import Reason, open_findings

    tree = store.unit_tree()
    reasons = []
    known = known or Known()
    year = Period.year(month.year)  # the report's year: what the nämnd will read
    scan = store.remaining_scan(unit, year, (NET, str(month)))  # the year's facts, read once
    flagged = flagged_units(  # without an avvikelseanalys
        store,
        month,
        unit,
        tree=tree,
        known=known.rows,
        figures=known.figures,
        coverage=known.coverage,
        leaves=(scan.plain, scan.other),
    )
    for r in flagged[:15]:
        level = _("röd") if r.flag.level is Level.RED else _("gul")
        text = _("{u} är flaggad ({l}) men saknar avvikelseanalys.").format(u=r.unit.label, l=level)
        reasons.append(Reason(text, unit=r.unit.code))
    if len(flagged) > 15:
        reasons.append(_("… och {n} flaggade enheter till utan analys.").format(n=len(flagged) - 15))
    subtree = {unit, *(u.code for u in tree.descendants(unit))}
    findings = [f for f in check_findings(store, unit, year, tree, scan) if f.unit in subtree]
    findings = open_findings(store, findings)  # an acknowledged finding is a footnote, not a reason
    for f in findings[:10]:
        reasons.append(Reason(_("Kontroll: {m}").format(m=f.message), finding=f))
    if len(findings) > 10:
        reasons.append(_("… och {n} fynd till från kontrollen (socdesk check).").format(n=len(findings) - 10))
    return _audit_reasons(store) + reasons


def check_findings(
    store: Store,
    unit: str | None = None,
    within: Period | None = None,
    tree: UnitTree | None = None,
    scan: Scan | None = None,
) -> list[Finding]:
    """The findings of ``socdesk check`` over ``unit``'s subtree inside ``within`` (every fact:
    ``None``), the same as ``run_checks`` over all those facts, reading only those a rule can
    find anything in (``checks.scope``): the remaining-work check of a report and ``socdesk check``.
    ``scan``: the one pass of a report's year already made (``Store.remaining_scan``), which
    says how each measure occurs and whether a sign-only measure has a unit-year to read: none,
    and nothing is read. Without it (``socdesk check`` over every year, where that pass would
    split each series by year) ``check_uses`` and ``facts_for_check`` decide, as they did."""
    measures = store.measures()
    uses = scan.uses if scan is not None else store.check_uses(unit, within)
    scope = checks.scope(uses, measures)
    if scan is not None and not scope.full and not (scan.odd & scope.signs):
        return []  # no fact any rule can find anything in (a city's leaves): nothing to read
    facts = store.facts_for_check(unit, within, scope)  # without comments: what check reads
    return checks.run_checks(facts, tree or store.unit_tree(), measures)


def noted_reasons(store: Store, findings: list) -> list[str]:
    """What stands between a statistics report (Nyckeltal, Statistik) and final: the audit chain,
    and each contradiction of the source it prints as a footnote, until a controller acknowledges
    it (an economy report's list, ``draft_reasons``, has these among the year's findings)."""
    from socdesk.reports.final import Reason, finding_key, open_findings

    unique = {finding_key(f): f for f in findings}
    reasons = [
        Reason(_("Kontroll: {m}").format(m=f.message), finding=f)
        for f in open_findings(store, unique.values())
    ]
    return _audit_reasons(store) + reasons


def _audit_reasons(store: Store) -> list[str]:
    audit = store.verify_audit(quick=True)  # from the verified mark: the same breaks
    if audit is None or not audit.breaks:
        return []
    return [
        _(
            "Ändringsloggen visar ändringar gjorda utanför socdesk ({n} brott i kedjan; "
            "se socdesk check): {m}"
        ).format(n=audit.broken, m=audit.breaks[0].message)
    ]


PERSON_UNITS = ("personer", "antal")  # counts of people or of their cases: small ones are hidden


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


# --- Statistikrapport ------------------------------------------------------------------------------
def count_tables(store: Store, unit: str, year: Period, threshold: int | None = None) -> list[Table]:
    """Counts by insats (grupp) and kön with röjandekontroll, averages resting on enough
    persons, and rates per 10 000 invånare by district, for a year: the tables of a template's
    ``counts`` section. A figure in two tables (a family's total is a row of the tops') is
    hidden in both or neither, worked out from all the tables together (``protect_tables``)."""
    from socdesk.core.disclosure import protect_tables

    threshold = threshold or disclosure_threshold(store)
    tree = store.unit_tree()
    measures = store.measures()
    blocks: list[Table] = []
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
            blocks.append(_count_table(spec, year, legend))
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
            blocks.append(table)
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
        blocks.append(table)
    return blocks


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
