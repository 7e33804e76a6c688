"""Arkiv → Rapportmallar: the shipped report templates and the kommun's own copies (in the data
folder's ``rapportmallar``). Copy one (a new name is asked), rename an own one, open it in the
system's editor, validate it (the Swedish messages, also against the database) and preview the
report it makes (built in the background). Below: the report settings the title page prints
(nämnd, diarienummer, sammanträdesdatum, logo), kept with the database as ``report.*``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from socdesk.core.errors import SocdeskError
from socdesk.core.i18n import _
from socdesk.core.periods import Month
from socdesk.gui import file_dialogs
from socdesk.gui.context import AppContext
from socdesk.gui.report_dialog import KIND_LABELS
from socdesk.gui.workers import Runner
from socdesk.reports.document import Report
from socdesk.reports.template import copy as copy_template  # writes through socdesk.files

SETTINGS = (  # (store setting, label)
    ("report.namnd", _("Nämnd")),
    ("report.diarienummer", _("Diarienummer")),
    ("report.sammantradesdatum", _("Sammanträdesdatum")),
    ("report.logo", _("Logotyp (bildfil)")),
)


@dataclass
class Entry:
    """A template file as listed: its name and kind when it can be read, else its messages."""

    path: Path
    shipped: bool
    name: str = ""
    kind: str = ""
    board: str = ""
    errors: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        whose = _("medföljer") if self.shipped else _("egen")
        if self.errors:
            return _("{f} ({w}) – fel i mallen").format(f=self.path.name, w=whose)
        return f"{KIND_LABELS.get(self.kind, self.kind)}: {self.name} ({whose})"


def entries(basedir: Path | None) -> list[Entry]:
    """Every template file: the own ones first (also those with errors, so they can be
    mended), then the shipped ones."""
    from socdesk.reports import template as templates

    out = []
    for path, shipped in [
        *((p, False) for p in sorted(templates.user_dir(basedir).glob("*.toml"))),
        *((p, True) for p in templates.shipped()),
    ]:
        try:
            t = templates.load(path)
        except templates.TemplateError as err:
            out.append(Entry(path, shipped, errors=tuple(err.messages)))
            continue
        out.append(Entry(path, shipped, t.name, t.kind, t.board))
    return out


class TemplatesDialog(QDialog):
    def __init__(self, ctx: AppContext, unit: str | None, month: Month, parent: Any = None) -> None:
        super().__init__(parent)
        self.ctx, self.unit, self.month = ctx, unit, month
        self.previewed: Report | None = None
        self.setWindowTitle(_("Rapportmallar"))
        self.resize(760, 620)
        self.list = QListWidget()
        self.list.setAccessibleName(_("Rapportmallar"))
        self.path = QLabel()
        self.path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.path.setWordWrap(True)
        self.copy = QPushButton(_("Kopiera …"))
        self.rename = QPushButton(_("Byt namn …"))
        self.edit = QPushButton(_("Öppna i redigerare"))
        self.validate = QPushButton(_("Kontrollera"))
        self.preview = QPushButton(_("Förhandsgranska"))
        self.messages = QPlainTextEdit()
        self.messages.setReadOnly(True)
        self.messages.setAccessibleName(_("Kontrollens meddelanden"))
        self.messages.setMaximumHeight(self.fontMetrics().height() * 7)
        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        for b in (self.copy, self.rename, self.edit, self.validate, self.preview):
            buttons.addWidget(b)
        buttons.addStretch(1)

        self.fields: dict[str, QLineEdit] = {}
        settings_box = QGroupBox(_("Rapportinställningar (titelsidan)"))
        form = QFormLayout(settings_box)
        for key, label in SETTINGS:
            edit = QLineEdit(ctx.store.setting(key) or "")
            edit.setAccessibleName(label)
            edit.setReadOnly(ctx.readonly)
            self.fields[key] = edit
            if key == "report.logo":
                self.choose_logo = QPushButton(_("Välj …"))
                self.choose_logo.setEnabled(not ctx.readonly)
                row = QHBoxLayout()
                row.addWidget(edit, 1)
                row.addWidget(self.choose_logo)
                form.addRow(label + ":", row)
            else:
                form.addRow(label + ":", edit)
        self.fields["report.sammantradesdatum"].setPlaceholderText(_("t.ex. 2023-05-24"))
        self.save_settings = QPushButton(_("Spara inställningar"))
        self.save_settings.setEnabled(not ctx.readonly)
        form.addRow("", self.save_settings)

        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.path)
        layout.addLayout(buttons)
        layout.addWidget(self.messages)
        layout.addWidget(self.status)
        layout.addWidget(settings_box)
        layout.addWidget(close)

        self.runner = Runner(ctx.database_path, parent=self)
        self.runner.finished.connect(self._previewed)
        self.runner.failed.connect(self._failed)
        self.list.currentRowChanged.connect(lambda _r: self._chosen())
        self.copy.clicked.connect(lambda: self.copy_template())
        self.rename.clicked.connect(lambda: self.rename_template())
        self.edit.clicked.connect(lambda: self.open_in_editor())
        self.validate.clicked.connect(lambda: self.validate_template())
        self.preview.clicked.connect(lambda: self.preview_template())
        self.choose_logo.clicked.connect(lambda: self._choose_logo())
        self.save_settings.clicked.connect(lambda: self.store_settings())
        self.refresh()

    # --- the list -----------------------------------------------------------------------------
    def refresh(self, select: Path | None = None) -> None:
        current = select or (self.entry().path if self.entry() is not None else None)
        self.entries = entries(self.ctx.basedir)
        with QSignalBlocker(self.list):
            self.list.clear()
            for e in self.entries:
                item = QListWidgetItem(e.label)
                item.setData(Qt.ItemDataRole.UserRole, str(e.path))
                self.list.addItem(item)
        paths = [e.path for e in self.entries]
        self.list.setCurrentRow(paths.index(current) if current in paths else 0)
        self._chosen()

    def entry(self) -> Entry | None:
        row = self.list.currentRow()
        entries_ = getattr(self, "entries", [])
        return entries_[row] if 0 <= row < len(entries_) else None

    def _chosen(self) -> None:
        e = self.entry()
        valid = e is not None and not e.errors
        self.path.setText(str(e.path) if e is not None else "")
        self.copy.setEnabled(valid)
        self.rename.setEnabled(e is not None and not e.shipped and valid and not self.ctx.readonly)
        self.edit.setEnabled(e is not None and not e.shipped)  # a shipped one is copied first
        self.edit.setToolTip("" if e is None or not e.shipped else _("Kopiera mallen för att ändra den."))
        self.validate.setEnabled(e is not None)
        self.preview.setEnabled(valid)
        self.messages.setPlainText("\n".join(e.errors) if e is not None else "")

    def _ask_name(self, title: str, suggested: str) -> str | None:
        prompt = _("Mallens nya namn (bokstäver, siffror, - och _):")
        name, ok = QInputDialog.getText(self, title, prompt, text=suggested)
        return name.strip() if ok and name.strip() else None

    # --- actions ------------------------------------------------------------------------------
    def copy_template(self) -> Path | None:
        """A copy of the chosen template among the own ones, under a new name (asked)."""

        e = self.entry()
        if e is None or e.errors:
            return None
        new = self._ask_name(_("Kopiera rapportmallen"), f"{e.name}-egen")
        if new is None:
            return None
        try:
            path = copy_template(str(e.path), new, self.ctx.basedir)
        except SocdeskError as err:
            self.status.setText(str(err))
            return None
        self.status.setText(_("Kopian {n} sparad: {p}").format(n=new, p=path))
        self.refresh(path)
        return path

    def rename_template(self) -> Path | None:
        """An own template under a new name: the copy is written and validated first, then the
        old file is removed (its text is kept with the database for the reports made from it)."""

        e = self.entry()
        if e is None or e.shipped or e.errors or self.ctx.readonly:
            return None
        new = self._ask_name(_("Byt namn på rapportmallen"), e.name)
        if new is None or new == e.name:
            return None
        try:
            path = copy_template(str(e.path), new, self.ctx.basedir)
        except SocdeskError as err:
            self.status.setText(str(err))
            return None
        self.ctx.store.keep_template(e.name, e.path.read_text(encoding="utf-8"))
        e.path.unlink()
        self.status.setText(_("Mallen {o} heter nu {n}: {p}").format(o=e.name, n=new, p=path))
        self.refresh(path)
        return path

    def open_in_editor(self) -> bool:
        e = self.entry()
        if e is None or e.shipped:
            return False
        opened = QDesktopServices.openUrl(QUrl.fromLocalFile(str(e.path)))
        self.status.setText(
            _("Öppnad i redigeraren; tryck Kontrollera när du sparat.")
            if opened
            else _("Kunde inte öppna {p} i en redigerare.").format(p=e.path)
        )
        return opened

    def validate_template(self) -> list[str]:
        """Read the file again and check it, also against the database; the messages are shown."""
        from socdesk.reports import template as templates

        e = self.entry()
        if e is None:
            return []
        try:
            t = templates.load(e.path)
            messages = templates.check_against(t, self.ctx.store)
        except templates.TemplateError as err:
            messages = list(err.messages)
        self.messages.setPlainText("\n".join(messages) if messages else _("Mallen är giltig."))
        self.status.setText(
            _("{n} fel i {f}.").format(n=len(messages), f=e.path.name) if messages else _("Mallen är giltig.")
        )
        if bool(messages) != bool(e.errors):
            self.refresh(e.path)
            self.messages.setPlainText("\n".join(messages) if messages else _("Mallen är giltig."))
        return messages

    def preview_template(self) -> None:
        """The report the template makes (its board, else the chosen unit's board, at the
        latest period with utfall), built in the background, then the print preview."""
        from socdesk.reports import choice
        from socdesk.reports import template as templates

        e = self.entry()
        if e is None or e.errors:
            return
        try:
            t = templates.load(e.path)
        except templates.TemplateError as err:
            self.messages.setPlainText("\n".join(err.messages))
            return
        tree = self.ctx.store.unit_tree()
        roots = [r.code for r in tree.roots()]
        if t.board in tree:
            unit = t.board
        elif self.unit in tree:
            unit = tree.path(self.unit)[0].code
        elif roots:
            unit = roots[0]
        else:
            self.status.setText(_("Databasen har ingen nämnd att göra rapporten för."))
            return
        last = choice.latest_month(self.ctx.store, unit)
        period = choice.default_period(t.kind, last, self.month)
        self.status.setText(_("Gör rapporten {p} för förhandsgranskning …").format(p=period.label()))

        def work(store, signals):
            from socdesk.reports import compose
            from socdesk.reports.render import pdf_bytes

            report = compose.build(store, t, unit, period)
            signals.check()
            return report, pdf_bytes(report)

        self.runner.start(work)

    def _failed(self, message: str) -> None:
        self.status.setText(_("Rapporten kunde inte göras: {m}").format(m=message))

    def _previewed(self, result: Any) -> None:
        from socdesk.gui.printing import preview_report

        report, pdf = result
        self.previewed = report
        self.status.setText(_("Förhandsgranskning av {t}.").format(t=report.title))
        preview_report(report, self, self.ctx.database_path, pdf)

    # --- report settings ----------------------------------------------------------------------
    def _choose_logo(self) -> None:
        current = self.fields["report.logo"].text()
        chosen = file_dialogs.open_file(
            self,
            _("Välj logotyp"),
            str(Path(current).parent) if current else "",
            _("Bilder (*.png *.jpg *.jpeg *.svg)"),
            self.ctx.database_path,
        )
        if chosen is not None:
            self.fields["report.logo"].setText(str(chosen))

    def store_settings(self) -> bool:
        """Keep the title page's facts with the database (a logo that is not a file is refused)."""
        if self.ctx.readonly:
            return False
        logo = self.fields["report.logo"].text().strip()
        if logo and not Path(logo).is_file():
            self.status.setText(_("Logotypen {p} finns inte; inställningarna sparades inte.").format(p=logo))
            return False
        for key, edit in self.fields.items():
            self.ctx.store.set_setting(key, edit.text().strip())
        self.status.setText(_("Rapportinställningarna är sparade."))
        return True

    def done(self, result: int) -> None:
        self.runner.shutdown()
        super().done(result)
