"""Every file of the real SIE corpus (``../shared/sie-corpus/sie4j/``, 52 files written by BL
Administration, kassasystem and others; see its README) with its asserted outcome (issue 14):
imported through ``importer.read_source`` (the path ``socdesk import`` and the wizard take) with
the totals recomputed here by a reading of our own (#PSALDO/#PBUDGET/#VER/#TRANS, not the
parser), or refused with the exact message. A file added to the corpus without an outcome fails.
The table in docs/imports.md says the same per file."""

import re
import subprocess
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from socdesk.core.facts import Scenario
from socdesk.io import importer
from socdesk.io.seeds import open_database
from socdesk.io.tables import TableError

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "sie-corpus" / "sie4j"
if not CORPUS.is_dir():  # a worktree beside the shared folder, or main
    CORPUS = Path("/work/shared/sie-corpus/sie4j")
AS_UNIT_HINT = (
    "{f}: filen har utfall men inga objekt i dimension 1 (kostnadsställen). Läs in hela filen som en "
    "enhet: välj enheten i guiden, eller socdesk import FIL --as-unit KOD."
)
NOTHING = "{f}: filen innehåller inga uppgifter att läsa in."

# file → (the unit it is read as, "" = by its cost centres; records; the refusal's first line; errors)
OUTCOME = {
    "Arousells_Visning_AB.SE": (
        "",
        0,
        '{f}, rad 15: ”#DIM 1 "Kostnadsst�lle"”: bokstäverna (å, ä, ö …) är redan ersatta med tecknet � (U+FFFD, 263 gånger i filen); namnen gick förlorade innan filen sparades och kan inte läsas tillbaka. Exportera filen igen från ekonomisystemet.',
        1,
    ),
    "BLBLOV_SIE1.SE": (
        "",
        0,
        "{f}: filen har bara årssaldon (#RES, SIE typ 1), inga periodsaldon eller verifikationer; socdesk läser utfall per månad (SIE typ 2–4).",
        1,
    ),
    "BLBLOV_SIE1_copy.SE": (
        "",
        0,
        "{f}: filen har bara årssaldon (#RES, SIE typ 1), inga periodsaldon eller verifikationer; socdesk läser utfall per månad (SIE typ 2–4).",
        1,
    ),
    "BLBLOV_SIE1_erroneous_leap_year.SE": (
        "",
        0,
        '{f}, rad 8: ”#FNAMN "�vningsf�retaget AB"”: bokstäverna (å, ä, ö …) är redan ersatta med tecknet � (U+FFFD, 220 gånger i filen); namnen gick förlorade innan filen sparades och kan inte läsas tillbaka. Exportera filen igen från ekonomisystemet.',
        1,
    ),
    "BLBLOV_SIE1_file_is_read.SE": (
        "",
        0,
        "{f}: filen har bara årssaldon (#RES, SIE typ 1), inga periodsaldon eller verifikationer; socdesk läser utfall per månad (SIE typ 2–4).",
        1,
    ),
    "BLBLOV_SIE2.SE": ("AB", 108, None, 0),
    "BLBLOV_SIE2_UTF_8_with_errors.SE": ("AB", 36, None, 0),
    "BLBLOV_SIE2_UTF_8_with_multiple_errors.SE": ("AB", 36, None, 0),
    "BLBLOV_SIE2_UTF_8_with_non_numeric_account_number.SE": ("AB", 36, None, 0),
    "BLBLOV_SIE3.SE": ("AB", 108, None, 0),
    "BLBLOV_SIE3_UTF_8_with_vouchers.SE": ("AB", 61, None, 0),
    "BLBLOV_SIE4.SE": ("AB", 61, None, 0),
    "BLBLOV_SIE4.SI": ("AB", 2, None, 0),
    "BLBLOV_SIE4_ISO_8859_15.SE": (
        "",
        0,
        "{f}, rad 545 (#PBUDGET): perioden ”1119” ska skrivas ÅÅÅÅMM (fälten är årsnummer, period, konto, objektlista, belopp).",
        276,
    ),
    "BLBLOV_SIE4_ISO_8859_15.SI": ("AB", 2, None, 0),
    "BLBLOV_SIE4_UTF_8.SI": ("AB", 2, None, 0),
    "BLBLOV_SIE4_UTF_8_1.SE": ("AB", 61, None, 0),
    "BLBLOV_SIE4_UTF_8_IMBALANCED.SI": (
        "AB",
        0,
        "{f}, rad 8 (#VER K): verifikationen balanserar inte: summan av dess #TRANS är 0.55, inte 0; utfallet skulle bli fel. Rätta verifikationen i ekonomisystemet.",
        2,
    ),
    "BLBLOV_SIE4_UTF_8_MISSING_ACCOUNTS.SE": ("AB", 61, None, 0),
    "BLBLOV_SIE4_UTF_8_WITH_FAULTY_ADDRESS.SI": ("AB", 2, None, 0),
    "BLBLOV_SIE4_UTF_8_with_12_digit_cid.SI": ("AB", 2, None, 0),
    "BLBLOV_SIE4_UTF_8_with_8-4_digit_cid.SI": ("AB", 2, None, 0),
    "BLBLOV_SIE4_UTF_8_with_8_digit_account_number.SE": ("AB", 61, None, 0),
    "BLBLOV_SIE4_UTF_8_with_critical_voucher_date_error.SI": (
        "",
        0,
        "{f}, rad 8 (#VER): verifikationsdatumet ”rappakalja” ska skrivas ÅÅÅÅMMDD. (Fälten är serie, nummer, datum.)",
        1,
    ),
    "BLBLOV_SIE4_UTF_8_with_empty_voucher.SE": ("AB", 61, None, 0),
    "BLBLOV_SIE4_UTF_8_with_empty_voucher_date.SI": (
        "",
        0,
        "{f}, rad 8 (#VER): verifikationsdatumet ”” ska skrivas ÅÅÅÅMMDD. (Fälten är serie, nummer, datum.)",
        1,
    ),
    "BLBLOV_SIE4_UTF_8_with_erroneous_taxar.SE": ("AB", 61, None, 0),
    "BLBLOV_SIE4_UTF_8_with_erroneous_voucher_date.SI": (
        "",
        0,
        "{f}, rad 8 (#VER): verifikationsdatumet ”180501” ska skrivas ÅÅÅÅMMDD. (Fälten är serie, nummer, datum.)",
        1,
    ),
    "BLBLOV_SIE4_UTF_8_with_erroneous_voucher_numbers.SI": ("AB", 2, None, 0),
    "BLBLOV_SIE4_UTF_8_with_errors.SE": ("AB", 61, None, 0),
    "BLBLOV_SIE4_UTF_8_with_faulty_transaction.SI": (
        "",
        0,
        "{f}, rad 10 (#TRANS): posten saknar fält eller har fel format.",
        1,
    ),
    "BLBLOV_SIE4_UTF_8_with_imbalanced_voucher.SE": (
        "AB",
        0,
        "{f}, rad 821 (#VER A 1): verifikationen balanserar inte: summan av dess #TRANS är 0.10, inte 0; utfallet skulle bli fel. Rätta verifikationen i ekonomisystemet.",
        1,
    ),
    "BLBLOV_SIE4_UTF_8_with_iso_voucher_date.SI": (
        "",
        0,
        "{f}, rad 8 (#VER): verifikationsdatumet ”2018-05-01” ska skrivas ÅÅÅÅMMDD. (Fälten är serie, nummer, datum.)",
        1,
    ),
    "BLBLOV_SIE4_UTF_8_with_missing_account_balance.SE": ("AB", 61, None, 0),
    "BLBLOV_SIE4_UTF_8_with_missing_account_numbers.SE": ("AB", 61, None, 0),
    "BLBLOV_SIE4_UTF_8_with_missing_account_numbers_in_transaction.SI": (
        "",
        0,
        "{f}, rad 10 (#TRANS): kontonumret saknas.",
        2,
    ),
    "BLBLOV_SIE4_UTF_8_with_missing_company_name.SI": ("AB", 2, None, 0),
    "BLBLOV_SIE4_UTF_8_with_missing_sru_code.SE": ("AB", 61, None, 0),
    "BLBLOV_SIE4_UTF_8_with_missing_voucher_date.SI": (
        "",
        0,
        "{f}, rad 8 (#VER): verifikationsdatumet saknas (fälten är serie, nummer, datum).",
        1,
    ),
    "BLBLOV_SIE4_UTF_8_with_missing_voucher_series.SE": (
        "",
        0,
        "{f}, rad 821 (#VER): verifikationsdatumet ” ” ska skrivas ÅÅÅÅMMDD. (Fälten är serie, nummer, datum.)",
        1,
    ),
    "BLBLOV_SIE4_UTF_8_with_non_numeric_account_number.SE": ("AB", 61, None, 0),
    "BLBLOV_SIE4_UTF_8_with_unparseable_taxar.SE": ("AB", 61, None, 0),
    "Balanserad_förlust.se": (
        "",
        0,
        "{f}: filen har bara årssaldon (#RES, SIE typ 1), inga periodsaldon eller verifikationer; socdesk läser utfall per månad (SIE typ 2–4).",
        1,
    ),
    "CC2-foretaget.SE": ("AB", 4, None, 0),
    "CC3.SI": ("", 0, None, 0),
    "Quotes_test.si": ("AB", 2, None, 0),
    "SIE_test_av_KST_projekt_Testbolaget_e_-_kopia.SE": ("", 4, None, 0),
    "SIE_test_av_KST_projekt_Testbolaget_e_-_kopia_ny.SE": ("", 4, None, 0),
    "SIE_with_long_voucher_series_number.SE": ("AB", 9, None, 0),
    "SIE_with_missing_program_version.se": ("AB", 2, None, 0),
    "Testbolaget_Enskild_firma.SE": ("", 0, None, 0),
    "Transaktioner_per_Z-rapport.se": ("AB", 2, None, 0),
}

