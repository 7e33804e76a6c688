"""The year grid (Registrera › Årsvy) as plain data: the selected unit's leaf units × the
year's twelve months, for utfall, budget or prognos, in the shape of the other entry forms
(``socdesk.reports.entry.EntryForm``), so the month form's checks, undo, drafts and save apply.

Columns 0–11 are the months (input). Then *Helår*, the row's total as typed (for prognos:
*Senaste*, the latest prognos of the row, since prognoser made at different months are not
summed), and for utfall and prognos the *Årsbudget* in effect at December, for comparison.

- Utfall: the month's nettokostnad, one fact per month (as the utfall form writes it).
- Budget: the monthly (periodised) budget, written as the month form's *Egna månadsbelopp*
  writes it (``monthly_budget_facts``: the months and the årsbudget as their sum, replacing
  the unit's stated pieces of the year), in the budget version chosen.
- Prognos: the helårsprognos made at each month (the fact the prognos form writes, version =
  the month), so a row shows how the year's prognos moved.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from socdesk.core.facts import Fact, FactKey, Scenario
from socdesk.core.i18n import _
from socdesk.core.periods import MONTH_ABBR, Month, Period
from socdesk.core.units import Unit, UnitTree
from socdesk.core.values import Value
from socdesk.reports.budget import MonthsCache, budget_in_effect, budget_values
from socdesk.reports.entry import (
    NET,
    EntryCell,
    EntryForm,
    FormColumn,
    _covering_pieces,
    _stated_month_averages,
    leaf_units,
    month_label,
)
from socdesk.reports.planning import _leaves, _month, _num, _sum, monthly_budget_facts
from socdesk.store.db import Store
from socdesk.store.figures import Figures

KINDS = ("utfall", "budget", "prognos")
MONTHS = list(range(12))  # the input columns: jan … dec
TOTAL = 12  # Helår (or Senaste for prognos)
ANNUAL_BUDGET = 13  # utfall and prognos only


def year_key(kind: str, root: str, year: int, version: str = "") -> str:
    """The form's (and its draft's) key: ``arsvy:utfall:771:2024``, a budget version appended."""
    return f"arsvy:{kind}:{root}:{year}" + (f":{version}" if version else "")


def total(values: Iterable[Decimal | None]) -> Decimal | None:
    """The exact sum of the figures given (None where there is none)."""
    numbers = [v for v in values if v is not None]
    return sum(numbers, Decimal(0)) if numbers else None


def _latest(row: dict[int, Value | None]) -> Decimal | None:
    for c in reversed(MONTHS):
        v = row.get(c)
        if v is not None and v.is_number:
            return v.number
    return None


def year_form(
    store: Store,
    root: str,
    year: int,
    kind: str,
    *,
    version: str = "",
    tree: UnitTree | None = None,
    figures: Figures | None = None,
) -> EntryForm:
    """The grid for ``kind`` (utfall, budget or prognos); ``version`` is a budget revision."""
    if kind not in KINDS:
        raise ValueError(kind)
    # the units that take figures in some month of the year: after a merge in it, both the
    # closed units (their months before) and the merged one (its months from; docs/units.md)
    tree, figures, measure, units, codes = _leaves(store, root, tree, figures, Month(year, 1))
    later = [u for u in leaf_units(tree, root, Month(year, 12)) if u.code not in set(codes)]
    if later:
        order = {u.code: i for i, u in enumerate([tree[root], *tree.descendants(root)])}
        units = sorted([*units, *later], key=lambda u: order[u.code])
        codes = [u.code for u in units]
    months = [Month(year, m) for m in range(1, 13)]
    the_year = Period.year(year)
    cells: dict[tuple[int, int], EntryCell] = {}
    columns = [FormColumn(MONTH_ABBR[m.month - 1], measure, input=True) for m in months]
    if kind == "prognos":
        columns.append(FormColumn(_("Senaste"), measure, derive=_latest))
    else:
        columns.append(FormColumn(_("Helår"), measure, derive=lambda row: _sum(row, MONTHS)))
    if kind != "budget":
        columns.append(FormColumn(_("Årsbudget"), measure))
        versions = budget_in_effect(figures, codes, measure, Month(year, 12))
        annual = {c: b.amount for c, b in budget_values(figures, codes, measure, the_year, versions).items()}
        for r, u in enumerate(units):
            cells[(r, ANNUAL_BUDGET)] = EntryCell(annual[u.code])
    expand = None
    if kind == "utfall":
        before = {
            m: figures.values(codes, measure, Scenario.ACTUAL, Period(m + -12, m + -12)) for m in months
        }
        averaged = _stated_month_averages(store, codes, NET, months[0])
        for c, m in enumerate(months):
            now = figures.values(codes, measure, Scenario.ACTUAL, Period(m, m))
            covering = _covering_pieces(store, codes, NET, m)
            for r, u in enumerate(units):
                history = tuple(n for b in before.values() if (n := _num(b[u.code])) is not None)
                note = ""
                if u.code in covering:
                    note = _(
                        "{u} har redan ett angivet utfall för {p}, som täcker {m}; det du skriver här "
                        "ändrar inte den summan (rätta den med en ny import eller i historiken)."
                    ).format(u=u.code, p=covering[u.code].label(), m=month_label(m))
                key = FactKey(u.code, NET, Scenario.ACTUAL, Period(m, m))
                cells[(r, c)] = EntryCell(_num(now[u.code]), key, history or averaged.get(u.code, ()), note)
        title = _("Årsvy utfall {y} för {u}")
    elif kind == "budget":
        last_year = figures.values(codes, measure, Scenario.ACTUAL, Period.year(year - 1))
        in_version: dict[str, str | None] = {c: version or None for c in codes}
        cache: MonthsCache = {}
        for c, m in enumerate(months):
            # the months as stated, or rebuilt from the stated pieces (årsbudget and jan–maj)
            now = budget_values(figures, codes, measure, Period(m, m), in_version, cache)
            for r, u in enumerate(units):
                usual = _num(last_year[u.code])
                history = (usual / 12,) if usual is not None else ()  # last year's average month
                key = FactKey(u.code, NET, Scenario.BUDGET, Period(m, m), version)
                cells[(r, c)] = EntryCell(now[u.code].amount, key, history)

        def expand(unit: Unit, values: dict[int, Value]) -> list[Fact]:
            stated = {months[c]: v for c, v in values.items() if c in MONTHS}
            return monthly_budget_facts(unit.code, year, version, stated)

        title = _("Årsvy budget {y} för {u}") + (
            " – " + _("ombudgetering från {m}").format(m=month_label(_month(version))) if version else ""
        )
    else:
        stated = {
            c: figures.values(codes, measure, Scenario.FORECAST, the_year, str(m))
            for c, m in enumerate(months)
        }
        for c, m in enumerate(months):
            for r, u in enumerate(units):
                history = tuple(
                    n for o, figs in stated.items() if o != c and (n := _num(figs[u.code])) is not None
                )
                key = FactKey(u.code, NET, Scenario.FORECAST, the_year, str(m))
                cells[(r, c)] = EntryCell(_num(stated[c][u.code]), key, history)
        title = _("Årsvy helårsprognos {y} för {u} (prognosen gjord per månad)")
    return EntryForm(
        key=year_key(kind, root, year, version),
        title=title.format(y=year, u=tree[root].label),
        root=tree[root],
        units=units,
        columns=columns,
        cells=cells,
        locked_period=the_year,
        expand=expand,
        plan_within=the_year if kind == "budget" else None,
    )


def locked_months(store: Store, form: EntryForm) -> dict[int, str]:
    """The month columns a period lock closes for the form's units (column → why), as the
    store would refuse them: a budget revision or a prognos made after a locked month is not
    stopped by that lock."""
    out: dict[int, str] = {}
    root = form.root.code
    for c in MONTHS:
        key = form.cells[(0, c)].key if form.units else None
        month = Month(form.locked_period.start.year, c + 1)
        if key is not None and key.version and key.version > str(month):
            continue  # made after the month (a revision from a later month)
        if store.locked(root, Period(month, month)):
            out[c] = _("{m} är låst för {u} (Period › Lås månaden); öppna perioden för att ändra.").format(
                m=month_label(month), u=form.root.label
            )
    return out
