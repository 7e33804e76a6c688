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

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QTableView

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
    model = view.model()
    header = view.horizontalHeader()
    rows = sample_rows(model.rowCount(), sample)
    grid = 1 if view.showGrid() else 0
    display = Qt.ItemDataRole.DisplayRole
    for column in range(model.columnCount()):
        if view.isColumnHidden(column) or header.sectionResizeMode(column) == QHeaderView.ResizeMode.Stretch:
            continue
        indexes = [model.index(r, column) for r in rows]
        longest = sorted(indexes, key=lambda i: len(str(model.data(i, display) or "")), reverse=True)
        content = max((view.sizeHintForIndex(i).width() + grid for i in longest[:CANDIDATES]), default=0)
        width = max(content, header.sectionSizeHint(column))
        if header.sectionSize(column) != width:
            header.resizeSection(column, width)
