"""Table cells and columns, whatever the file format: a column's title and kind, and the one
rule for text that no spreadsheet may run (every export – CSV, XLSX, HTML – applies it).

A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula
to Excel and LibreOffice (OWASP, "CSV Injection"). How each format keeps such a text a text is
its writer's business (``socdesk.io.cells`` for CSV, ``socdesk.io.xlsx``,
``socdesk.reports.document`` for HTML). Numbers are never text here: a negative amount stays a
number.
"""

from __future__ import annotations

from dataclasses import dataclass

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_like(text: str) -> bool:
    """Would a spreadsheet read this text as a formula?"""
    return text.startswith(FORMULA_START)


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = "text"  # text, money (whole), money1 (one decimal), pct, number
    width: int | None = None