_BALANCE = re.compile(r"^#(PSALDO|PBUDGET)\s+-?\d+\s+(\d{6})\s+(\d+)\s+(\{[^}]*\})?\s*(-?\d+(?:\.\d+)?)")
_VER = re.compile(r'^#VER\s+(?:"[^"]*"|\S+)\s+(?:"[^"]*"|\S+)\s+(\d{8})')
_TRANS = re.compile(r"^#TRANS\s+(\d+)\s+(\{[^}]*\})\s+(-?\d+(?:\.\d+)?)")


def _measure(konto: str) -> str | None:
    first = int(konto[:4].ljust(4, "0"))
    return "intakter" if 3000 <= first <= 3999 else "kostnader" if 4000 <= first <= 7999 else None


def expected_sums(path: Path, as_unit: str) -> dict[tuple[str, str, Scenario, str], Decimal]:
    """Our own reading: per (unit, konto, month) the period balance where the file has one, else
    the vouchers' sum; the budget from #PBUDGET; kostnader, intäkter and netto per unit and month."""
    balance = {"PSALDO": defaultdict(Decimal), "PBUDGET": defaultdict(Decimal)}
    trans: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    date = ""
    for line in path.read_bytes().decode("latin-1").splitlines():
        line = line.strip()
        if m := _BALANCE.match(line):
            label, period, konto, objects, amount = m.groups()
            unit = _unit(objects or "{}", as_unit, balance_row=True)
            if unit:
                balance[label][(unit, konto, period)] += Decimal(amount)
        elif m := _VER.match(line):
            date = m.group(1)
        elif m := _TRANS.match(line):
            konto, objects, amount = m.groups()
            unit = _unit(objects, as_unit, balance_row=False)
            if unit:
                trans[(unit, konto, date[:6])] += Decimal(amount)
    actual = {
        k: balance["PSALDO"][k] if k in balance["PSALDO"] else trans[k] for k in {*balance["PSALDO"], *trans}
    }
    out: dict[tuple[str, str, Scenario, str], Decimal] = defaultdict(Decimal)
    for scenario, sums in ((Scenario.ACTUAL, actual), (Scenario.BUDGET, balance["PBUDGET"])):
        for (unit, konto, period), amount in sums.items():
            measure = _measure(konto)
            if measure:
                for m in (measure, "netto"):
                    out[(unit, m, scenario, f"{period[:4]}-{period[4:]}")] += amount
    return dict(out)


