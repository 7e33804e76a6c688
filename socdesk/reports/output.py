"""A report to a file: ``.pdf`` (tagged PDF/UA-1 from WeasyPrint: pages, running header, page
numbers), ``.xlsx`` (one sheet per table, numbers as numbers) or ``.html`` (the same document as
the PDF), each written whole or not at all (``socdesk.files``). The GUI prints the PDF's pages
(``socdesk.gui.printing``)."""

from __future__ import annotations

from pathlib import Path

from socdesk.core.errors import SocdeskError
from socdesk.core.i18n import _
from socdesk.files import write_atomic
from socdesk.reports.document import Report, report_html

SUFFIXES = (".pdf", ".xlsx", ".html")


def write_report(report: Report, path: str | Path, progress=None) -> Path:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise SocdeskError(_("{f}: skriv rapporten som .pdf, .xlsx eller .html.").format(f=path.name))
    if suffix == ".html":
        write_atomic(path, report_html(report))
    elif suffix == ".xlsx":
        from socdesk.io.xlsx import write_table

        sheets = []
        for i, t in enumerate(report.tables(), start=1):
            rows = [list(r) for r in t.rows]
            # under the table: the legend, then each row's footnotes named by the row's label
            below = ([t.legend] if t.legend else []) + [
                f"{t.rows[r][0]}: {note}" for r in sorted(t.notes) for note in t.notes[r]
            ]
            if below:
                rows.append([None] * len(t.columns))
                rows += [[line] + [None] * (len(t.columns) - 1) for line in below]
            name = f"{i} {t.title}"
            head = f"{report.title} – {t.title}" + (_(" – UTKAST") if report.draft else "")
            sheets.append((name, head, t.columns, rows))
        if not sheets:
            raise SocdeskError(_("Rapporten har inga tabeller att skriva till Excel."))
        write_table(path, sheets)
    else:
        from socdesk.reports.render import report_pdf

        report_pdf(report, path, progress)
    return path
