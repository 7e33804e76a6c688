"""The application object passed to the widgets that need it (no globals, no singletons)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QSettings

from socdesk.core.numbers import Scale
from socdesk.store.db import Store


@dataclass
class AppContext:
    store: Store
    settings: QSettings
    scale: Scale = field(default=Scale.TKR)
    readonly: bool = False
    backups: Path | None = None
    log_path: Path | None = None
    basedir: Path | None = None  # the data folder's --basedir (report templates …); None: the user's

    @property
    def database_path(self) -> Path:
        return self.store.path
