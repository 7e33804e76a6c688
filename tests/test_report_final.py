"""The final version of a report (issue 13 §5): findings acknowledged as errors in the source
document (audited, withdrawn but never deleted, void once the figures change), the report final
when nothing is left, kept as its decided version and printed again byte for byte – through
``socdesk ack`` / ``socdesk report --final`` / ``--reprint`` as processes, and through the
Rapporter dialog and Arkiv → Rapportmallar with qtbot."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from socdesk.core.periods import Month, Period
from socdesk.io.seeds import open_database
from socdesk.reports import template as templates
from socdesk.reports.board import Kind, build

NOTE = "Så står det i källdokumentet (Månadsuppföljning maj 2024, s. 2)"
TYPED_NOTE = "Som i kalldokumentet, s. 2"  # QTest types ASCII only


def socdesk(*args):
    return subprocess.run(
        [sys.executable, "-m", "socdesk", *map(str, args)], capture_output=True, text=True, timeout=300
    )


def pdf_text(path_or_bytes) -> str:
    from io import BytesIO

    source = BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else str(path_or_bytes)
    text = "".join(p.extract_text() for p in PdfReader(source).pages)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))  # ligatures (ﬁ) as letters


def listed(db: Path) -> dict[int, str]:
    """``socdesk ack``'s numbered list: number → line."""
    r = socdesk("ack", "--db", db)
    assert r.returncode == 0, r.stderr
    return {int(m[1]): m[2] for m in re.finditer(r"^\s*(\d+)\. (.*)$", r.stdout, re.MULTILINE)}


def number_of(db: Path, *words: str) -> int:
    hits = [n for n, line in listed(db).items() if all(w in line for w in words)]
    assert len(hits) == 1, hits
    return hits[0]


def test_an_acknowledgement_is_audited_survives_the_check_and_is_withdrawn_not_deleted(demo_db):
    n = number_of(demo_db, "sum_mismatch", "771 Äldreomsorg")
    r = socdesk("ack", "--db", demo_db, n, "--note", NOTE)
    assert r.returncode == 0, r.stderr
    assert f"Fynd {n} kvitterat (kvittering 1)" in r.stdout
    # the check run again (another process) finds it acknowledged
    assert "[kvittering 1" in listed(demo_db)[n] and NOTE in listed(demo_db)[n]
    again = socdesk("ack", "--db", demo_db, n, "--note", "igen")
    assert again.returncode == 1 and "redan kvitterat" in again.stderr
    with open_database(demo_db) as store:
        audit = [a for a in store.audit_rows() if a["scenario"] == "kvittering"]
        assert [(a["action"], a["unit_code"], a["measure"], a["period"]) for a in audit] == [
            ("insert", "771", "netto", "2024")
        ]
        assert NOTE in audit[0]["new_status"] and audit[0]["who"] == store.user
        report = store.verify_audit()
        assert report is not None and not report.breaks
    r = socdesk("ack", "--db", demo_db, "--withdraw", 1)
    assert r.returncode == 0 and "återtagen" in r.stdout, r.stderr
    assert "kvittering" not in listed(demo_db)[n]
    with open_database(demo_db) as store:
        (row,) = store.acks()  # still there, marked withdrawn
        assert row["withdrawn_at"] and row["withdrawn_by"] == store.user and row["note"] == NOTE
        assert store.acknowledged() == {}
        assert [a["action"] for a in store.audit_rows() if a["scenario"] == "kvittering"] == [
            "insert",
            "delete",
        ]
        assert not store.verify_audit().breaks
    twice = socdesk("ack", "--db", demo_db, "--withdraw", 1)
    assert twice.returncode == 1 and "redan återtagen" in twice.stderr


