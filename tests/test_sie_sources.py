"""SIE as programs write it (issue 14 §3), on small files made here: which source each figure
comes from (period balance or the vouchers' sum, per account, month and cost centre), year
indexes that contradict their period, duplicate #PSALDO, encodings, and the controller's checks."""

import zlib
from decimal import Decimal

import pytest

from socdesk.core.facts import Scenario
from socdesk.io import importer
from socdesk.io.seeds import open_database
from socdesk.io.sie import needs_unit, parse_sie
from socdesk.io.tables import TableError

HEAD = (
    '#FLAGGA 0\n#FORMAT PC8\n#SIETYP 4\n#FNAMN "Socialnämnden Testköping"\n#RAR 0 20240101 20241231\n'
    '#RAR -1 20230101 20231231\n#DIM 1 "Kostnadsställe"\n#OBJEKT 1 "7762" "Hemtjänst"\n'
    '#KONTO 3010 "Avgifter"\n#KONTO 4010 "Löner"\n#KONTO 1930 "Bank"\n'
)


def sie(text: str, encoding: str = "cp437") -> bytes:
    return (HEAD + text).replace("\n", "\r\n").encode(encoding)


def sums(parsed) -> dict[tuple[str, str, str], Decimal]:
    return {
        (r.unit, r.measure, str(r.period.start)): r.value.number
        for r in parsed.records
        if r.scenario is Scenario.ACTUAL
    }


def test_vouchers_fill_the_months_and_accounts_the_period_balances_lack():
    """A 4E file with #PSALDO per object for some accounts and months and #VER for the rest:
    before, the vouchers were dropped as soon as one #PSALDO carried an object."""
    text = (
        '#PSALDO 0 202409 3010 {1 "7762"} -1383.00\n'
        "#PSALDO 0 202409 3010 {} -1383.00\n"
        '#VER A 1 20240915 "Avgifter"\n{\n#TRANS 3010 {1 "7762"} -1383.00\n#TRANS 1930 {} 1383.00\n}\n'
        '#VER A 2 20240920 "Lön"\n{\n#TRANS 4010 {1 "7762"} 26643.00\n#TRANS 1930 {} -26643.00\n}\n'
        '#VER A 3 20241005 "Oktober"\n{\n#TRANS 3010 {1 "7762"} -500.00\n#TRANS 4010 {1 "7762"} 900.00\n'
        "#TRANS 1930 {} -400.00\n}\n"
    )
    parsed = parse_sie(sie(text), "4e.se")
    got = sums(parsed)
    assert got[("7762", "intakter", "2024-09")] == Decimal("-1383.00")  # the balance, not twice
    assert got[("7762", "kostnader", "2024-09")] == Decimal("26643.00")  # from the voucher
    assert got[("7762", "intakter", "2024-10")] == Decimal("-500.00")  # October kept
    assert got[("7762", "netto", "2024-10")] == Decimal("400.00")
    assert (
        "4e.se: utfallet togs från periodsaldon (#PSALDO) för 1 konto, månad och objekt och summerades från "
        "verifikationerna (#TRANS) för 3 konto, månad och objekt som saknar periodsaldo." in parsed.notes
    )


def test_a_period_balance_that_disagrees_with_its_vouchers_is_used_and_said():
    text = '#PSALDO 0 202405 4010 {1 "7762"} 500.00\n#VER A 1 20240510 ""\n{\n#TRANS 4010 {1 "7762"} 400.00\n#TRANS 1930 {} -400.00\n}\n'
    parsed = parse_sie(sie(text), "b.se")
    assert sums(parsed)[("7762", "kostnader", "2024-05")] == Decimal("500.00")
    assert (
        "b.se: 1 periodsaldo skiljer sig från verifikationernas summa; periodsaldot lästes in: 7762 konto 4010 "
        "202405: periodsaldo 500.00, verifikationer 400.00 (rad 12)." in parsed.notes
    )


def test_year_index_contradicting_the_period_is_read_by_the_date_and_counted():
    rows = "".join(f'#PSALDO 0 2023{m:02d} 4010 {{1 "7762"}} {m}00.00\n' for m in range(1, 13))
    parsed = parse_sie(sie(rows), "år.se")
    assert sums(parsed)[("7762", "kostnader", "2023-03")] == Decimal("300.00")
    (note,) = [n for n in parsed.notes if "årsnummer" in n]
    assert note.startswith(
        "år.se: 12 poster (#PSALDO/#PBUDGET) har årsnummer som motsäger perioden; periodens eget datum gällde "
        "(rad 12: 202301 med årsnummer 0 (20240101–20241231), läst som år -1; rad 13: 202302"
    )


