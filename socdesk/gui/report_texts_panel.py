"""The report's texts (sammanfattning, chapter texts, åtgärder): the template's text sections for
the chosen period, each written here and kept as history with its author, like the
avvikelseanalys in the Ekonomi tab. ``text_saved(key)`` after a text was stored."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from socdesk.core.i18n import _
from socdesk.core.periods import Period
from socdesk.gui.context import AppContext
from socdesk.gui.formatting import saved_line


class ReportTextsPanel(QWidget):
    text_saved = Signal(str)

    def __init__(self, ctx: AppContext, parent: Any = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.template_name = ""
        self.period = ""
        self.period_label = ""
        self.sections: list[tuple[str, str, str]] = []
        self.keys = QListWidget()
        self.keys.setAccessibleName(_("Rapportens texter"))
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.editor = QPlainTextEdit()
        self.editor.setAccessibleName(_("Text"))
        self.editor.setPlaceholderText(_("Skriv texten för rapporten och perioden …"))
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.save = QPushButton(_("Spara text"))
        self.save.setEnabled(False)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.title)
        rl.addWidget(self.editor, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.info, 1)
        bottom.addWidget(self.save)
        rl.addLayout(bottom)
        splitter = QSplitter()
        splitter.addWidget(self.keys)
        splitter.addWidget(right)
        splitter.setSizes([220, 480])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.keys.currentRowChanged.connect(lambda _r: self._show())
        self.save.clicked.connect(self._save)
        self.editor.textChanged.connect(self._edited)

    def set_report(self, template: str, period: Period, sections: list[tuple[str, str, str]]) -> None:
        """The texts of a report: ``sections`` (key, title, default) as ``compose.build`` lists
        them, for the template and the report's period (texts are kept by ``str(period)``)."""
        self.template_name, self.period, self.period_label = template, str(period), period.label()
        self.sections = list(sections)
        current = self.current_key()
        with QSignalBlocker(self.keys):
            self.keys.clear()
            for key, title, _default in self.sections:
                item = QListWidgetItem(title)
                item.setData(Qt.ItemDataRole.UserRole, key)
                self.keys.addItem(item)
        self._mark_written()
        keys = [k for k, _t, _d in self.sections]
        self.keys.setCurrentRow(keys.index(current) if current in keys else (0 if keys else -1))
        self._show()

    def current_key(self) -> str:
        item = self.keys.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else ""

    def select(self, key: str) -> None:
        for i in range(self.keys.count()):
            if self.keys.item(i).data(Qt.ItemDataRole.UserRole) == key:
                self.keys.setCurrentRow(i)
                self.editor.setFocus()
                return

    def _mark_written(self) -> None:
        written = self.ctx.store.report_texts(self.template_name, self.period) if self.template_name else {}
        for i, (key, title, default) in enumerate(self.sections):
            if key in written:
                shown = title
            elif default.strip():
                shown = _("{t} (standardtext)").format(t=title)
            else:
                shown = _("{t} – inte skriven").format(t=title)
            self.keys.item(i).setText(shown)

    def _show(self) -> None:
        key = self.current_key()
        if not key:
            with QSignalBlocker(self.editor):
                self.editor.setPlainText("")
            self.editor.setEnabled(False)
            self.save.setEnabled(False)
            self.title.setText(_("Mallen har inga textavsnitt."))
            self.info.setText("")
            return
        title = next(t for k, t, _d in self.sections if k == key)
        self.title.setText(_("{t}, {p}").format(t=title, p=self.period_label))
        default = next(d for k, _t, d in self.sections if k == key)
        self.editor.setPlaceholderText(
            _("Inget skrivet: rapporten skriver standardtexten «{d}».").format(d=default[:200])
            if default
            else _("Skriv texten för rapporten och perioden …")
        )
        history = self.ctx.store.report_text_history(self.template_name, self.period, key)
        with QSignalBlocker(self.editor):
            self.editor.setPlainText(history[-1]["text"] if history else "")
        self.editor.setEnabled(True)
        self.editor.setReadOnly(self.ctx.readonly)
        self.save.setEnabled(False)
        self.info.setText(saved_line(history, _("Ingen text sparad ännu.")))

    def _edited(self) -> None:
        self.save.setEnabled(not self.ctx.readonly and bool(self.current_key()))

    def _save(self) -> None:
        key = self.current_key()
        if not key or self.ctx.readonly:
            return
        self.ctx.store.save_report_text(self.template_name, self.period, key, self.editor.toPlainText())
        self._mark_written()
        self._show()
        self.text_saved.emit(key)
