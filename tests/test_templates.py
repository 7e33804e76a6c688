"""Report templates: every kind of mistake a controller can make in one gets a Swedish message
naming the file, the section (number and id) and the key, with the line where TOML gives one;
``check_against`` names what the database lacks; and a copied, edited template prints the
change through the command line (``socdesk template copy``, an editor, ``socdesk report``)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from socdesk.reports import template
from socdesk.reports.template import TemplateError

BASE = """\
[report]
name = "prov"
kind = "tertial"
title = "Prov {år}"
board = "N"
scale = "mnkr"

[[section]]
type = "heading"
text = "Ekonomi"

[[section]]
type = "table"
id = "resultat"
number = "4:1"
title = "Resultat"
unit = "N"

  [[section.column]]
  label = "Budgetrad"
  [[section.column]]
  label = "Netto"
  value = "utfall"

  [[section.row]]
  children = "N"
  [[section.row]]
  unit = "N"
  label = "Totalt"
  total = true
"""


def messages(text: str) -> list[str]:
    with pytest.raises(TemplateError) as err:
        template.load(text, "prov.toml")
    return err.value.messages


def test_the_base_template_is_valid():
    t = template.load(BASE, "prov.toml")
    assert (t.name, t.kind, t.board, len(t.sections)) == ("prov", "tertial", "N", 2)
    assert t.tables()[0].rows[0].children == "N" and t.tables()[0].rows[1].total == "row"


def test_a_toml_syntax_error_names_line_and_column():
    (msg,) = messages(BASE.replace('text = "Ekonomi"', 'text = "Ekonomi'))
    assert msg.startswith("prov.toml, rad 10, kolumn ") and "ogiltig TOML" in msg


def test_an_unknown_key_is_an_error_with_section_id_line_and_a_suggestion():
    (msg,) = messages(
        BASE.replace('  [[section.column]]\n  label = "Netto"', '  [[section.colum]]\n  label = "Netto"')
    )
    assert "avsnitt 2 (tabell 4:1 «resultat», rad 12)" in msg and "okänd nyckel «colum»" in msg
    assert "menar du «column»" in msg
    (msg,) = messages(BASE.replace('  value = "utfall"', '  valeu = "utfall"'))
    assert "prov.toml: avsnitt 2" in msg and "kolumn 2" in msg and "okänd nyckel «valeu»" in msg


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ('type = "heading"', 'type = "rubrik"', "okänd typ «rubrik»"),
        ('kind = "tertial"', 'kind = "kvartal"', "okänt slag «kvartal»"),
        ('  value = "utfall"', '  value = "utfal"', "okänt värde «utfal»"),
        ('unit = "N"\n\n', 'unit = "N"\nperiod = "hittills"\n\n', "okänd period «hittills»"),
        ('unit = "N"\n\n', 'unit = "N"\nscenario = "facit"\n\n', "okänt scenario «facit»"),
        ('scale = "mnkr"', 'scale = "miljoner"', "okänd skala «miljoner»"),
        ('title = "Prov {år}"', 'title = "Prov {ar}"', "okänd platshållare {ar}"),
        ('name = "prov"\n', "", "«name» saknas"),
        ("  total = true", '  total = "ja"', '«total» ska vara true, false eller "sum"'),
    ],
)
def test_unknown_names_and_values_are_named(old, new, expected):
    assert old in BASE
    found = messages(BASE.replace(old, new, 1))
    assert any(expected in m for m in found), found
    assert all(m.startswith("prov.toml") for m in found)


def test_duplicate_ids_are_refused():
    twice = BASE + BASE[BASE.index('[[section]]\ntype = "table"') :]
    found = messages(twice)
    assert any(
        "avsnitt 3 (tabell 4:1 «resultat»" in m and "id «resultat» finns redan i avsnitt 2" in m
        for m in found
    )


def test_a_dimension_set_by_both_a_row_and_a_column_is_an_error():
    (msg,) = messages(BASE.replace('  children = "N"', '  children = "N"\n  value = "budget"'))
    assert "rad 1 och kolumn 2 («Netto») anger båda «value»" in msg


def test_a_derived_value_needs_its_period():
    (msg,) = messages(BASE.replace('  value = "utfall"', '  value = "avvikelse"\n  period = "year"'))
    assert "värdet «avvikelse» kräver period month, ytd, tertial, quarter, inte «year»" in msg


def test_a_sum_of_unlike_measures_is_refused():
    text = BASE.replace(
        """  [[section.row]]
  children = "N"
  [[section.row]]
  unit = "N"
  label = "Totalt"
  total = true""",
        """  [[section.row]]
  unit = "N-BOU"
  measure = "varddygn"
  [[section.row]]
  unit = "N-BOU"
  measure = "arsplaceringar"
  [[section.row]]
  label = "Totalt"
  total = "sum\"""",
    ).replace('  value = "utfall"', '  scenario = "utfall"')
    (msg,) = messages(text)
    assert "avsnitt 2 (tabell 4:1 «resultat»" in msg
    assert "rad «Totalt»: summerar olika mått (arsplaceringar, varddygn)" in msg


