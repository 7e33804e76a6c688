"""What every workspace chart shares (Månad för månad, Statistik's trend): Swedish tick labels,
the reports' font and colours (``socdesk.core.chart_style``), value axes from zero, the legend
in its own row under its plot (never over the data), a sentence instead of empty axes, and the
Kopiera / Spara som bild … buttons (PNG or SVG, written whole or not at all).

``ChartPanel`` is the frame: a subclass builds its plots in ``self.plots`` (a
``pg.GraphicsLayoutWidget``) and calls ``show_plots(has_data, empty_text)``."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from socdesk.core import chart_style as style
from socdesk.core.errors import SocdeskError
from socdesk.core.i18n import _
from socdesk.files import WriteError, atomic_path
from socdesk.gui import file_dialogs


class SwedishAxis(pg.AxisItem):
    """Tick labels as Swedish numbers: 10 000, −2 500, 1,5."""

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return [style.tick_label_float(v, spacing) for v in values]


def new_plot(layout: pg.GraphicsLayoutWidget, row: int, title: str = "") -> tuple[pg.PlotItem, pg.LegendItem]:
    """A plot at ``row`` of the layout in the workspace's look, with its legend in the row
    below it (the plot takes the height)."""
    plot = layout.addPlot(row=row, col=0, title=title, axisItems={"left": SwedishAxis("left")})
    legend = pg.LegendItem(colCount=2)
    layout.addItem(legend, row=row + 1, col=0)
    layout.ci.layout.setRowStretchFactor(row, 1)
    layout.ci.layout.setRowStretchFactor(row + 1, 0)
    font = QFont(style.FONT_FAMILY)
    font.setPixelSize(round(style.LABEL_SIZE))
    for side in ("left", "bottom"):
        plot.getAxis(side).setStyle(tickFont=font)
    plot.showGrid(y=True, alpha=0.2)
    plot.setMouseEnabled(x=False, y=False)
    return plot, legend


def zero_based(plot: pg.PlotItem, numbers: list[float]) -> None:
    """The value axis from zero (or through it, with negative values): a bar or a line is
    never read against a cut-off axis. NaN (no figure) is left out."""
    finite = [n for n in numbers if n == n]
    low, high = min([0.0, *finite]), max([0.0, *finite])
    if low == high:
        high = 1.0
    plot.setYRange(low, high, padding=0.08)


def to_float(v: Decimal | None, factor: Decimal = Decimal(1)) -> float:
    """Only for drawing: exact figures stay Decimal everywhere else; no figure is NaN (a gap
    in a line, never a point at zero)."""
    return float("nan") if v is None else float(v / factor)


class ChartPanel(QWidget):
    """The frame of a workspace chart: a hover line and the buttons above, the plots (or the
    empty-state sentence) in the middle, notes below."""

    def __init__(self, parent: Any = None, *, database: Path | None = None) -> None:
        super().__init__(parent)
        self.database = database  # never offered as a file to save the picture over
        pg.setConfigOptions(antialias=True, background="w", foreground="k")
        self.plots = pg.GraphicsLayoutWidget()
        self.hover = QLabel(" ")
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.copy = QPushButton(_("Kopiera"))
        self.copy.setToolTip(_("Kopiera diagrammet som bild, för att klistra in i Word eller PowerPoint"))
        self.save = QPushButton(_("Spara som bild …"))
        self.save.setToolTip(_("Spara diagrammet som PNG- eller SVG-bild"))
        top = QHBoxLayout()
        top.addWidget(self.hover, 1)
        top.addWidget(self.copy)
        top.addWidget(self.save)
        self.empty = QLabel()  # instead of empty plots with axes 0 … 1
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.plots)
        self.stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.note)
        self.save.clicked.connect(self._save_clicked)
        self.copy.clicked.connect(lambda: self.copy_image())

    def show_plots(self, has_data: bool, empty_text: str) -> None:
        """The plots, or the sentence saying why there are none (the buttons then off)."""
        self.empty.setText(empty_text)
        self.stack.setCurrentWidget(self.plots if has_data else self.empty)
        self.copy.setEnabled(has_data)
        self.save.setEnabled(has_data)

    def title(self) -> str:
        """The SVG's title."""
        return ""

    def copy_image(self) -> None:
        """The charts on the clipboard as an image (pasted into Word, PowerPoint, an e-mail)."""
        QGuiApplication.clipboard().setImage(self.plots.grab().toImage())

    def save_svg(self, path: str | Path) -> Path:
        """The charts as SVG (scalable: sharp in a printed report), written whole or not at all."""
        from PySide6.QtCore import QRect
        from PySide6.QtGui import QPainter
        from PySide6.QtSvg import QSvgGenerator

        with atomic_path(path) as temp:
            svg = QSvgGenerator()
            svg.setFileName(str(temp))
            svg.setSize(self.plots.size())
            svg.setViewBox(QRect(0, 0, self.plots.width(), self.plots.height()))
            svg.setTitle(self.title())
            painter = QPainter(svg)
            try:
                self.plots.render(painter)
            finally:
                painter.end()
        return Path(path)

    def save_png(self, path: str | Path) -> Path:
        """The charts as a PNG image, written whole or not at all (a ``WriteError`` says why)."""
        image = self.plots.grab()
        with atomic_path(path) as temp:
            if not image.save(str(temp), "PNG"):
                raise WriteError(_("{f} kunde inte sparas som PNG-bild.").format(f=path))
        return Path(path)

    def _save_clicked(self) -> None:
        path = file_dialogs.save_file(
            self, _("Spara diagram"), "diagram.png", _("PNG-bild (*.png);;SVG-bild (*.svg)"), self.database
        )
        if path is None:
            return
        try:
            if path.suffix.lower() == ".svg":
                self.save_svg(path)
            else:
                self.save_png(path)
        except SocdeskError as err:
            QMessageBox.warning(self, _("Spara diagram"), str(err))
