"""A save killed half-way (SIGKILL, as in a power cut or a task-manager kill): the database is
intact, holds all or none of that save, and the typing is offered back on the next start."""

import os
import signal
import subprocess
import sys
import textwrap

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from socdesk.core.facts import Scenario
from socdesk.core.periods import Period
from socdesk.gui.context import AppContext
from socdesk.gui.main_window import MainWindow
from socdesk.io.seeds import open_database
from socdesk.store.backup import integrity_problems

FORM = "utfall:ekonomi:771:2024-06"
TYPED = {"7762": "3 412,5", "7764": "−12", "7711": "1 712"}

# Types into the real grid in a real window, then saves; the store method named by the test
# kills the process the moment it is called during the save.
CHILD = textwrap.dedent(
    """
    import os, signal, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication
    from socdesk.core.periods import Month
    from socdesk.gui.context import AppContext
    from socdesk.gui.main_window import MainWindow
    from socdesk.io.seeds import open_database
    from socdesk.store import db

    path, settings, where, typed = sys.argv[1], sys.argv[2], sys.argv[3], eval(sys.argv[4])
    app = QApplication([])
    store = open_database(path)
    w = MainWindow(AppContext(store, QSettings(settings, QSettings.Format.IniFormat)))
    w.show()
    w.select_unit("771")
    w.period.set_month(Month(2024, 6))
    w.tabs.setCurrentWidget(w.register)
    entry = w.register.entry
    model = entry.model
    rows = {u.code: i for i, u in enumerate(model.form.units)}
    for code, text in typed.items():
        model.setData(model.index(rows[code], 0), text)
    entry.keep_draft()  # what the draft timer does a moment after typing

    def kill(self, *args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)
    setattr(db.Store, where, kill)
    entry.save_changes()
    print("not killed")
    """
)


def run_child(db, tmp_path, where):
    r = subprocess.run(
        [sys.executable, "-c", CHILD, str(db), str(tmp_path / "child.ini"), where, repr(TYPED)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == -signal.SIGKILL, r.stdout + r.stderr


@pytest.mark.parametrize(
    ("where", "saved"),
    [
        ("_refresh_rollup", False),  # inside the save's transaction: after the audit and fact rows
        ("clear_draft", True),  # after the commit, before the draft is cleared
    ],
)
def test_a_killed_save_leaves_all_or_nothing_and_the_draft(
    qtbot, demo_db, tmp_path, monkeypatch, where, saved
):
    before = open_database(demo_db)
    facts_before, audit_before = before.facts(), len(before.audit_rows())
    before.close()

    run_child(demo_db, tmp_path, where)

    assert integrity_problems(demo_db) == []
    store = open_database(demo_db)
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    netto = store.measures()["netto"]
    june = {c: store.value(c, netto, Scenario.ACTUAL, Period.month(2024, 6)) for c in TYPED}
    form_rows = [a for a in store.audit_rows() if a["source"] == "form"]
    if saved:
        assert {c: v.number for c, v in june.items()} == {
            "7762": 3_412_500,
            "7764": -12_000,
            "7711": 1_712_000,
        }
        assert len(form_rows) == 3 and len(store.audit_rows()) == audit_before + 3
    else:
        assert not any(v.is_number for v in june.values())
        assert store.facts() == facts_before and form_rows == [] and len(store.audit_rows()) == audit_before
    assert store.draft(FORM) == {f"{c}/0": t for c, t in TYPED.items()}

    # the next start offers the typing back, opens the form and restores it
    asked = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes
    )
    w = MainWindow(AppContext(store, QSettings(str(tmp_path / "next.ini"), QSettings.Format.IniFormat)))
    qtbot.addWidget(w)
    w.show()
    w.drafts.offer()
    entry = w.register.entry
    qtbot.waitUntil(lambda: entry.model is not None and entry.model.form.key == FORM)
    assert len(asked) == 1 and "osparade ändringar" in asked[0]
    model = entry.model
    rows = {u.code: i for i, u in enumerate(model.form.units)}
    assert {c: model.text(rows[c], 0) for c in TYPED} == TYPED
    if saved:  # already stored: nothing left to save
        assert not model.dirty
    else:
        assert sorted(model.form.units[r].code for r, _c in model.changed_cells()) == sorted(TYPED)
        assert entry.save_changes()
        assert store.value("7711", netto, Scenario.ACTUAL, Period.month(2024, 6)).number == 1_712_000
    assert store.draft(FORM) == {} or not model.dirty
    w.close()
    store.close()
    assert os.path.exists(demo_db)
