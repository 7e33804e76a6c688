"""Table columns sized to their header and a sample of rows, once per model reset.

``QTableView.resizeColumnsToContents`` asks the delegate for the size of every cell in view,
and the delegate asks the model for eight roles of each: 1 700 Python ``data()`` calls for the
root's Ekonomi table, most of a click. ``fit_columns`` reads only the display text of a sample
of rows (the first and the last – where totals are – ``SAMPLE_ROWS`` in all), takes in each
column the few longest texts and asks the delegate for those cells' sizes alone: the same width
whenever the widest cell is among the longest texts of the sample (digits, spaces and signs
are one width in the fonts we use, so for figures it is), a few per cent of the calls.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QHeaderView, QStyle, QTableView

SAMPLE_ROWS = 60  # rows read: the first half and the last half (a table's totals are last)
CANDIDATES = 3  # cells measured per column: the longest texts of the sample


def sample_rows(count: int, sample: int = SAMPLE_ROWS) -> list[int]:
    if count <= sample:
        return list(range(count))
    half = sample // 2
    return [*range(half), *range(count - (sample - half), count)]


def fit_columns(view: QTableView, *, sample: int = SAMPLE_ROWS) -> None:
    """Each shown column that is not stretched as wide as its header and its widest sampled
    cell, as ``resizeColumnsToContents`` would make it for those rows."""
    header = view.horizontalHeader()
    for column in range(view.model().columnCount()):
        if view.isColumnHidden(column) or header.sectionResizeMode(column) == QHeaderView.ResizeMode.Stretch:
            continue
        width = fitted_width(view, column, sample=sample)
        if header.sectionSize(column) != width:
            header.resizeSection(column, width)


def fitted_width(view: QTableView, column: int, *, sample: int = SAMPLE_ROWS) -> int:
    """The width ``fit_columns`` gives the column: its header's and its widest sampled cell's."""
    model, header = view.model(), view.horizontalHeader()
    grid = 1 if view.showGrid() else 0
    display = Qt.ItemDataRole.DisplayRole
    indexes = [model.index(r, column) for r in sample_rows(model.rowCount(), sample)]
    longest = sorted(indexes, key=lambda i: len(str(model.data(i, display) or "")), reverse=True)
    measured = longest[:CANDIDATES] + indexes[-1:]  # and the last row: a total, set in bold
    content = max((view.sizeHintForIndex(i).width() + grid for i in measured), default=0)
    return max(content, header.sectionSizeHint(column))


class CompactHeader(QHeaderView):
    """A header as wide as its longest line of text (headers of two lines: ``Utfall`` over
    ``(tkr)``), plus the sort arrow's room only in the section sorted by. Qt's own hint adds
    the text's *height* as room for the arrow to every section, which for two lines makes each
    figure column some 30 px wider than its text. The full name of a short header is its
    tooltip (the model's ``ToolTipRole``)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setSectionsClickable(True)
        self.setHighlightSections(False)

    def sectionSizeFromContents(self, logicalIndex: int) -> QSize:
        size = super().sectionSizeFromContents(logicalIndex)
        model = self.model()
        if model is None:
            return size
        text = str(model.headerData(logicalIndex, self.orientation(), Qt.ItemDataRole.DisplayRole) or "")
        metrics = self.fontMetrics()
        margin = self.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, self)
        width = max((metrics.horizontalAdvance(line) for line in text.split("\n")), default=0) + 4 * margin
        if self.isSortIndicatorShown() and self.sortIndicatorSection() == logicalIndex:
            width += self.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, self) + margin
        return QSize(width, size.height())

    def text_fits(self, logicalIndex: int) -> bool:
        """Every line of the section's header text within its width (tests, screenshots)."""
        text = str(self.model().headerData(logicalIndex, self.orientation()) or "")
        return all(
            self.fontMetrics().horizontalAdvance(line) <= self.sectionSize(logicalIndex)
            for line in text.split("\n")
        )