def _unit(objects: str, as_unit: str, *, balance_row: bool) -> str | None:
    pairs = dict(re.findall(r'(\S+)\s+"([^"]*)"', objects.strip("{}")))
    if as_unit:
        return as_unit if not (balance_row and pairs) else None
    return pairs.get("1")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = open_database(tmp_path_factory.mktemp("sie") / "corpus.db")
    yield s
    s.close()


def test_every_corpus_file_has_an_outcome():
    assert CORPUS.is_dir(), f"the SIE corpus is missing at {CORPUS}"
    assert sorted(p.name for p in CORPUS.iterdir()) == sorted(OUTCOME)


@pytest.mark.parametrize("name", sorted(OUTCOME))
def test_corpus_file(store, name):
    as_unit, count, refusal, errors = OUTCOME[name]
    path = CORPUS / name
    data = path.read_bytes()
    chosen = importer.Profile(as_unit=as_unit)
    if as_unit:  # by cost centres the file is refused, saying how to import it
        with pytest.raises(TableError) as err:
            importer.read_source(data, name, store)
        assert str(err.value) == AS_UNIT_HINT.format(f=name)
    if refusal is not None:
        with pytest.raises(TableError) as err:
            importer.read_source(data, name, store, chosen)
        assert str(err.value).splitlines()[0] == refusal.format(f=name)
        assert err.value.total == errors
        return
    source = importer.read_source(data, name, store, chosen)
    got = {(r.unit, r.measure, r.scenario, str(r.period.start)): r.value.number for r in source.records}
    assert len(got) == len(source.records) == count
    assert got == expected_sums(path, as_unit)
    if not count:
        with pytest.raises(TableError) as err:
            importer.plan(store, source)
        assert str(err.value) == NOTHING.format(f=name)


