"""Seed 002 read back: the demo's Statistikrapport for 2024 (template statistik-stockholm) made
as a user makes it (``socdesk report`` to .xlsx and .pdf) prints every figure of every table of
Socialtjänstrapporten 2024, chapter Funktionsnedsättning, at its table, row and column.

The oracle is the transcription in ``build_scripts/seedtables/s002.py`` (the tables typed as the
document prints them), never the report's own numbers. ``*`` (fewer than 4) and ``.`` (cannot be
computed) are the source's and are printed as it printed them.

The seed contradicts itself once (docs/seeds.md): in table 9:16 "– varav bifall" is 703 and 409
for the two insatser but 1 187 in total (703 + 409 = 1 112), and so "Antal beslut" 1 461 is not
bifall + delavslag + avslag (1 536). The report prints the stated figures, each with a footnote.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "resources" / "templates" / "statistik-stockholm.toml"
YEAR = 2024


def _oracle():
    spec = importlib.util.spec_from_file_location("s002", ROOT / "build_scripts" / "seedtables" / "s002.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


S = _oracle()


# --- the oracle: every table as printed (row label, cells), with its column headers ------------
def _lines(text: str, rename: dict[str, str] | None = None) -> list[tuple[str, list[str]]]:
    rename = rename or {}
    out = []
    for line in text.strip().splitlines():
        label, *cells = line.split("|")
        out.append((rename.get(label, label), cells))
    return out


KMT = ["Kvinnor", "Män", "Totalt"]
TOTAL = {"TOTAL": "Totalt i staden"}
DECISION_LABELS = {
    "beslut_antal": "Antal beslut",
    "beslut_bifall": "– varav bifall",
    "beslut_delavslag": "– varav delavslag",
    "beslut_avslag": "– varav avslag",
    "andel_delavslag": "Andel delavslag (%)",
    "andel_avslag": "Andel (%) avslag",
    "domar": "Domar som meddelats",
    "domar_mot_staden": "Domar mot stadens beslut",
}


def _regi(insatser, regi, saknas, total, k, m):
    rows = []
    for name, text in regi.items():
        per = [cell.split() for cell in text.split("|")]
        rows.append((f"{name}, {k}", [x for kk, _mm, share in per for x in (kk, share)]))
        rows.append((f"{name}, {m}", [x for _kk, mm, _share in per for x in (mm, "")]))
    rows.append(("Uppgift saknas", [x for cell in saknas.split("|") for x in cell.split()]))
    rows.append(("Totalt i staden", [x for cell in total.split("|") for x in cell.split()]))
    return rows, ["Antal", "Total (%)"] * len(insatser)


R22, C22 = _regi(S.T9_22_INSATS, S.T9_22, S.T9_22_SAKNAS, S.T9_22_TOTAL, "kvinnor", "män")
R23, C23 = _regi(S.T9_23_INSATS, S.T9_23, S.T9_23_SAKNAS, S.T9_23_TOTAL, "flickor", "pojkar")
PERCENT_KM = ["Kvinnor (%)", "Män (%)", "Antal totalt"]
HOURS = ["Kvinnor (Mv)", "Män (Mv)", "Antal personer"]
GIRLS = ["Flickor (Mv)", "Pojkar (Mv)", "Antal personer"]
FN = S.FN_GROUPS

TABLES: dict[str, tuple[list[tuple[str, list[str]]], list[str]]] = {
    "9:1": (
        _lines(
            S.T9_1, {"LSS": "LSS*", "SoL": "SoL*", "Både LSS och SoL": "Både LSS och SoL*", "SFB": "SFB**"}
        ),
        PERCENT_KM * 3,
    ),
    "9:2": (_lines(S.T9_2), PERCENT_KM * 3),
    "9:3": (
        _lines(
            S.T9_3,
            {
                **TOTAL,
                "Bostad med särskild service för barn/ungdomar": "Bostad med särskild service för barn/ungdomar*",
            },
        ),
        KMT * 3,
    ),
    "9:4": (_lines(S.T9_4), HOURS * 3),
    "9:5": (_lines(S.T9_5), GIRLS * 3),
    "9:6": (_lines(S.T9_6, TOTAL), ["Andel kvinnor (%)", "Andel män (%)", "Totalt antal"]),
    "9:7": (_lines(S.T9_7), KMT),
    "9:8": (_lines(S.T9_8, TOTAL), ["Kvinnor/Flickor", "Män/Pojkar", "Totalt i staden"]),
    "9:9": (
        _lines(S.T9_9),
        [
            "Personlig assistans",
            "Daglig verksamhet",
            "Avlösarservice",
            "Bostad med särskild service",
            "Kontaktperson",
            "Ledsagarservice",
        ],
    ),
    "9:10": (
        _lines(S.T9_10, {**TOTAL, "Korttidsvistelse barn/unga": "Korttidsvistelse barn/unga***"}),
        KMT * 3,
    ),
    "9:11": (_lines(S.T9_11, TOTAL), ["Kvinnor/Flickor", "Män/Pojkar", "Totalt i staden"] * 2),
    "9:12": (_lines(S.T9_12), ["Kvinnor (Mv)", "Män (Mv)", "Totalt"] * 2),
    "9:13": (
        _lines(S.T9_13),
        ["Boendestöd", "Hemtjänst", "Trygghetslarm", "Ledsagning", "Bostad med särskild service"],
    ),
    "9:14": (_lines(S.T9_14), HOURS * 2),
    "9:15": (_lines(S.T9_15), HOURS * 2),
    "9:16": (
        [(DECISION_LABELS[m], line.split("|")) for m, line in S.T9_16],
        ["Ledsagning/ledsagarservice", "Kontaktperson", "Totalt"],
    ),
    "9:17": ([(DECISION_LABELS[m], line.split("|")) for m, line in S.T9_17], FN),
    "9:18": ([(DECISION_LABELS[m], line.split("|")) for m, line in S.T9_18], FN),
    "9:19": (_lines(S.T9_19), KMT),
    "9:20": (_lines(S.T9_20), ["2022", "2023", "2024"]),
    "9:21": (_lines(S.T9_21, TOTAL), ["2022", "2023", "2024"]),
    "9:22": (R22, C22),
    "9:23": (R23, C23),
}
NUMBERS = sorted(TABLES, key=lambda n: int(n.split(":")[1]))
FIGURES = sum(1 for rows, _c in TABLES.values() for _l, cells in rows for c in cells if c)


def test_the_oracle_is_every_table_of_the_chapter():
    """All 23 tables of the chapter, every printed cell (spanned share cells are the blanks)."""
    assert [f"9:{i}" for i in range(1, 24)] == NUMBERS
    for number, (rows, columns) in TABLES.items():
        for label, cells in rows:
            assert len(cells) == len(columns), (number, label)
    assert FIGURES == 1372  # one for each fact of seeds/002_*.csv


# --- the report, made as a user makes it --------------------------------------------------------
@pytest.fixture(scope="module")
def made(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report002")
    db = folder / "demo.db"
    run = [sys.executable, "-m", "socdesk"]
    subprocess.run([*run, "demo", "--db", str(db)], check=True, capture_output=True, timeout=300)
    out = {}
    for suffix in ("xlsx", "pdf"):
        path = folder / f"statistik.{suffix}"
        done = subprocess.run(
            [
                *run,
                "report",
                "statistik",
                "--db",
                str(db),
                "--period",
                str(YEAR),
                "--unit",
                "STH",
                "-o",
                str(path),
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        out[suffix] = path
    return out


def _titles() -> dict[str, str]:
    """The tables' titles as the template prints them for the report's year."""
    data = tomllib.loads(TEMPLATE.read_text(encoding="utf-8"))
    years = {f"{{år-{k}}}": str(YEAR - k) for k in range(1, 5)} | {"{år}": str(YEAR)}
    out = {}
    for s in data["section"]:
        if s["type"] == "table":
            title = s["title"]
            for k, v in years.items():
                title = title.replace(k, v)
            out[s["number"]] = title
    return out


def _figure(expected: str) -> Decimal | str | None:
    """The seed's printed cell as the workbook holds it: a number, or the status text."""
    if expected == "":
        return None
    if expected in ("*", "."):
        return expected
    return Decimal(expected.replace(" ", "").rstrip("%"))


