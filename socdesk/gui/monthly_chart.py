"""Month by month: bars for monthly utfall and budget, lines for cumulative figures and the
two year-end projections against the årsbudget. The plot items are kept and updated. The frame,
the buttons, the axes and the legend rows are the workspace's chart style (``gui/chart_style.py``,
shared with Statistik's trend chart); colours, font and Swedish tick labels are the reports'
(``socdesk.core.chart_style``)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QPointF

from socdesk.core import chart_style as style
from socdesk.core.i18n import _
from socdesk.core.numbers import Scale
from socdesk.core.periods import MONTH_ABBR
from socdesk.gui.chart_style import ChartPanel, new_plot, to_float, zero_based
from socdesk.gui.formatting import money
from socdesk.reports.monthly import MonthlySeries

ACTUAL = style.rgb(style.ACTUAL)
PARTIAL = style.rgb(style.PARTIAL)  # a month whose utfall rests on units that have not all reported
BUDGET = style.rgb(style.BUDGET)
PROJECTION = style.rgb(style.PROJECTION)


def _f(v: Decimal | None, scale: Scale) -> float:
    """Only for drawing: exact figures stay Decimal everywhere else."""
    return to_float(v, scale.factor)


class MonthlyChart(ChartPanel):
    def __init__(self, parent: Any = None, *, database: Path | None = None) -> None:
        super().__init__(parent, database=database)
        self.monthly, self.monthly_legend = new_plot(self.plots, 0, _("Per månad"))
        self.cumulative, self.cumulative_legend = new_plot(self.plots, 2, _("Ackumulerat och helårsprognos"))
        ticks = [[(i + 1, MONTH_ABBR[i]) for i in range(12)]]
        for plot in (self.monthly, self.cumulative):
            plot.getAxis("bottom").setTicks(ticks)
            plot.setXRange(0.4, 12.6, padding=0)
        x = list(range(1, 13))
        self.actual_bars = pg.BarGraphItem(
            x=[i - 0.18 for i in x], height=[0] * 12, width=0.34, brush=pg.mkBrush(*ACTUAL), name=_("Utfall")
        )
        self.budget_bars = pg.BarGraphItem(
            x=[i + 0.18 for i in x], height=[0] * 12, width=0.34, brush=pg.mkBrush(*BUDGET), name=_("Budget")
        )
        self.monthly.addItem(self.actual_bars)
        self.monthly.addItem(self.budget_bars)
        self.monthly_legend.addItem(self.actual_bars, _("Utfall"))
        self.monthly_legend.addItem(self.budget_bars, _("Budget"))
        self.cum_actual = self.cumulative.plot(
            [],
            [],
            pen=pg.mkPen(ACTUAL, width=3),
            symbol="o",
            symbolSize=10,
            symbolBrush=ACTUAL,
            name=_("Utfall ack."),
        )
        self.cum_actual.setZValue(10)  # utfall over the budget and the projections, never hidden
        self.cum_actual_label = pg.TextItem(color=ACTUAL, anchor=(1.05, 1.2))
        self.cumulative.addItem(self.cum_actual_label)
        self.cum_budget = self.cumulative.plot(
            [], [], pen=pg.mkPen(BUDGET, width=2, style=pg.QtCore.Qt.PenStyle.DashLine), name=_("Budget ack.")
        )
        self.run_rate = self.cumulative.plot(
            [],
            [],
            pen=pg.mkPen(PROJECTION, width=2, style=pg.QtCore.Qt.PenStyle.DashLine),
            name=_("Prognos: utfallstakt"),
        )
        self.remaining = self.cumulative.plot(
            [],
            [],
            pen=pg.mkPen(PROJECTION, width=2, style=pg.QtCore.Qt.PenStyle.DotLine),
            name=_("Prognos: utfall + återstående budget"),
        )
        self.annual = pg.InfiniteLine(
            angle=0,
            pen=pg.mkPen((0, 0, 0), width=1, style=pg.QtCore.Qt.PenStyle.DashDotLine),
            label=_("Årsbudget"),
            labelOpts={"position": 0.05, "color": (0, 0, 0)},
        )
        self.cumulative.addItem(self.annual)
        for item in (self.cum_actual, self.cum_budget, self.run_rate, self.remaining):
            self.cumulative_legend.addItem(item, item.name())
        self.series: MonthlySeries | None = None
        self.scale = Scale.TKR
        self._proxy = pg.SignalProxy(self.plots.scene().sigMouseMoved, rateLimit=30, slot=self._mouse_moved)

    def set_series(self, series: MonthlySeries, scale: Scale, title: str) -> None:
        self.series, self.scale = series, scale
        x = list(range(1, 13))
        has_data = any(v is not None for v in (*series.actual, *series.budget, *series.cum_actual))
        self.show_plots(has_data, _("Inga uppgifter för {t} {y}.").format(t=title, y=series.year))
        partial = [i < len(series.partial) and series.partial[i] is not None for i in range(12)]
        # a month without a figure has no bar (not a bar of height 0, which reads as "0 kr")
        shown = [i for i, v in enumerate(series.actual) if v is not None]
        self.actual_bars.setOpts(
            x=[i + 1 - 0.18 for i in shown],
            height=[_f(series.actual[i], scale) for i in shown],
            brushes=[pg.mkBrush(*(PARTIAL if partial[i] else ACTUAL)) for i in shown],
        )
        shown = [i for i, v in enumerate(series.budget) if v is not None]
        self.budget_bars.setOpts(
            x=[i + 1 + 0.18 for i in shown], height=[_f(series.budget[i], scale) for i in shown]
        )
        ca = [(i, _f(v, scale)) for i, v in zip(x, series.cum_actual, strict=True) if v is not None]
        self.cum_actual.setData([p[0] for p in ca], [p[1] for p in ca])
        last = max((i for i, v in enumerate(series.cum_actual) if v is not None), default=None)
        if last is not None:  # the utfall so far, said in figures at its point
            self.cum_actual_label.setText(
                _("Utfall {p}: {v} {s}").format(
                    p=f"{MONTH_ABBR[0]}–{MONTH_ABBR[last]}" if last else MONTH_ABBR[0],
                    v=money(series.cum_actual[last], scale),
                    s=scale.label,
                )
            )
            self.cum_actual_label.setPos(last + 1, _f(series.cum_actual[last], scale))
            self.cum_actual_label.show()
        else:
            self.cum_actual_label.hide()
        cb = [(i, _f(v, scale)) for i, v in zip(x, series.cum_budget, strict=True) if v is not None]
        self.cum_budget.setData([p[0] for p in cb], [p[1] for p in cb])
        m = series.through
        start = _f(series.ytd_actual, scale)
        self.run_rate.setData(
            [m, 12], [start, _f(series.run_rate, scale)] if series.run_rate is not None else []
        )
        if series.remaining_budget is not None:
            self.remaining.setData([m, 12], [start, _f(series.remaining_budget, scale)])
        else:
            self.remaining.setData([], [])
        if series.annual_budget is not None:
            self.annual.setPos(_f(series.annual_budget, scale))
            self.annual.show()
        else:
            self.annual.hide()
        for plot in (self.monthly, self.cumulative):
            plot.setLabel("left", scale.label)
        # amounts from a zero baseline: a bar or a line is never read against a cut-off axis
        self._zero_based(self.monthly, [*series.actual, *series.budget], scale)
        self._zero_based(
            self.cumulative,
            [
                *series.cum_actual,
                *series.cum_budget,
                series.run_rate,
                series.remaining_budget,
                series.annual_budget,
            ],
            scale,
        )
        self.monthly.setTitle(_("{t} – per månad {y}").format(t=title, y=series.year))
        notes = []
        if series.budget_reconstructed:
            notes.append(
                _(
                    "Budget per månad är fördelad från årsbudget och budget hittills i år "
                    "(båda stämmer exakt)."
                )
            )
        if all(v is None for v in series.actual):
            notes.append(_("Utfall finns inte per månad, bara ackumulerat."))
        for i, c in enumerate(series.partial):
            if c is not None:
                notes.append(
                    _("Ofullständigt utfall {m} (ljus stapel): {t}").format(m=MONTH_ABBR[i], t=c.text)
                )
        self.note.setText(" ".join(notes))

    @staticmethod
    def _zero_based(plot, values: list[Decimal | None], scale: Scale) -> None:
        zero_based(plot, [_f(v, scale) for v in values if v is not None])

    def title(self) -> str:
        return self.monthly.titleLabel.text

    def month_text(self, month: int) -> str:
        s = self.series
        if s is None:
            return ""
        i = month - 1
        parts = [
            f"{MONTH_ABBR[i]} {s.year}:",
            _("utfall {v}").format(v=money(s.actual[i], self.scale)),
            _("budget {v}").format(v=money(s.budget[i], self.scale)),
            _("ack. utfall {v}").format(v=money(s.cum_actual[i], self.scale)),
            _("ack. budget {v}").format(v=money(s.cum_budget[i], self.scale)),
        ]
        text = "  ".join(parts) + f" {self.scale.label}"
        if i < len(s.partial) and s.partial[i] is not None:
            text += "  " + _("(ofullständigt: {t})").format(t=s.partial[i].text)  # type: ignore[union-attr]
        return text

    def _mouse_moved(self, event: tuple[QPointF]) -> None:
        pos = event[0]
        for plot in (self.monthly, self.cumulative):
            if plot.sceneBoundingRect().contains(pos):
                x = plot.vb.mapSceneToView(pos).x()
                month = round(x)
                if 1 <= month <= 12:
                    self.hover.setText(self.month_text(month))
                return