def test_sie2_year_index_read_by_the_period_and_its_results_agree(store):
    """README: the 276 #PSALDO rows for 2016 carry year index 0 (2017). They are read as 2016,
    said in the summary, and then every #RES agrees with its year's period balances (no note)."""
    name = "BLBLOV_SIE2.SE"
    source = importer.read_source((CORPUS / name).read_bytes(), name, store, importer.Profile(as_unit="AB"))
    notes = "\n".join(source.notes)
    assert f"{name}: 276 poster (#PSALDO/#PBUDGET) har årsnummer som motsäger perioden" in notes
    assert "rad 761: 201601 med årsnummer 0 (20170101–20171231), läst som år -1" in notes
    assert "#RES" not in notes
    months = {str(r.period.start)[:4] for r in source.records if r.scenario is Scenario.ACTUAL}
    assert months == {"2016", "2017"}


@pytest.mark.parametrize(
    ("name", "note"),
    [
        ("BLBLOV_SIE4_UTF_8.SI", "BLBLOV_SIE4_UTF_8.SI: filen är sparad som UTF-8, inte i teckentabell 437"),
        ("BLBLOV_SIE4_ISO_8859_15.SI", "BLBLOV_SIE4_ISO_8859_15.SI: filen är sparad i ISO-8859-15 (Latin-9)"),
        (
            "BLBLOV_SIE4_UTF_8_MISSING_ACCOUNTS.SE",
            "3 konton med belopp finns inte i filens #KONTO: 1119 (rad 540); 2941 (rad 648); 7010 (rad 720)",
        ),
        (
            "BLBLOV_SIE4_UTF_8_with_empty_voucher.SE",
            "1 årsresultat (#RES) stämmer inte med årets belopp: konto 6072 år 0: #RES 1836.00, inläst 928.00",
        ),
        ("BLBLOV_SIE4.SI", "utfallet summerades från verifikationerna (#TRANS)"),
    ],
)
def test_corpus_notes_name_what_was_found(store, name, note):
    source = importer.read_source((CORPUS / name).read_bytes(), name, store, importer.Profile(as_unit="AB"))
    assert any(note in n for n in source.notes), source.notes


def test_as_unit_on_the_command_line(tmp_path):
    """``socdesk import FIL --as-unit KOD`` (README: BLBLOV_SIE4.SI, two balanced vouchers)."""
    db = tmp_path / "s.db"

    def socdesk(*args):
        return subprocess.run(
            [sys.executable, "-m", "socdesk", *map(str, args)], capture_output=True, text=True, timeout=120
        )

    (tmp_path / "sn.csv").write_text(
        "enhet;namn;period;mått;scenario;värde\nSN;Socialnämnden;2024;netto;utfall;1\n"
    )
    assert socdesk("import", tmp_path / "sn.csv", "--db", db).returncode == 0
    refused = socdesk("import", CORPUS / "BLBLOV_SIE4.SI", "--db", db)
    assert refused.returncode == 1 and AS_UNIT_HINT.format(f="BLBLOV_SIE4.SI") in refused.stderr
    r = socdesk("import", CORPUS / "BLBLOV_SIE4.SI", "--db", db, "--as-unit", "SN")
    assert r.returncode == 0, r.stderr
    assert "utfallet summerades från verifikationerna" in r.stdout
    with open_database(db) as s:
        # 3010 −80,00 and 3020 −446,43 in May 2018 (README)
        v = s.value("SN", s.measures()["intakter"], Scenario.ACTUAL, importer.parse_period("2018-05"))
        assert v.number == Decimal("-526.43")