def _cell_value(cell) -> Decimal | str | None:
    v = cell.value
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, str):
        return v.strip()
    number = Decimal(str(v))
    if "%" in (cell.number_format or ""):
        number *= 100  # a real percentage: 0.21 shown as 21 %
    return number.normalize() if number == number.to_integral() else number


@pytest.fixture(scope="module")
def workbook(made):
    import openpyxl

    return openpyxl.load_workbook(made["xlsx"])


def _sheet_of(workbook, number: str):
    """The table's sheet: its number ("Tabell 9:1") or its whole title in the title row."""
    title = _titles()[number]
    found = [
        ws
        for ws in workbook.worksheets
        if any(
            isinstance(c.value, str) and (f"Tabell {number} " in c.value or title in c.value)
            for row in ws.iter_rows(max_row=2)
            for c in row
        )
    ]
    assert len(found) == 1, f"Tabell {number}: {len(found)} blad med den tabellen"
    return found[0]


@pytest.mark.parametrize("number", NUMBERS)
def test_xlsx_prints_every_figure_at_its_row_and_column(workbook, number):
    rows, columns = TABLES[number]
    ws = _sheet_of(workbook, number)
    grid = list(ws.iter_rows())
    header = [
        i
        for i, row in enumerate(grid)
        if [str(c.value).strip() if c.value is not None else "" for c in row[1 : len(columns) + 1]] == columns
    ]
    assert header, f"Tabell {number}: ingen rubrikrad {columns}"
    by_label: dict[str, list] = {}
    for row in grid[header[0] + 1 :]:
        label = row[0].value
        if isinstance(label, str) and label.strip():
            assert label.strip() not in by_label, f"Tabell {number}: raden «{label}» två gånger"
            by_label[label.strip()] = row
    for label, cells in rows:
        assert label in by_label, f"Tabell {number}: raden «{label}» saknas; finns {list(by_label)}"
        got = by_label[label]
        for j, expected in enumerate(cells, start=1):
            assert _cell_value(got[j]) == _figure(expected), (
                f"Tabell {number}, «{label}», kolumn {j} «{columns[j - 1]}»: "
                f"{got[j].value!r} ({got[j].number_format}), källan {expected!r}"
            )
    assert len(by_label) >= len(rows)


