"""Typing left unsaved by a crash or a power cut, offered back at start.

The drafts themselves are kept by the entry form (``EntryView.keep_draft``) in the store; this
asks, after the window is shown, whether to open the form a draft belongs to, and opens it (its
unit, its month, its kind of figures) with the draft restored without asking again."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox

from socdesk.core.i18n import _
from socdesk.core.periods import Month
from socdesk.gui.register_view import Kind
from socdesk.reports.entry import form_target

if TYPE_CHECKING:
    from socdesk.gui.main_window import MainWindow


class DraftOffer(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def offer(self) -> None:
        w = self.window
        if w.ctx.readonly or not w.isVisible():  # read-only, or closed before we got here
            return
        drafts = w.ctx.store.drafts()
        if not drafts:
            return
        key = drafts[0]
        answer = QMessageBox.question(
            w,
            _("Osparade ändringar"),
            _(
                "Förra gången avslutades programmet med osparade ändringar i {n} formulär "
                "(t.ex. {k}). Vill du öppna formuläret och ta tillbaka dem?"
            ).format(n=len(drafts), k=key.replace(":", " ")),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.open(key)

    def open(self, key: str) -> None:
        """Show the form of a kept draft with the draft in it (without asking again)."""
        w = self.window
        target = form_target(key)
        if target is not None and target.kind == "arsvy":  # the year grid
            if target.unit in w.tree and target.month is not None:
                w.select_unit(target.unit)
                w.period.set_month(Month(target.month.year, w.period.current_month().month))
                w.tabs.setCurrentWidget(w.register)
                w.register.open_year_draft(key)
            return
        w.register.entry.restore_without_asking(key)
        if target is None or target.unit not in w.tree:
            return
        w.select_unit(target.unit)
        if target.month is not None:
            w.period.set_month(target.month)
        w.register.kind.setCurrentIndex(w.register.kind.findData(Kind(target.kind)))
        if target.part is not None:
            w.register.part.setCurrentIndex(w.register.part.findData(target.part))
        w.tabs.setCurrentWidget(w.register)