def test_bad_acknowledgements_are_refused_and_change_nothing(demo_db):
    before = hashlib.sha256(demo_db.read_bytes()).hexdigest()
    no_note = socdesk("ack", "--db", demo_db, 1)
    assert no_note.returncode == 1 and "--note" in no_note.stderr
    blank = socdesk("ack", "--db", demo_db, 1, "--note", "   ")
    assert blank.returncode == 1 and "--note" in blank.stderr
    nothing = socdesk("ack", "--db", demo_db, 999, "--note", "x")
    assert nothing.returncode == 1 and "inget fynd nummer 999" in nothing.stderr
    assert hashlib.sha256(demo_db.read_bytes()).hexdigest() == before


def test_an_acknowledgement_no_longer_applies_when_the_figure_changes(demo_db, tmp_path):
    n = number_of(demo_db, "sum_mismatch", "771 Äldreomsorg")
    assert socdesk("ack", "--db", demo_db, n, "--note", NOTE).returncode == 0
    before = socdesk(
        "report", "manad", "--db", demo_db, "--unit", "SN", "--period", "2024-05", "-o", tmp_path / "a.html"
    )
    assert before.returncode == 0, before.stderr
    assert "Kontroll: Budget Nettokostnad 2024 för 771" not in before.stdout
    assert "Kontroll: Budget Nettokostnad 2024 för 7779" in before.stdout  # the other one stands
    # the stated total is corrected by a new import: still wrong, but another figure
    fix = tmp_path / "rättelse.csv"
    fix.write_text("enhet;mått;scenario;period;värde\n771;netto;budget;2024;134 200 000\n", encoding="utf-8")
    imported = socdesk("import", fix, "--db", demo_db, "--replace")
    assert imported.returncode == 0, imported.stderr + imported.stdout
    after = socdesk(
        "report", "manad", "--db", demo_db, "--unit", "SN", "--period", "2024-05", "-o", tmp_path / "b.html"
    )
    assert "Kontroll: Budget Nettokostnad 2024 för 771 Äldreomsorg är 134 200 000 kr" in after.stdout.replace(
        "\u00a0", " "
    )
    assert "[kvittering" not in listed(demo_db)[number_of(demo_db, "sum_mismatch", "771 Äldreomsorg")]


def _write_missing_analyses(db: Path, unit: str, month: str) -> int:
    """The analyses of every flagged unit without one (what the controller writes in the
    Ekonomi tab; the GUI test below does it there)."""
    r = socdesk("deviations", "--db", db, "--period", month, "--unit", unit, "--flagged", "--json")
    assert r.returncode == 0, r.stderr
    rows = [row for row in json.loads(r.stdout) if not row["comment"]]
    with open_database(db) as store:
        for row in rows:
            store.add_comment(row["unit"], row["period"], f"Analys av {row['name']}.")
    return len(rows)