# --- the PDF ---------------------------------------------------------------------------------------
def _normal(text: str) -> str:
    text = re.sub(r"[\u00a0\u202f\u2009]", " ", text)
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"(\w)- (\w)", r"\1-\2", text)  # a name broken at its hyphen: Enskede-Årsta-Vantör


@pytest.fixture(scope="module")
def pdf_text(made):
    from pypdf import PdfReader

    return _normal(" ".join(page.extract_text() for page in PdfReader(made["pdf"]).pages))


def _segment(pdf_text: str, number: str) -> str:
    """The printed table: from its caption to the next table's caption."""
    titles = _titles()
    start_words = " ".join(titles[number].split()[:5])
    start = pdf_text.find(f"Tabell {number} {start_words}")
    assert start >= 0, f"Tabell {number} {start_words} … finns inte i PDF:en"
    following = NUMBERS.index(number) + 1
    end = len(pdf_text)
    if following < len(NUMBERS):
        nxt = NUMBERS[following]
        end = pdf_text.find(f"Tabell {nxt} {' '.join(titles[nxt].split()[:5])}", start)
        assert end > start
    return pdf_text[start:end]


def _printed(cell: str, percent: bool) -> str:
    """A pattern for a seed's cell as the report prints it: Swedish thousands separators (the
    seed has "1461" beside "4 688"), and a percentage with its sign or, as the seed prints it
    under a "(%)" header, without."""
    plain = cell.replace(" ", "").rstrip("%")
    if re.fullmatch(r"\d+", plain):
        grouped = f"{int(plain):,}".replace(",", " ")
        return re.escape(grouped) + (r"(?: ?%)?" if percent or cell.endswith("%") else "")
    return re.escape(cell)


