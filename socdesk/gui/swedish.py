"""Swedish number formats for Qt's own inputs (spin boxes, Qt's validators): ``1 234`` and
``1,5`` shown, and read as a Swedish user types them (a plain space or a no-break space)."""

from __future__ import annotations

from PySide6.QtCore import QLocale

SWEDISH = QLocale(QLocale.Language.Swedish, QLocale.Country.Sweden)


def use_swedish_numbers() -> None:
    """Make Swedish the locale of every widget created from now on (the app calls it at start)."""
    QLocale.setDefault(SWEDISH)