def test_the_final_report_is_kept_and_printed_again_byte_for_byte(demo_db, tmp_path):
    out = tmp_path / "manad.pdf"
    args = ("report", "manad", "--db", demo_db, "--unit", "SN", "--period", "2024-05")
    draft = socdesk(*args, "-o", out, "--final")
    assert draft.returncode == 1 and "utkast" in draft.stderr and "saknar avvikelseanalys" in draft.stderr
    assert not out.exists()
    assert "Inga beslutade versioner." in socdesk("finals", "--db", demo_db).stdout
    assert _write_missing_analyses(demo_db, "SN", "2024-05") > 15
    for words in (("sign_anomaly", "7779"), ("sum_mismatch", "771 Äldreomsorg")):
        assert socdesk("ack", "--db", demo_db, number_of(demo_db, *words), "--note", NOTE).returncode == 0
    made = socdesk(*args, "-o", out, "--final")
    assert made.returncode == 0, made.stderr
    assert "UTKAST" not in made.stdout and "Sparad som beslutad version 1" in made.stdout
    text = pdf_text(out)
    assert "UTKAST" not in text
    with open_database(demo_db) as store:  # the footnote at 771's row, instead of the check's message
        report = build(store, Kind.MONTHLY, "SN", Month(2024, 5))
    at_771 = [n for t in report.tables() for r, ns in t.notes.items() if t.row_keys[r] == "771" for n in ns]
    assert at_771 and all(
        n.endswith(f"delarna summerar till 139\u00a0324. Felet finns i källdokumentet: {NOTE}.")
        for n in at_771
    )
    assert f"Felet finns i källdokumentet: {NOTE}." in text  # printed under the table
    finals = socdesk("finals", "--db", demo_db)
    assert re.search(
        r"^1: manad SN maj 2024 – beslutad version sparad .* \(sha256 [0-9a-f]{12}\)$", finals.stdout, re.M
    )
    again = tmp_path / "igen.pdf"
    r = socdesk("report", "--reprint", 1, "--db", demo_db, "-o", again)
    assert r.returncode == 0, r.stderr
    assert again.read_bytes() == out.read_bytes()
    with open_database(demo_db) as store:
        (row,) = store.finals()
        assert row["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
        assert store.kept_template(row["template_hash"])[0] == "manad"
        assert row["data_version"].startswith("ändring ")
    # a decided version altered behind socdesk's back is not printed as if it were the decided one
    with sqlite3.connect(demo_db) as raw:
        raw.execute("UPDATE report_finals SET pdf = CAST('%PDF-1.7 ändrad' AS BLOB)")
    raw.close()
    tampered = socdesk("report", "--reprint", 1, "--db", demo_db, "-o", tmp_path / "x.pdf")
    assert tampered.returncode == 1 and "kontrollsumman stämmer inte" in tampered.stderr
    missing = socdesk("report", "--reprint", 7, "--db", demo_db, "-o", tmp_path / "y.pdf")
    assert missing.returncode == 1 and "ingen beslutad version 7" in missing.stderr


# --- through the dialogs ------------------------------------------------------------------------
def _reports_to_make() -> list[tuple[str, str]]:
    """(template, board) of the seeds' reports: every shipped template made for a board, and
    the generic månadsuppföljning on SN (003's board)."""
    out = []
    for path in templates.shipped():
        t = templates.load(path)
        if t.board:
            out.append((t.name, t.board))
        elif t.name == "manad":
            out.append(("manad", "SN"))
    return out


def click_item(qtbot, widget, item) -> None:
    from PySide6.QtCore import Qt

    widget.scrollToItem(item)
    qtbot.mouseClick(widget.viewport(), Qt.MouseButton.LeftButton, pos=widget.visualItemRect(item).center())
    assert widget.currentItem() is item


def rebuilt(qtbot, dialog, after: int) -> None:
    qtbot.waitUntil(lambda: dialog.runner.generation > after and dialog.report is not None, timeout=120_000)


def actionable(reason) -> bool:
    return bool(
        getattr(reason, "unit", "") or getattr(reason, "finding", None) or getattr(reason, "text_key", "")
    )


@pytest.mark.parametrize(("name", "board"), _reports_to_make())
def test_the_report_becomes_final_through_the_dialogs_and_is_printed_again_identically(
    qtbot, workspace, tmp_path, file_dialog_answers, name, board
):
    from PySide6.QtCore import Qt

    left = Qt.MouseButton.LeftButton
    w, store = workspace, workspace.ctx.store
    assert board in w.tree
    w.report_action.trigger()
    dialog = w.report_dialog
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=120_000)
    if dialog.templates.currentData() != name:
        generation = dialog.runner.generation
        dialog.templates.setCurrentIndex(dialog.templates.findData(name))
        rebuilt(qtbot, dialog, generation)
    if dialog.scope.currentData() != board:
        generation = dialog.runner.generation
        dialog.scope.setCurrentIndex(dialog.scope.findData(board))
        rebuilt(qtbot, dialog, generation)
    assert (dialog.report.template, dialog.scope.currentData()) == (name, board)
    period = dialog.chosen_period()
    assert not dialog.save_final.isEnabled() or not dialog.report.draft
    first = dialog.report.draft_reasons
    named = {
        "analysis": sum(bool(getattr(r, "unit", "")) for r in first),
        "ack": sum(getattr(r, "finding", None) is not None for r in first),
        "text": sum(bool(getattr(r, "text_key", "")) for r in first),
    }
    done = dict.fromkeys(named, 0)
    written: set[str] = set()
    while dialog.report.draft:
        generation = dialog.runner.generation
        acted = []
        for row, reason in enumerate(list(dialog.shown)):  # the whole list, then it is made again
            if not actionable(reason):
                continue
            if dialog.runner.generation != generation:  # made again meanwhile: start over
                break
            click_item(qtbot, dialog.reasons, dialog.reasons.item(row))
            if reason.unit:  # opened in the main window, written in its analysis box
                qtbot.mouseClick(dialog.open_unit, left)
                assert w.economy.comment_title.text().startswith(
                    f"Avvikelseanalys för {w.tree[reason.unit].label},"
                )
                qtbot.keyClicks(w.economy.comment, f"Analys {reason.unit}.")  # QTest types ASCII only
                qtbot.mouseClick(w.economy.save_comment, left)
                done["analysis"] += 1
            elif reason.finding is not None:  # an error in the source document: acknowledged
                assert not dialog.acknowledge.isEnabled()  # not without a note
                qtbot.keyClicks(dialog.note, TYPED_NOTE)
                qtbot.mouseClick(dialog.acknowledge, left)
                done["ack"] += 1
            else:
                qtbot.mouseClick(dialog.write_text, left)
                assert (
                    dialog.tabs.currentWidget() is dialog.texts
                    and dialog.texts.current_key() == reason.text_key
                )
                qtbot.keyClicks(dialog.texts.editor, f"Text {reason.text_key}.")
                qtbot.mouseClick(dialog.texts.save, left)
                written.add(reason.text_key)
                done["text"] += 1
            assert dialog.reasons.item(row).text().startswith("✓ ")  # ticked until the list is made again
            acted.append(str(reason))
        assert acted, "Kvar att göra men inget att göra något åt: " + "; ".join(dialog.shown)
        rebuilt(qtbot, dialog, generation)
        assert not set(acted) & set(dialog.report.draft_reasons)
    assert all(done[k] >= named[k] for k in named), (done, named)
    assert (
        dialog.status.text() == "Klar för nämnden."
        and dialog.reasons.item(0).text() == "Inget – rapporten är klar."
    )
    assert dialog.save_final.isEnabled()
    qtbot.mouseClick(dialog.save_final, left)
    qtbot.waitUntil(lambda: dialog.finals.count() == 1, timeout=120_000)
    (row,) = store.finals(template=name)
    assert (row["unit"], row["period"]) == (board, str(period))
    stored = store.final_pdf(row["id"])
    assert row["sha256"] == hashlib.sha256(stored).hexdigest()
    printed = pdf_text(stored)
    assert "UTKAST" not in printed
    for key in written:  # the texts written in the dialog are printed
        assert f"Text {key}." in printed
    # Skriv ut igen: the stored bytes, through the file dialog
    click_item(qtbot, dialog.finals, dialog.finals.item(0))
    target = tmp_path / "igen.pdf"
    asked = file_dialog_answers([target])
    qtbot.mouseClick(dialog.reprint_button, left)
    assert asked == ["Skriv ut den beslutade versionen igen"]
    assert target.read_bytes() == stored
    # the dialog remembers the last report
    dialog.reject()
    w.report_action.trigger()
    again = w.report_dialog
    assert again is not dialog
    assert (again.templates.currentData(), again.scope.currentData(), again.chosen_period()) == (
        name,
        board,
        period,
    )
    qtbot.waitUntil(lambda: again.report is not None, timeout=120_000)
    assert not again.report.draft and again.finals.count() == 1
    again.reject()