def _row_pattern(label: str, cells: list[str], columns: list[str]) -> str:
    """The row as one line of text: its label (and the numbers of its footnotes), then every
    printed cell in column order."""
    parts = [re.escape(_normal(label)) + r"(?: \d+\))*"]
    parts += [_printed(c, "%" in col) for c, col in zip(cells, columns, strict=True) if c]
    return " ".join(parts) + r"(?= |$)"


@pytest.mark.parametrize("number", NUMBERS)
def test_pdf_prints_every_row_as_the_seed(pdf_text, number):
    rows, columns = TABLES[number]
    segment = _segment(pdf_text, number)
    for label in dict.fromkeys(columns):
        assert label in segment, f"Tabell {number}: kolumnrubriken «{label}» saknas"
    for label, cells in rows:
        pattern = _row_pattern(label, cells, columns)
        assert re.search(pattern, segment), (
            f"Tabell {number}: raden «{label} {' '.join(cells)}» saknas i PDF:en"
        )


def test_the_seeds_contradiction_is_printed_as_stated_with_a_footnote(workbook, pdf_text):
    """9:16: 1 187 bifall in total although 703 + 409 = 1 112; 1 461 beslut although bifall +
    delavslag + avslag = 1 536. The stated figures are printed, each with a footnote."""
    segment = _segment(pdf_text, "9:16")
    columns = TABLES["9:16"][1]
    assert re.search(_row_pattern("– varav bifall", ["703", "409", "1187"], columns), segment)
    assert re.search(_row_pattern("Antal beslut", ["977", "484", "1461"], columns), segment)
    notes = re.findall(r"[^.]*1 187[^.]*1 112[^.]*\.", segment)
    assert notes, "ingen fotnot om 1 187 ≠ 1 112"
    assert any("1 461" in n and "1 536" in n for n in re.findall(r"[^.]*1 461[^.]*1 536[^.]*\.", segment))
    ws = _sheet_of(workbook, "9:16")
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any("1 187" in _normal(t) and "1 112" in _normal(t) for t in texts)


def test_no_figure_is_computed_by_socdesk(pdf_text):
    """Every total is the source's stated one (no "Summa" over populations, regi totals 794 and
    1 815 as stated, not 767 and 1 806), and nothing is marked as computed."""
    assert "Summa" not in pdf_text
    assert "5 524" not in pdf_text
    regi = _segment(pdf_text, "9:22")
    total = dict(TABLES["9:22"][0])["Totalt i staden"]
    assert total == ["794", "100", "25", "100", "142", "100", "1815", "100", "3317", "100"]
    assert re.search(_row_pattern("Totalt i staden", total, TABLES["9:22"][1]), regi)
    assert "767" not in regi and "1 806" not in regi
    assert "beräknad" not in pdf_text.lower()


def test_the_chapters_text_is_printed_where_the_document_has_it(made, pdf_text):
    """seeds/texts/002.toml (the chapter's running text, transcribed) is printed in the
    template's order: each text before the table that follows it in the document, and the
    report has no text left to write."""
    texts = tomllib.loads((ROOT / "seeds" / "texts" / "002.toml").read_text(encoding="utf-8"))
    assert texts["template"] == "statistik-stockholm" and texts["period"] == str(YEAR)
    written = {t["key"]: _normal(t["text"]) for t in texts["text"]}
    template = tomllib.loads(TEMPLATE.read_text(encoding="utf-8"))
    order = [s["key"] for s in template["section"] if s["type"] == "text"]
    assert sorted(order) == sorted(written)
    titles = _titles()
    position = 0
    for s in template["section"]:
        if s["type"] == "text":
            for paragraph in written[s["key"]].split(" ¹ ")[0].split(". ")[:2]:
                found = pdf_text.find(paragraph[:60], position)
                assert found >= 0, f"texten «{s['key']}»: «{paragraph[:60]}» saknas efter plats {position}"
                position = found
        elif s["type"] == "table":
            found = pdf_text.find(
                f"Tabell {s['number']} {' '.join(titles[s['number']].split()[:5])}", position
            )
            assert found >= 0, f"Tabell {s['number']} står inte efter texten före den"
            position = found
    assert "inte skriven" not in pdf_text
