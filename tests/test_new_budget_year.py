"""Nytt budgetår (issue 16 §3) through the command line, as a controller runs it: the demo's
2024 årsbudget + 3 % (one unit + 5 %) becomes 2025's, spread in twelfths; a 2025 figure already
entered stays as it is; the preview writes nothing; every written figure is audited."""

import hashlib
import subprocess
import sys
from decimal import Decimal

import pytest

from socdesk.core.facts import Scenario
from socdesk.core.numbers import format_number, round_half_up
from socdesk.core.periods import Period
from socdesk.io.seeds import open_database

NB = "\u00a0"


def socdesk(*args):
    return subprocess.run(
        [sys.executable, "-m", "socdesk", *map(str, args)], capture_output=True, text=True, timeout=120
    )


def budget(store, unit, period):
    v = store.value(unit, store.measures()["netto"], Scenario.BUDGET, period)
    return v.number if v.is_number else None


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "demo.db"
    assert socdesk("demo", "--db", path).returncode == 0
    return path


def test_new_year_from_last_years_budget_plus_percent_keeps_what_is_entered(db, tmp_path):
    entered = tmp_path / "2025.csv"
    entered.write_text(
        "enhet;period;mått;scenario;värde\n7762;2025;netto;budget;36000000\n", encoding="utf-8"
    )
    assert socdesk("import", entered, "--db", db).returncode == 0
    with open_database(db) as s:
        last = {u: budget(s, u, Period.year(2024)) for u in ("7711", "7712", "7762")}
        before_facts = s.facts_count()
    assert last["7711"] == Decimal("19991000")

    preview = socdesk(
        "budget",
        "new-year",
        "--db",
        db,
        "--from",
        "2024",
        "--to",
        "2025",
        "--percent",
        "3",
        "--unit",
        "771",
        "--preview",
    )
    assert preview.returncode == 0, preview.stderr
    assert "Förhandsvisning: inget sparades." in preview.stdout
    with open_database(db) as s:
        assert s.facts_count() == before_facts

    before = hashlib.sha256(db.read_bytes()).hexdigest()
    bad = socdesk("budget", "new-year", "--db", db, "--from", "2024", "--to", "2025", "--percent", "tre")
    assert bad.returncode != 0 and "--percent tre: skriv ett tal" in bad.stderr
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before

    r = socdesk(
        "budget",
        "new-year",
        "--db",
        db,
        "--from",
        "2024",
        "--to",
        "2025",
        "--percent",
        "3",
        "--percent",
        "7711=5",
        "--unit",
        "771",
    )
    assert r.returncode == 0, r.stderr
    assert "1 har redan budget 2025 och lämnas orörda." in r.stdout
    with open_database(db) as s:
        assert budget(s, "7711", Period.year(2025)) == round_half_up(last["7711"] * Decimal("1.05"))
        assert budget(s, "7712", Period.year(2025)) == round_half_up(last["7712"] * Decimal("1.03"))
        assert budget(s, "7762", Period.year(2025)) == Decimal("36000000")  # entered: untouched
        months = [budget(s, "7712", Period.month(2025, m)) for m in range(1, 13)]
        assert sum(months) == budget(s, "7712", Period.year(2025))  # twelfths, exactly
        assert max(months) - min(months) <= Decimal("0.01")
        assert budget(s, "7762", Period.month(2025, 1)) is None  # nothing added beside it
        from socdesk.core.facts import FactKey

        history = s.history(FactKey("7712", "netto", Scenario.BUDGET, Period.year(2025)))
        assert [h["source"] for h in history] == ["nytt-budgetar"]
        assert s.verify_audit().intact

    again = socdesk(
        "budget", "new-year", "--db", db, "--from", "2024", "--to", "2025", "--percent", "10", "--unit", "771"
    )
    assert again.returncode == 0 and "0 enheter får årsbudget 2025" in again.stdout  # all kept now
    with open_database(db) as s:
        assert budget(s, "7712", Period.year(2025)) == round_half_up(last["7712"] * Decimal("1.03"))


