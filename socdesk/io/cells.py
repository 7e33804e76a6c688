"""Text that no spreadsheet runs: the one rule for every export (CSV, XLSX, HTML), defined in
``socdesk.core.cells`` (``formula_like``).

A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula
to Excel and LibreOffice (OWASP, "CSV Injection"). XLSX marks such a cell as text with a quote
prefix (the text itself unchanged), HTML gives it Excel's text format, and CSV, which has no
cell types, gets a leading apostrophe. So that socdesk's own import can undo exactly that, a
CSV text that itself starts with an apostrophe gets one more. Numbers are never text here: a
negative amount stays a number.
"""

from __future__ import annotations

from socdesk.core.cells import FORMULA_START
from socdesk.core.cells import formula_like as formula_like  # where the exporters found it

QUOTE = "'"
CSV_ESCAPED = (*FORMULA_START, QUOTE)  # each one character


def csv_text(text: str) -> str:
    """A text cell for a CSV file: ``'`` before a formula-like text or one starting with ``'``."""
    return QUOTE + text if text.startswith(CSV_ESCAPED) else text


def csv_untext(text: str) -> str:
    """The text ``csv_text`` was given: one leading ``'`` removed where it added one. Any other
    text (an apostrophe before a letter, say) is kept as it is."""
    if text.startswith(QUOTE) and text[1:].startswith(CSV_ESCAPED):
        return text[1:]
    return text