def test_check_against_the_database_names_units_measures_and_the_board(demo_template):
    from socdesk.store.db import Store

    text = (
        BASE.replace('board = "N"', 'board = "X"')
        .replace('unit = "N"\n\n', 'unit = "N-SAKNAS"\n\n', 1)
        .replace('  value = "utfall"', '  measure = "okant_matt"\n  scenario = "utfall"')
    )
    t = template.load(text, "prov.toml")
    with Store(demo_template, readonly=True) as store:
        found = template.check_against(t, store)
    assert "prov: [report] board «X» finns inte i databasen" in found[0] or any(
        "board «X»" in m for m in found
    )
    assert any("tabell 4:1 «resultat»" in m and "unit «N-SAKNAS» finns inte" in m for m in found), found
    assert any("kolumn «Netto»: måttet «okant_matt» finns inte i databasen" in m for m in found), found


def test_a_sum_over_units_of_a_measure_that_does_not_add_up_is_refused_against_the_database(demo_template):
    from socdesk.store.db import Store

    text = BASE.replace(
        "  total = true",
        '  measure = "unika_personer"\n  [[section.row]]\n  label = "Summa"\n  total = "sum"',
    ).replace(
        '  [[section.row]]\n  children = "N"',
        '  [[section.row]]\n  children = "N"\n  measure = "unika_personer"',
    )
    text = text.replace('  value = "utfall"', '  scenario = "utfall"\n  period = "year"')
    t = template.load(text, "prov.toml")
    with Store(demo_template, readonly=True) as store:
        found = template.check_against(t, store)
    assert any("rad «Summa»" in m and "summeras inte över enheter" in m for m in found), found


def test_every_shipped_template_is_valid_against_the_demo(demo_template):
    from socdesk.store.db import Store

    paths = template.shipped()
    assert {"manad", "tertial", "nyckeltal", "statistik"} <= {p.stem for p in paths}
    with Store(demo_template, readonly=True) as store:
        for path in paths:
            assert template.check_against(template.load(path), store) == [], path.name