def test_rapportmallar_copies_renames_opens_validates_and_previews_a_template(qtbot, workspace, monkeypatch):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtPrintSupport import QPrintPreviewDialog
    from PySide6.QtWidgets import QInputDialog

    left = Qt.MouseButton.LeftButton
    w = workspace
    w.templates_action.trigger()
    dialog = w.templates_dialog
    labels = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert "Månadsuppföljning: manad (medföljer)" in labels
    assert len(labels) == len(templates.shipped())  # no own templates yet
    click_item(qtbot, dialog.list, dialog.list.item(labels.index("Månadsuppföljning: manad (medföljer)")))
    assert not dialog.edit.isEnabled() and not dialog.rename.isEnabled()  # a shipped one is copied first
    names = iter([("manad-egen", True)])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: next(names))
    qtbot.mouseClick(dialog.copy, left)
    own = templates.user_dir() / "manad-egen.toml"
    assert own.exists() and 'name = "manad-egen"' in own.read_text(encoding="utf-8")
    assert dialog.list.currentItem().text() == "Månadsuppföljning: manad-egen (egen)"
    # rename the own copy
    names = iter([("manad-kommun", True)])
    qtbot.mouseClick(dialog.rename, left)
    renamed = templates.user_dir() / "manad-kommun.toml"
    assert renamed.exists() and not own.exists()
    assert dialog.list.currentItem().text() == "Månadsuppföljning: manad-kommun (egen)"
    # open it in the system's editor; the controller edits it there
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    qtbot.mouseClick(dialog.edit, left)
    assert opened == [str(renamed)]
    text = renamed.read_text(encoding="utf-8")
    renamed.write_text(
        text.replace('type = "page_break"', 'type = "heading"\ntext = "Verksamheterna i detalj"', 1),
        encoding="utf-8",
    )
    qtbot.mouseClick(dialog.validate, left)
    assert dialog.messages.toPlainText() == "Mallen är giltig."
    # preview: built in the background, then the print preview of it
    painted = []
    monkeypatch.setattr(QPrintPreviewDialog, "exec", lambda preview: painted.append(preview) or 0)
    qtbot.mouseClick(dialog.preview, left)
    qtbot.waitUntil(lambda: bool(painted), timeout=120_000)
    report = dialog.previewed
    assert report.template == "manad-kommun" and "Verksamheterna i detalj" in [
        b.text for b in report.blocks if type(b).__name__ == "Heading"
    ]
    # a mistake is shown with the file, the section and the key
    renamed.write_text(text.replace('label = "Budget"', 'lable = "Budget"', 1), encoding="utf-8")
    qtbot.mouseClick(dialog.validate, left)
    shown = dialog.messages.toPlainText()
    assert "manad-kommun.toml" in shown and "avsnitt" in shown and "lable" in shown
    assert dialog.list.currentItem().text() == "manad-kommun.toml (egen) – fel i mallen"
    assert not dialog.preview.isEnabled() and dialog.edit.isEnabled()  # mend it in the editor
    dialog.reject()


