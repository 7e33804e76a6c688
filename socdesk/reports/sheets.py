"""Workspace tables as spreadsheet sheets: (sheet name, title row, columns, rows), numbers as
exact Decimals in the scale shown (``socdesk.io.xlsx.write_table`` writes them)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from socdesk.core.i18n import _
from socdesk.core.numbers import Scale
from socdesk.io.xlsx import Column
from socdesk.reports.economy import EconomyTable
from socdesk.reports.statistics import StatisticsTable

Sheet = tuple[str, str, list[Column], list[list[object]]]


# The Ekonomi table's columns to compare with (``EconomyRow`` attributes), exported when chosen
COMPARISON_COLUMNS: dict[str, str] = {
    "revenue": _("Intäkter"),
    "cost": _("Kostnader"),
    "previous_actual": _("Utfall fg år"),
    "previous_change": _("Förändring mot fg år"),
    "original_budget": _("Ursprunglig budget"),
    "original_annual_budget": _("Ursprunglig årsbudget"),
}


def economy_sheet(table: EconomyTable, scale: Scale, extra: Sequence[str] = ()) -> Sheet:
    """The Ekonomi table as a sheet; ``extra``: keys of ``COMPARISON_COLUMNS`` chosen on screen,
    after the standard columns (before Analys)."""
    money = "money1" if scale is Scale.MNKR else "money"
    unit = f" ({scale.label})"
    extra = [k for k in COMPARISON_COLUMNS if k in extra]
    columns = [
        Column(_("Enhet")),
        Column(_("Flagga")),
        Column(_("Utfall") + unit, money),
        Column(_("Budget") + unit, money),
        Column(_("Avvikelse") + unit, money),
        Column(_("Avvikelse %"), "pct"),
        Column(_("Årsbudget") + unit, money),
        Column(_("Förbrukat %"), "pct"),
        Column(_("Prognos helår") + unit, money),
        Column(_("Prognosavvikelse") + unit, money),
        *(Column(COMPARISON_COLUMNS[k] + unit, money) for k in extra),
        Column(_("Analys")),
    ]

    def m(v: Decimal | None) -> Decimal | None:
        return None if v is None else v / scale.factor

    rows: list[list[object]] = []
    for r in table.rows:
        label = _("Summa {u}").format(u=r.unit.label) if r.is_total else r.unit.label
        rows.append(
            [
                label,
                r.flag.level.label if r.flag else "",
                m(r.actual),
                m(r.budget),
                m(r.variance),
                r.variance_pct,
                m(r.annual_budget),
                r.used_pct,
                m(r.forecast),
                m(r.forecast_variance),
                *(m(getattr(r, k)) for k in extra),
                r.comment or "",
            ]
        )
    title = f"{table.unit.label} – {table.period.label()} – {scale.label}"
    return table.unit.code, title, columns, rows


def statistics_sheet(table: StatisticsTable) -> Sheet:
    columns = [Column(_("Mått")), Column(_("Enhet"))] + [Column(p.label(), "number") for p in table.periods]
    rows: list[list[object]] = []
    for r in table.rows:
        cells: list[object] = [r.name, r.unit_of_measure]
        for v in r.values:
            cells.append(v.number if v.is_number else (v.status.value if v.status.value != "-" else None))
        rows.append(cells)
    title = _("{u} – verksamhetsstatistik").format(u=table.unit)
    return f"{table.unit} statistik", title, columns, rows