def test_every_period_outside_the_years_is_counted_right():
    """276 bad rows say 276: 20 listed, then "… och 256 fel till"."""
    rows = "".join(f'#PSALDO 0 2019{1 + i % 12:02d} {4000 + i} {{1 "7762"}} 1.00\n' for i in range(276))
    with pytest.raises(TableError) as err:
        parse_sie(sie(rows), "ut.se")
    assert err.value.total == 276
    assert str(err.value).splitlines()[-1] == "… och 256 fel till (samma slag: #PSALDO)"


def test_overlapping_years_that_the_index_does_not_settle_are_refused():
    text = "#RAR -2 20230701 20240630\n" + '#PSALDO 5 202401 4010 {1 "7762"} 1.00\n'
    with pytest.raises(TableError, match=r"perioden 202401 ligger i flera av filens räkenskapsår \(-2, 0\)"):
        parse_sie(sie(text), "två.se")


def test_duplicate_period_balances_dropped_when_equal_and_refused_when_not():
    same = '#PSALDO 0 202405 4010 {1 "7762"} 100.00\n' * 2
    parsed = parse_sie(sie(same), "d.se")
    assert sums(parsed)[("7762", "kostnader", "2024-05")] == Decimal("100.00")  # not 200
    assert (
        "d.se: 1 post (#PSALDO/#PBUDGET) fanns två gånger med samma belopp och lästes en gång (rad 13 = rad 12)."
        in parsed.notes
    )
    differ = '#PSALDO 0 202405 4010 {1 "7762"} 100.00\n#PSALDO 0 202405 4010 {1 "7762"} 250.00\n'
    with pytest.raises(TableError) as err:
        parse_sie(sie(differ), "d.se")
    assert str(err.value) == (
        'd.se, rad 13 (#PSALDO): konto 4010, period 202405, objekt {1 "7762"} står redan på rad 12 med ett annat '
        "belopp (100.00 mot 250.00); det går inte att veta vilket som gäller."
    )


def test_latin9_and_cp437_are_told_apart_by_the_swedish_letters():
    text = '#PSALDO 0 202405 4010 {1 "7762"} 1.00\n'
    cp437 = parse_sie(sie(text), "pc8.se")
    assert cp437.names["7762"] == "Hemtjänst" and not cp437.notes
    latin = parse_sie(sie(text, "iso-8859-15"), "latin.se")
    assert latin.names["7762"] == "Hemtjänst"
    assert latin.notes[0].startswith(
        "latin.se: filen är sparad i ISO-8859-15 (Latin-9), inte i teckentabell 437"
    )


def test_replacement_characters_are_refused_saying_the_names_were_lost():
    data = sie('#PSALDO 0 202405 4010 {1 "7762"} 1.00\n', "utf-8").replace("ä".encode(), "\ufffd".encode())
    with pytest.raises(TableError) as err:
        parse_sie(data, "lost.se")
    assert str(err.value).startswith(
        'lost.se, rad 4: ”#FNAMN "Socialn�mnden Testköping"”: bokstäverna (å, ä, ö …) är redan ersatta med '
        "tecknet � (U+FFFD, 3 gånger i filen); namnen gick förlorade innan filen sparades"
    )


def test_an_unbalanced_voucher_is_an_error_when_imported_and_a_note_when_not():
    bad = '#VER A 7 20240510 ""\n{\n#TRANS 4010 {1 "7762"} 100.00\n#TRANS 1930 {} -99.00\n}\n'
    with pytest.raises(
        TableError, match=r"ub.se, rad 12 \(#VER A 7\): verifikationen balanserar inte: summan"
    ):
        parse_sie(sie(bad), "ub.se")
    covered = '#PSALDO 0 202405 4010 {1 "7762"} 100.00\n' + bad
    parsed = parse_sie(sie(covered), "ub.se")
    assert (
        "ub.se: 1 verifikation balanserar inte (lästes inte in): rad 13 (#VER A 7) summa 1.00."
        in parsed.notes
    )


def test_vouchers_outside_the_years_are_said():
    text = '#VER A 1 20250102 ""\n{\n#TRANS 4010 {1 "7762"} 10.00\n#TRANS 1930 {} -10.00\n}\n'
    parsed = parse_sie(sie(text), "v.se")
    assert (
        "v.se: 1 verifikation ligger utanför räkenskapsåren i #RAR: rad 12 (#VER A 1) 20250102."
        in parsed.notes
    )


