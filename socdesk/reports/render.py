"""A report as a PDF: its HTML document (``socdesk.reports.htmldoc``) laid out by WeasyPrint as
tagged PDF/UA-1 – a structure tree of headings, paragraphs and tables with header cells, the
document language and title – which the accessibility law asks of what a kommun publishes.
There is one PDF path: the file saved, the print preview and the printout are the same pages
(the GUI rasterizes this PDF for the printer, ``socdesk.gui.printing``). No Qt here: the CLI
writes PDFs without a display.

A PDF is written to a temporary file and replaces the target only when complete
(``socdesk.files``)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from socdesk.files import atomic_path
from socdesk.reports.document import Report, report_html
from socdesk.reports.htmldoc import report_html as html_document

PDF_VARIANT = "pdf/ua-1"
Progress = Callable[[int, int], None] | None
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rendered:
    pages: int
    fits: bool  # no table wider than its page: nothing cut off
    layouts: int = 1  # 2: the first layout had a table wider than its page (seconds more)


def layout(report: Report, progress: Progress = None) -> Any:
    """The report laid out in pages (a ``weasyprint.Document``)."""
    return _layout(report, progress)[0]


def _layout(report: Report, progress: Progress = None) -> tuple[Any, int]:
    """The laid-out document and how many layouts it took. Each table is set in the largest
    type its words fit the page in (``htmldoc.table_type``), so one layout suffices; should a
    table still come out wider than its page, the whole report is laid out once more with
    every wide table in the smallest type – seconds more at a large board, so it is logged."""
    from weasyprint import HTML

    if progress is not None:
        progress(1, 4)
    document = HTML(string=report_html(report, for_print=True)).render(pdf_variant=PDF_VARIANT)
    layouts = 1
    if not fits(document):
        log.warning("%s: en tabell var bredare än sidan; rapporten sätts en gång till", report.title)
        tight = html_document(report, for_print=True, tight=True)
        document = HTML(string=tight).render(pdf_variant=PDF_VARIANT)
        layouts = 2
    if progress is not None:
        progress(2, 4)
    return document, layouts


def pdf_bytes(report: Report, progress: Progress = None) -> bytes:
    """The PDF as bytes: what the print preview and the printer are given."""
    document = layout(report, progress)
    data = document.write_pdf(pdf_variant=PDF_VARIANT)
    if progress is not None:
        progress(4, 4)
    return data


def report_pdf(report: Report, path: Path, progress: Progress = None) -> Rendered:
    document, layouts = _layout(report, progress)
    with atomic_path(Path(path)) as temp:
        if progress is not None:
            progress(3, 4)
        document.write_pdf(str(temp), pdf_variant=PDF_VARIANT)
    if progress is not None:
        progress(4, 4)
    return Rendered(len(document.pages), fits(document), layouts)


def fits(document: Any) -> bool:
    """True when every table (and figure) ends inside its page's text area: nothing cut off at
    the right edge."""
    for page in document.pages:
        box = page._page_box  # WeasyPrint's laid-out page: its boxes are plain data
        right = box.content_box_x() + box.width + 0.5
        for child in _descendants(box):
            wide = child.position_x + child.margin_width() > right
            if wide and type(child).__name__ in ("TableBox", "InlineReplacedBox", "BlockReplacedBox"):
                return False
    return True


def _descendants(box: Any):
    for child in getattr(box, "children", ()):
        yield child
        yield from _descendants(child)