def test_new_year_from_utfall_and_the_refusals(db, tmp_path):
    r = socdesk("budget", "new-year", "--db", db, "--from", "2024", "--to", "2025", "--percent", "3")
    assert r.returncode != 0 and "flera nämnder: ange vilken med --unit" in r.stderr
    r = socdesk("budget", "new-year", "--db", db, "--from", "2024", "--to", "2023", "--unit", "771")
    assert r.returncode != 0 and "måste komma efter 2024" in r.stderr
    r = socdesk(
        "budget",
        "new-year",
        "--db",
        db,
        "--from",
        "2024",
        "--to",
        "2025",
        "--unit",
        "771",
        "--base",
        "utfall",
        "--spread",
        "Ingen sådan",
    )
    assert r.returncode != 0 and "Periodiseringen ”Ingen sådan” finns inte" in r.stderr
    r = socdesk(
        "budget",
        "new-year",
        "--db",
        db,
        "--from",
        "2023",
        "--to",
        "2024",
        "--unit",
        "771",
        "--base",
        "utfall",
        "--preview",
    )
    assert r.returncode == 0, r.stderr
    assert "ingen grund förra året" in r.stdout or "har redan budget 2024" in r.stdout


def test_the_dialog_previews_edits_a_units_percent_and_creates_the_budget(qtbot, workspace):
    """Period → Nytt budgetår as a user: 3 % typed for all, 5 % for 7711 in the preview, Skapa
    budget pressed; 7762's entered 2025 budget stays; the preview said so before."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialogButtonBox

    from socdesk.core.facts import Fact, FactKey
    from socdesk.core.values import Value

    window = workspace
    store = window.ctx.store
    store.write_facts(
        [Fact(FactKey("7762", "netto", Scenario.BUDGET, Period.year(2025)), Value.of(36_000_000))],
        source="form",
    )
    window.select_unit("771")
    last_7711 = budget(store, "7711", Period.year(2024))
    last_7712 = budget(store, "7712", Period.year(2024))
    window.new_year_action.trigger()
    dialog = window.new_year_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert (dialog.from_year.value(), dialog.to_year.value()) == (2024, 2025)
    dialog.percent.lineEdit().selectAll()
    qtbot.keyClicks(dialog.percent.lineEdit(), "3,0")
    dialog.percent.interpretText()
    rows = {dialog.table.item(r, 0).text()[:4]: r for r in range(dialog.table.rowCount())}
    assert dialog.table.item(rows["7762"], 4).text() == "finns redan – lämnas orörd"
    assert dialog.table.item(rows["7712"], 3).text() == f"8{NB}509{NB}860"  # 8 262 000 + 3 %
    view = dialog.table
    index = view.model().index(rows["7711"], 2)
    view.setCurrentIndex(index)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: view.indexWidget(index) is not None)
    editor = view.indexWidget(index)
    editor.selectAll()
    qtbot.keyClicks(editor, "5")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != view.State.EditingState)
    rows = {dialog.table.item(r, 0).text()[:4]: r for r in range(dialog.table.rowCount())}
    assert dialog.table.item(rows["7711"], 3).text() == format_number(
        round_half_up(last_7711 * Decimal("1.05")), 0
    )
    assert "har redan budget 2025 och lämnas orörda" in dialog.summary.text()
    create = next(b for b in dialog.buttons.buttons() if b.text() == "Skapa budget")
    qtbot.mouseClick(create, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert budget(store, "7711", Period.year(2025)) == round_half_up(last_7711 * Decimal("1.05"))
    assert budget(store, "7712", Period.year(2025)) == round_half_up(last_7712 * Decimal("1.03"))
    assert budget(store, "7762", Period.year(2025)) == Decimal("36000000")
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).text()
