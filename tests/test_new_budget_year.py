"""Nytt budgetår (issue 16 §3) through the command line, as a controller runs it: the demo's
2024 årsbudget + 3 % (one unit + 5 %) becomes 2025's, spread in twelfths; a 2025 figure already
entered stays as it is; the preview writes nothing; every written figure is audited."""

import hashlib
import subprocess
import sys
from decimal import Decimal

import pytest

from socdesk.core.facts import Scenario
from socdesk.core.numbers import round_half_up
from socdesk.core.periods import Period
from socdesk.io.seeds import open_database


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
