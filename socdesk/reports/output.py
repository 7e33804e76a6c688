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
        from socdesk.io.xlsx import write_report_xlsx

        write_report_xlsx(report, path)
    else:
        from socdesk.reports.render import report_pdf

        report_pdf(report, path, progress)
    return path
