"""Typed options over ``QSettings`` (INI in the data folder), each with its default.

QSettings writes the INI atomically (QSaveFile: a temporary file in the same folder, fdatasync,
renamed over the old one; ``isAtomicSyncRequired()`` is true by default, so it never falls back
to writing in place). A process killed in the instant between naming that temporary file and
renaming it leaves it behind; ``open_settings`` removes such leftovers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QSettings

T = TypeVar("T")


@dataclass(frozen=True)
class Option(Generic[T]):
    key: str
    type: type
    default: T

    def get(self, s: QSettings) -> T:
        value = s.value(self.key, self.default)
        if self.type is list:
            if value in (None, ""):
                return list(self.default)  # type: ignore[call-overload,return-value]
            return [str(v) for v in (value if isinstance(value, list) else [value])]  # type: ignore[return-value]
        try:
            return self.type(value)  # type: ignore[no-any-return]
        except (TypeError, ValueError):
            return self.default

    def set(self, s: QSettings, value: T) -> None:
        s.setValue(self.key, value)


LAST_DATABASE: Option[str] = Option("database/last", str, "")
RECENT: Option[list] = Option("database/recent", list, [])
SCALE: Option[str] = Option("workspace/scale", str, "tkr")
ROLE: Option[str] = Option("user/role", str, "handlaggare")
# The Ekonomi table's columns, chosen in its column menu (keys of ``economy_model.COLUMNS``;
# "unit" is always among them, so the list is never empty)
ECONOMY_COLUMNS: Option[list] = Option(
    "economy/columns",
    list,
    [
        "unit",
        "flag",
        "actual",
        "budget",
        "variance",
        "variance_pct",
        "annual_budget",
        "used_pct",
        "forecast",
        "forecast_variance",
    ],
)
MAX_RECENT = 8


def open_settings(folder: Path) -> QSettings:
    from socdesk.files import remove_qt_save_leftovers

    path = folder / "socdesk.ini"
    remove_qt_save_leftovers(path)
    return QSettings(str(path), QSettings.Format.IniFormat)


def remember_database(s: QSettings, path: Path) -> None:
    LAST_DATABASE.set(s, str(path))
    recent = [p for p in RECENT.get(s) if p != str(path)]
    RECENT.set(s, [str(path), *recent][:MAX_RECENT])


def options() -> dict[str, Any]:
    return {o.key: o.default for o in (LAST_DATABASE, RECENT, SCALE, ROLE, ECONOMY_COLUMNS)}