# --- through the command line --------------------------------------------------------------
def socdesk(*args, basedir: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, SOCDESK_BASEDIR=str(basedir))
    return subprocess.run(
        [sys.executable, "-m", "socdesk", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def test_validate_prints_the_messages_and_exits_1(tmp_path):
    bad = tmp_path / "min.toml"
    bad.write_text(
        BASE.replace('  [[section.column]]\n  label = "Netto"', '  [[section.colum]]\n  label = "Netto"'),
        encoding="utf-8",
    )
    r = socdesk("template", "validate", bad, basedir=tmp_path)
    assert (
        r.returncode == 1
        and "min.toml: avsnitt 2 (tabell 4:1 «resultat», rad 12): okänd nyckel «colum»" in r.stdout
    )
    good = tmp_path / "bra.toml"
    good.write_text(BASE, encoding="utf-8")
    r = socdesk("template", "validate", good, basedir=tmp_path)
    assert r.returncode == 0 and "mallen «prov» är giltig" in r.stdout


def test_a_report_without_unit_picks_the_board_or_lists_the_boards(demo_db, tmp_path):
    r = socdesk(
        "report", "manad", "--db", demo_db, "--period", "2024-05", "-o", tmp_path / "m.xlsx", basedir=tmp_path
    )
    assert r.returncode == 2 and not (tmp_path / "m.xlsx").exists()
    assert "ange --unit" in r.stderr and "SN Socialnämnd" in r.stderr and "STH Stockholms stad" in r.stderr
    own = tmp_path / "egen.toml"
    own.write_text(BASE, encoding="utf-8")  # board = "N"
    r = socdesk(
        "report",
        "--template",
        own,
        "--db",
        demo_db,
        "--period",
        "2023-T1",
        "-o",
        tmp_path / "t.xlsx",
        basedir=tmp_path,
    )
    assert r.returncode == 0, r.stderr
    from openpyxl import load_workbook

    values = [
        c
        for ws in load_workbook(tmp_path / "t.xlsx").worksheets
        for row in ws.iter_rows(values_only=True)
        for c in row
    ]
    assert "Totalt" in values and Decimal("332.6") in [
        Decimal(str(v)) for v in values if isinstance(v, int | float)
    ]


def test_a_copied_and_edited_template_prints_the_change(demo_db, tmp_path):
    """Copy the shipped tertial template, rename a heading, drop a column, add a unit row: the
    report made from the copy shows all three."""
    r = socdesk("template", "copy", "tertial", "min-tertial", basedir=tmp_path)
    assert r.returncode == 0, r.stderr
    copy = tmp_path / "rapportmallar" / "min-tertial.toml"
    text = copy.read_text(encoding="utf-8")
    assert 'name = "min-tertial"' in text
    edited = text.replace('text = "Ekonomiskt resultat"', 'text = "Ekonomin i korthet"', 1)
    edited = edited.replace(
        '  [[section.column]]\n  label = "Intäkter"\n  measure = "intakter"\n  scenario = "utfall"\n', "", 1
    )
    edited = edited.replace(
        '  [[section.row]]\n  children = "{board}"\n',
        '  [[section.row]]\n  children = "{board}"\n  [[section.row]]\n  unit = "N-BOU-HDV"\n',
        1,
    )
    assert edited.count("Ekonomin i korthet") == 1 and "Intäkter" not in edited and "N-BOU-HDV" in edited
    copy.write_text(edited, encoding="utf-8")
    r = socdesk("template", "list", basedir=tmp_path)
    assert re.search(r"min-tertial\s+tertial", r.stdout) and re.search(r"^tertial\s", r.stdout, re.M)
    out = {}
    for suffix in (".xlsx", ".pdf"):
        out[suffix] = tmp_path / f"min{suffix}"
        r = socdesk(
            "report",
            "--template",
            "min-tertial",
            "--db",
            demo_db,
            "--period",
            "2023-T1",
            "--unit",
            "N",
            "-o",
            out[suffix],
            basedir=tmp_path,
        )
        assert r.returncode == 0, r.stderr
    from openpyxl import load_workbook
    from pypdf import PdfReader

    book = load_workbook(out[".xlsx"])
    ws = next(ws for ws in book.worksheets if "Ekonomiskt resultat per budgetrad" in str(ws.cell(1, 1).value))
    rows = list(ws.iter_rows(values_only=True))
    header = next(row for row in rows if row[0] == "Budgetrad")
    assert "Intäkter" not in header and header[1:3] == ("Kostnader", "Netto")
    hdv = next(row for row in rows if row[0] == "Heldygnsvård barn och unga")
    assert Decimal(str(hdv[2])) == Decimal("-35.2")  # its netto T1 2023, as 004 states it
    pdf = (
        "\n".join(p.extract_text() for p in PdfReader(out[".pdf"]).pages)
        .replace("\u00a0", " ")
        .replace("\t", " ")
        .replace("\u2212", "-")
    )
    assert "Ekonomin i korthet" in pdf and not re.search(r"^Ekonomiskt resultat$", pdf, re.M)
    table = pdf[pdf.index("Ekonomiskt resultat per budgetrad") : pdf.index("Indikatorer 2023")]
    assert "Intäkter" not in table
    # the added row (its label may wrap): no kostnader stated for it, netto −35,2, budget −32,0
    assert re.search(r"Heldygnsvår\s*d\s+barn\s+och\s+unga\s+–\s+-35,2\s+-32,0\s", table), table


def test_copy_refuses_a_taken_name_and_a_bad_one(tmp_path):
    r = socdesk("template", "copy", "manad", "tertial", basedir=tmp_path)
    assert r.returncode == 1 and "Det finns redan en mall som heter «tertial»" in r.stderr
    r = socdesk("template", "copy", "manad", "min mall", basedir=tmp_path)
    assert r.returncode == 1 and "får bara ha bokstäver" in r.stderr
    assert not list((tmp_path / "rapportmallar").glob("*.toml"))


def test_seed_texts_name_file_and_entry_and_change_nothing(demo_db, tmp_path):
    from socdesk.core.errors import SocdeskError
    from socdesk.io.seeds import load_texts, open_database

    bad = tmp_path / "fel.toml"
    bad.write_text(
        'template = "tertial"\nperiod = "2023-T1"\n[[text]]\nkey = "sammanfattning"\ntext = "Bra."\n'
        '[[comment]]\nunit = "N-FINNS-EJ"\nperiod = "2023-T1"\ntext = "x"\n[[text]]\nkey = "tom"\ntext = " "\n',
        encoding="utf-8",
    )
    with open_database(demo_db) as store:
        with pytest.raises(SocdeskError) as err:
            load_texts(store, bad)
        assert "fel.toml: [[comment]] nr 1 («N-FINNS-EJ»): enheten N-FINNS-EJ finns inte" in str(err.value)
        assert "fel.toml: [[text]] nr 2 («tom»): «text» saknas eller är tom" in str(err.value)
        assert store.report_texts("tertial", "2023-T1") == {}  # nothing written
        good = tmp_path / "bra.toml"
        good.write_text(
            'template = "tertial"\nperiod = "2023-T1"\n[[text]]\nkey = "sammanfattning"\ntext = "Bra."\n',
            encoding="utf-8",
        )
        assert load_texts(store, good) == 1
        assert store.report_texts("tertial", "2023-T1") == {"sammanfattning": "Bra."}
