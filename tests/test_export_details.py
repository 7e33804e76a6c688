"""`socdesk export` as a user runs it: the CSV with a BOM (or Windows-1252), the long XLSX with
one scale per value column, unknown extensions and missing folders refused with a message."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

from openpyxl import load_workbook

from socdesk.core.numbers import Scale
from socdesk.io.seeds import open_database


def socdesk(*args):
    return subprocess.run(
        [sys.executable, "-m", "socdesk", *map(str, args)], capture_output=True, text=True, timeout=120
    )


def test_csv_export_has_a_bom_and_imports_back_to_the_same_file(demo_db, tmp_path):
    out = tmp_path / "alla.csv"
    assert socdesk("export", "--db", demo_db, "-o", out).returncode == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfenhet;namn;\xc3\xb6verordnad;")  # BOM, then UTF-8 å/ä/ö
    assert "Äldreomsorg" in data.decode("utf-8-sig")
    fresh = tmp_path / "ny.db"
    r = socdesk("import", out, "--db", fresh)
    assert r.returncode == 0, r.stderr
    again = tmp_path / "igen.csv"
    assert socdesk("export", "--db", fresh, "-o", again).returncode == 0
    assert again.read_bytes() == data


def test_cp1252_export_writes_windows_1252_and_refuses_what_it_lacks(demo_db, tmp_path):
    out = tmp_path / "ansi.csv"
    r = socdesk("export", "--db", demo_db, "-o", out, "--encoding", "cp1252")
    assert r.returncode == 0, r.stderr
    data = out.read_bytes()
    assert data.startswith("enhet;namn;överordnad;".encode("cp1252")) and not data.startswith(b"\xef\xbb\xbf")
    utf8 = tmp_path / "utf8.csv"
    assert socdesk("export", "--db", demo_db, "-o", utf8).returncode == 0
    assert data.decode("cp1252") == utf8.read_bytes().decode("utf-8-sig")  # the same text
    # a unit whose name Windows-1252 cannot write (Ł): refused, naming row, unit and column
    new = tmp_path / "ny.csv"
    new.write_text(
        "enhet;namn;överordnad;period;mått;scenario;värde\r\nPL1;Łódź-projektet;SN;;;;\r\n", encoding="utf-8"
    )
    assert socdesk("import", new, "--db", demo_db).returncode == 0
    refused = tmp_path / "ansi2.csv"
    r = socdesk("export", "--db", demo_db, "-o", refused, "--encoding", "cp1252")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "(enhet PL1), kolumn namn: tecknet ”Ł” (U+0141)" in r.stderr, r.stderr
    assert "Windows-1252" in r.stderr and "--encoding utf-8" in r.stderr
    assert not refused.exists()


def test_unknown_extension_and_missing_folder_are_refused_with_a_message(demo_db, tmp_path):
    for name, expected in (
        ("x.txt", "okänd filtyp ”.txt”"),
        ("utan", "okänd filtyp ”inget filnamnstillägg”"),
        ("borta/x.csv", "mappen"),
        ("borta/x.xlsx", "mappen"),
    ):
        out = tmp_path / name
        r = socdesk("export", "--db", demo_db, "-o", out)
        assert r.returncode == 1, (name, r.stdout)
        assert expected in r.stderr and "Traceback" not in r.stderr, (name, r.stderr)
        assert not out.exists()
    assert "finns inte" in r.stderr and str(tmp_path / "borta") in r.stderr
    r = socdesk("export", "--db", demo_db, "-o", tmp_path / "X.XLSX", "--encoding", "cp1252")
    assert r.returncode == 1 and "--encoding gäller bara CSV" in r.stderr


def test_long_xlsx_has_one_scale_per_value_column(demo_db, tmp_path):
    out = tmp_path / "alla.xlsx"
    assert socdesk("export", "--db", demo_db, "-o", out).returncode == 0
    ws = load_workbook(out).active
    rows = list(ws.iter_rows(values_only=True))
    header = list(rows[0])
    assert "skala" not in header
    columns = {t: header.index(t) for t in ("värde", "värde (kr)", "värde (tkr)", "värde (mnkr)")}
    filled = {t: [r for r in rows[1:] if r[c] is not None] for t, c in columns.items()}
    assert all(filled.values()), {t: len(v) for t, v in filled.items()}  # the demo has all three
    assert all(sum(r[c] is not None for c in columns.values()) <= 1 for r in rows[1:])  # one per row
    # each figure, times its column's scale, is the stored amount
    with open_database(demo_db) as store:
        facts = {
            (
                f.key.unit,
                f.key.measure,
                f.key.scenario.value,
                str(f.key.period),
                f.key.version,
                f.key.gender,
                f.key.group,
            ): f
            for f in store.facts()
        }
        money = {k for k, m in store.measures().items() if m.is_money}
    at = {t: header.index(t) for t in ("enhet", "period", "mått", "scenario", "version", "kön", "grupp")}
    for title, scale in (("värde (kr)", Scale.KR), ("värde (tkr)", Scale.TKR), ("värde (mnkr)", Scale.MNKR)):
        for r in filled[title]:
            key = tuple(
                r[at[t]] or "" for t in ("enhet", "mått", "scenario", "period", "version", "kön", "grupp")
            )
            assert key[1] in money
            assert Decimal(str(r[columns[title]])) * scale.factor == facts[key].value.number, (title, r)
    assert not any(
        r[at["mått"]] in money and r[columns["värde"]] not in ("*", ".", "-") for r in filled["värde"]
    )
    # and it imports back to the same figures, resolution included
    fresh = tmp_path / "ny.db"
    r = socdesk("import", out, "--db", fresh)
    assert r.returncode == 0, r.stderr
    with open_database(fresh) as again, open_database(demo_db) as store:
        assert set(again.facts()) == set(store.facts())


def test_value_column_with_the_scale_in_its_header_is_read_at_that_scale(demo_db, tmp_path):
    ok = tmp_path / "tkr.csv"
    ok.write_text(
        "enhet;period;mått;scenario;värde (tkr);värde (mnkr)\r\n7762;2031-01;netto;utfall;12,5;\r\n"
        "7762;2031-02;netto;utfall;;1,2\r\n",
        encoding="utf-8",
    )
    r = socdesk("import", ok, "--db", demo_db)
    assert r.returncode == 0, r.stderr
    with open_database(demo_db) as store:
        got = {str(f.key.period): f.value for f in store.facts(units=["7762"]) if str(f.key.period) > "2031"}
    assert got["2031-01"].number == Decimal(12500) and got["2031-01"].resolution == Decimal(100)
    assert got["2031-02"].number == Decimal(1_200_000) and got["2031-02"].resolution == Decimal(100_000)
    both = tmp_path / "båda.csv"
    both.write_text(
        "enhet;period;mått;scenario;värde;värde (tkr)\r\n7762;2031-03;netto;utfall;5;7\r\n", encoding="utf-8"
    )
    r = socdesk("import", both, "--db", demo_db)
    assert r.returncode == 1
    assert (
        "båda.csv, rad 2, kolumn värde (tkr): raden har värden i flera kolumner (värde, värde (tkr))"
        in r.stderr
    )
    count = tmp_path / "antal.csv"
    count.write_text(
        "enhet;period;mått;scenario;värde (tkr)\r\n7762;2031-03;varddygn;utfall;5\r\n", encoding="utf-8"
    )
    r = socdesk("import", count, "--db", demo_db)
    assert r.returncode == 1 and "kolumn värde (tkr): skalan tkr gäller bara belopp" in r.stderr, r.stderr