def _ksumma(records: str) -> int:
    """The SIE 4 #KSUMMA, as this test reads the standard: CRC-32 over each record's label and
    fields without separators, quotes or braces."""
    import shlex

    crc = 0
    for line in records.splitlines():
        parts = shlex.split(line.replace("{", " ").replace("}", " "))
        crc = zlib.crc32("".join(parts).encode("cp437"), crc)
    return crc


def test_ksumma_is_checked_when_present():
    body = '#PSALDO 0 202405 4010 {1 "7762"} 100.00\n'
    records = HEAD.replace("#FLAGGA 0\n", "") + body
    good = f"#FLAGGA 0\n#KSUMMA\n{records}#KSUMMA {_ksumma(records)}\n"
    assert not [n for n in parse_sie(good.encode("cp437"), "k.se").notes if "KSUMMA" in n]
    changed = good.replace("100.00", "900.00")
    (note,) = [n for n in parse_sie(changed.encode("cp437"), "k.se").notes if "KSUMMA" in n]
    assert (
        "kontrollsumman stämmer inte" in note
        and "filen har ändrats efter att ekonomisystemet skrev den" in note
    )


def test_a_file_without_cost_centres_is_one_chosen_unit(tmp_path):
    text = "#PSALDO 0 202405 4010 {} 100.00\n#PSALDO 0 202405 3010 {} -40.00\n#RES 0 4010 100.00\n"
    data = sie(text).replace(b'#OBJEKT 1 "7762" "Hemtj\x84nst"\r\n', b"")
    assert needs_unit(data, "ett.se") and not needs_unit(sie('#PSALDO 0 202405 4010 {1 "7762"} 1\n'), "x.se")
    with pytest.raises(TableError, match="--as-unit KOD"):
        parse_sie(data, "ett.se")
    parsed = parse_sie(data, "ett.se", as_unit="771")
    assert sums(parsed) == {
        ("771", "kostnader", "2024-05"): Decimal("100.00"),
        ("771", "intakter", "2024-05"): Decimal("-40.00"),
        ("771", "netto", "2024-05"): Decimal("60.00"),
    }
    assert parsed.names["771"] == "Socialnämnden Testköping"
    with open_database(tmp_path / "s.db") as store:
        source = importer.read_source(data, "ett.se", store, importer.Profile(as_unit="771"))
        assert len(source.records) == 3


def test_record_errors_and_year_errors_are_counted_together():
    text = '#PSALDO 0 202405 4010 {1 "7762"} 1,5\n' + "".join(
        f'#PSALDO 0 2019{m:02d} 4010 {{1 "7762"}} 1.00\n' for m in range(1, 4)
    )
    with pytest.raises(TableError) as err:
        parse_sie(sie(text), "fyra.se")
    assert err.value.total == 4
    assert (
        str(err.value)
        .splitlines()[0]
        .startswith("fyra.se, rad 12 (#PSALDO): beloppet ”1,5” är inget SIE-tal")
    )
    assert str(err.value).splitlines()[3].startswith("fyra.se, rad 15 (#PSALDO): perioden 201903 ligger inte")


def test_as_unit_is_refused_for_a_file_that_is_not_sie(tmp_path):
    import subprocess
    import sys

    f = tmp_path / "lång.csv"
    f.write_text("enhet;namn;period;mått;scenario;värde\nSN;Socialnämnden;2024;netto;utfall;1\n")
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "socdesk",
            "import",
            str(f),
            "--db",
            str(tmp_path / "s.db"),
            "--as-unit",
            "SN",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 1
    assert "lång.csv: --as-unit gäller bara SIE-filer (utan kostnadsställen)." in r.stderr


def test_a_balance_per_combination_of_objects_is_not_added_to_the_objects_own():
    """``{1 "7762"}`` is the cost centre's total; ``{1 "7762" 6 "P1"}`` a part of it (a project).
    With both, the total is used (not doubled); with only parts, they are summed."""
    both = (
        '#PSALDO 0 202405 4010 {1 "7762"} 300.00\n#PSALDO 0 202405 4010 {1 "7762" 6 "P1"} 100.00\n'
        '#PSALDO 0 202405 4010 {1 "7762" 6 "P2"} 200.00\n'
    )
    parsed = parse_sie(sie(both), "k.se")
    assert sums(parsed)[("7762", "kostnader", "2024-05")] == Decimal("300.00")
    assert (
        "k.se: 2 periodsaldon för kombinationer av objekt lästes inte: objektets eget periodsaldo för samma "
        "konto och period finns och gäller (rad 13; rad 14)." in parsed.notes
    )
    parts = both.split("\n", 1)[1]
    assert sums(parse_sie(sie(parts), "k.se"))[("7762", "kostnader", "2024-05")] == Decimal("300.00")