def test_report_settings_are_kept_and_printed_on_the_title_page(qtbot, workspace, tmp_path):
    from PySide6.QtCore import Qt

    left = Qt.MouseButton.LeftButton
    w, store = workspace, workspace.ctx.store
    w.templates_action.trigger()
    dialog = w.templates_dialog
    fields = dialog.fields
    qtbot.keyClicks(fields["report.namnd"], "Socialnamnden")
    qtbot.keyClicks(fields["report.diarienummer"], "SN 2024/118")
    qtbot.keyClicks(fields["report.sammantradesdatum"], "2024-06-12")
    qtbot.keyClicks(fields["report.logo"], str(tmp_path / "finns-inte.png"))
    qtbot.mouseClick(dialog.save_settings, left)
    assert "finns inte" in dialog.status.text() and store.setting("report.diarienummer") is None
    logo = tmp_path / "logo.png"
    logo.write_bytes(bytes.fromhex("89504e470d0a1a0a"))
    fields["report.logo"].clear()
    qtbot.keyClicks(fields["report.logo"], str(logo))
    qtbot.mouseClick(dialog.save_settings, left)
    assert dialog.status.text() == "Rapportinställningarna är sparade."
    assert store.settings_starting("report.") == {
        "diarienummer": "SN 2024/118",
        "logo": str(logo),
        "namnd": "Socialnamnden",
        "sammantradesdatum": "2024-06-12",
    }
    dialog.reject()
    w.report_action.trigger()
    reports = w.report_dialog
    qtbot.waitUntil(lambda: reports.report is not None, timeout=120_000)
    page = reports.report.title_page
    assert (page.board, page.diarienummer, page.meeting, page.logo) == (
        "Socialnamnden",
        "SN 2024/118",
        "2024-06-12",
        str(logo),
    )
    reports.reject()


