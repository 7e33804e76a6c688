"""The final version of a report to the nämnd (issue 13 §5).

A report is final when nothing remains on its remaining-work list: every flagged row has an
analysis, every template text is written, and every finding of ``socdesk check`` is either gone
or acknowledged by a controller as an error in the source document ("felet finns i
källdokumentet"). An acknowledged finding does not block; its note is printed in the footnote at
its row instead (``acknowledged_note``, which the template engine calls for each footnote).

A final report is kept as its decided version ("beslutad version"): the PDF's exact bytes in
the database (``store.finals``), printed again byte for byte by ``reprint``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from socdesk.core.checks import Finding
from socdesk.core.errors import SocdeskError
from socdesk.core.i18n import _
from socdesk.core.periods import parse_period
from socdesk.reports.document import Report
from socdesk.store.acks import SOURCE_ERROR
from socdesk.store.db import Store

REASONS = {SOURCE_ERROR: _("felet finns i källdokumentet")}


def _exact(v: Decimal | None) -> str | None:
    return None if v is None else format(v.normalize(), "f")


def finding_key(f: Finding) -> str:
    """A finding's stable name: its rule, its cell and the figures it compares. Running the
    check again gives the same key; a change of the stated figure, or of the figures it is
    compared with (the computed one), gives another, so an acknowledgement no longer applies."""
    return json.dumps(
        {
            "rule": f.rule,
            "unit": f.unit,
            "measure": f.measure,
            "scenario": f.scenario,
            "period": f.period,
            "gender": f.gender,
            "group": f.group,
            "version": f.version,
            "stated": _exact(f.stated),
            "computed": _exact(f.computed),
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def open_findings(store: Store, findings: Iterable[Finding]) -> list[Finding]:
    """The findings nobody has acknowledged: what still stands between a report and final."""
    acked = store.acknowledged()
    return [f for f in findings if finding_key(f) not in acked]


class Reason(str):
    """A line of the remaining-work list (``Report.draft_reasons``), with what it is about, so
    the Rapporter dialog can act on it: ``unit`` (a flagged unit without analysis), ``finding``
    (a finding to acknowledge) or ``text_key`` (a template text not written)."""

    unit: str = ""
    finding: Finding | None = None
    text_key: str = ""

    def __new__(cls, text: str, *, unit: str = "", finding: Finding | None = None, text_key: str = ""):
        reason = super().__new__(cls, text)
        reason.unit, reason.finding, reason.text_key = unit, finding, text_key
        return reason


def ack_text(note: str) -> str:
    """The footnote's words for an acknowledged finding: the reason and the controller's note,
    no codes or formula names."""
    return _("Felet finns i källdokumentet: {n}").format(n=note.strip().rstrip(".") + ".")


def acknowledged_note(finding: Finding, acked: dict[str, dict]) -> str:
    """What the footnote about a finding at its row adds where it is acknowledged
    (``store.acknowledged()``): " Felet finns i källdokumentet: <the note>." ("" where not).
    The template engine calls it for every footnote it prints (``compose.Composer.footnote``)."""
    a = acked.get(finding_key(finding))
    return "" if a is None else " " + ack_text(a["note"])


# --- decided versions ---------------------------------------------------------------------------
def pdf_bytes(report: Report) -> bytes:
    """The report as the PDF that ``socdesk report -o x.pdf`` writes."""
    from socdesk.reports.render import pdf_bytes as rendered

    return rendered(report)


def draft_message(report: Report) -> str:
    """Why a draft cannot be kept as the decided version ("" for a final report)."""
    if not report.draft:
        return ""
    return _(
        "Rapporten är ett utkast och kan inte sparas som beslutad version: {n} saker återstår (först: {r})"
    ).format(n=len(report.draft_reasons), r=report.draft_reasons[0])


def refuse_draft(report: Report) -> None:
    if report.draft:
        raise SocdeskError(draft_message(report))


def save_final(store: Store, report: Report, unit: str, period: str, pdf: bytes | None = None) -> int:
    """Keep the final report's PDF as its decided version (refused while it is a draft);
    ``pdf`` is the rendered report (made here if not given). Returns the version's id."""
    refuse_draft(report)
    if not report.template_hash:
        raise SocdeskError(_("Rapporten är inte gjord från en rapportmall och kan inte sparas som beslutad."))
    return store.save_final(
        report.template,
        report.template_hash,
        unit,
        period,
        report.data_version,
        pdf if pdf is not None else pdf_bytes(report),
    )


def reprint(store: Store, final_id: int, target: str | Path) -> Path:
    """Write a decided version's stored PDF to ``target``, byte for byte."""
    from socdesk.files import write_atomic

    return write_atomic(target, store.final_pdf(final_id))


def final_label(row: dict) -> str:
    """A decided version as listed: number, report, unit, period, when and by whom."""
    return _("{id}: {t} {u} {p} – beslutad version sparad {at} av {who} (sha256 {h})").format(
        id=row["id"],
        t=row["template"],
        u=row["unit"],
        p=parse_period(row["period"]).label(),
        at=row["created_at"][:16].replace("T", " "),
        who=row["created_by"],
        h=row["sha256"][:12],
    )