@pytest.mark.parametrize(
    ("name", "magic"), [("manad.pdf", b"%PDF"), ("manad.xlsx", b"PK"), ("manad.html", b"<!DOCTYPE html")]
)
def test_spara_som_button_asks_for_a_file_and_writes_it(
    qtbot, workspace, tmp_path, file_dialog_answers, name, magic
):
    """Spara som pressed, in each of its three formats, the file chosen in the file dialog."""
    from PySide6.QtCore import Qt

    w = workspace
    w.report_action.trigger()
    dialog = w.report_dialog
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=120_000)
    target = tmp_path / name
    asked = file_dialog_answers([target])
    qtbot.mouseClick(dialog.save, Qt.MouseButton.LeftButton)  # clicked(bool) is not taken as a path
    assert asked == ["Spara rapporten"]
    qtbot.waitUntil(lambda: "sparad" in dialog.status.text(), timeout=120_000)
    assert target.read_bytes()[: len(magic)].lower() == magic.lower()
    dialog.reject()


def test_a_tertial_defaults_to_the_latest_complete_one_and_an_incomplete_one_is_stated():
    from socdesk.reports.choice import choices, default_period, incomplete_note

    today = Month(2026, 12)
    assert str(default_period("tertial", Month(2024, 6), today)) == "2024-T1"
    assert [str(p) for p in choices("tertial", Month(2024, 6), today)[:3]] == [
        "2024-T2",
        "2024-T1",
        "2023-T3",
    ]
    assert [str(p) for p in choices("tertial", Month(2024, 4), today)[:2]] == ["2024-T2", "2024-T1"]
    assert str(default_period("tertial", Month(2024, 4), today)) == "2024-T1"
    assert str(default_period("tertial", Month(2024, 8), today)) == "2024-T2"
    assert str(default_period("tertial", Month(2024, 2), today)) == "2023-T3"
    assert incomplete_note("tertial", Period.tertial(2024, 2), Month(2024, 6)) == (
        "Tertialen är inte komplett: utfall finns till och med jun 2024."
    )
    assert incomplete_note("tertial", Period.tertial(2024, 1), Month(2024, 6)) == ""
    assert str(default_period("statistik", Month(2024, 12), today)) == "2024"
    assert str(default_period("manad", None, today)) == "2026-12"


def test_the_dialog_offers_the_latest_complete_tertial_and_says_when_one_is_not(qtbot, workspace):
    w = workspace
    w.report_action.trigger()
    dialog = w.report_dialog
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=120_000)
    generation = dialog.runner.generation
    dialog.templates.setCurrentIndex(dialog.templates.findData("tertial-nacka"))
    rebuilt(qtbot, dialog, generation)
    assert dialog.scope.currentData() == "N"  # the template's board
    assert str(dialog.chosen_period()) == "2023-T1"  # 004's utfall runs to april 2023
    assert dialog.period_note.text() == "" and not dialog.report.title_page.notes
    generation = dialog.runner.generation
    dialog.period.setCurrentIndex(dialog.period.findData("2023-T2"))
    rebuilt(qtbot, dialog, generation)
    (note,) = dialog.report.title_page.notes  # the one the title page prints, shown in the dialog
    assert note.startswith("Tertialen är inte komplett: ") and dialog.period_note.text() == note
    dialog.reject()
