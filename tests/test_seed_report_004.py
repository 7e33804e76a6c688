"""004 read back: the demo's Tertialrapport for 2023-T1 (template tertial-nacka), made as a user
makes it (``socdesk demo``, then ``socdesk report`` to .xlsx and .pdf as subprocesses), holds
every printed figure of every table of the seed at its place (table, row, column), and the
seed's texts.

The oracle is the transcription (build_scripts/seedtables/s004.py: the tables typed as printed),
never the report's own numbers; row and column labels are the seed's. The XLSX is read with
openpyxl (the numbers), the PDF with pypdf (the figures as printed, in Swedish)."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "build_scripts"))
from seedtables import s004  # noqa: E402

TEMPLATE = "tertial-nacka"
PERIOD = "2023-T1"

# --- the oracle: s004's tables with the seed's row and column labels ----------------------

RESULT_LABELS = {
    "N-BOU": "Barn och unga 0-20 år",
    "N-VUX": "Vuxna 21-64 år",
    "N-FN": "Personer med funktionsnedsättning 0-64 år",
    "N-GEM": "Gemensam socialtjänst",
    "N-NMD": "Nämnd och nämndstöd",
    "N-MYN": "Myndighet & Huvudmannaskap",
    "N": "Summa",
}
RESULT_COLUMNS = [
    "Utfall intäkter",
    "Utfall kostnader",
    "Utfall netto",
    "Budget intäkter",
    "Budget kostnader",
    "Budget netto",
    "Budget avvikelse",
    "Budget netto",
    "Prognos netto",
    "Prognos avvikelse",
]
AREA_LABELS = {
    "N-BOU-HDV": "Heldygnsvård",
    "N-BOU-BOPV": "Biståndsbedömd öppenvård",
    "N-BOU-OVR": "Övrig öppenvård inkl föreningsbidrag",
    "N-BOU-FAM": "Familjerådgivning o insatser familjerätt",
    "N-BOU-EKB": "Ensamkommande barn och unga",
    "N-BOU": "Summa Barn och Unga",
    "N-VUX-HDV": "Heldygnsvård",
    "N-VUX-OPV": "Öppenvård vuxen",
    "N-VUX-VNR": "Våld i nära relation",
    "N-VUX-SOK": "Sociala kontrakt",
    "N-VUX": "Summa Vuxna",
    "N-FN-SOL": "Insatser enligt SoL",
    "N-FN-LSS": "Insatser enligt LSS",
    "N-FN-TUR": "Turbundna resor och riksfärdtjänst",
    "N-FN-KBT": "Kommunalt bostadstillägg",
    "N-FN": "Summa personer med funktionsnedsättning",
}
STAT_LABELS = [
    "Antal inledda aktualiseringar",
    "Antal unika personer med inledda aktualiseringar (exkl. personer i kronpärmen)",
    "Antal inledda utredningar",
    "Antal unika personer med inledda utredningar",
    "Antal avslutade utredningar",
    "Antal unika personer med avslutade utredningar",
]
STAT_KEYS = {
    "N-BOU": ("bou-statistik", "Verksamhetsstatistik BoU 0–20 år, kvartal 1"),
    "N-VUX": ("vux-statistik", "Verksamhetsstatistik Vuxna 21–64 år, kvartal 1"),
    "N-VUX-VNR": (
        "vnr-statistik",
        "Verksamhetsstatistik personer utsatta för våld i nära relationer, kvartal 1",
    ),
    "N-FN-SPS": (
        "sps-statistik",
        "Verksamhetsstatistik personer med psykisk funktionsnedsättning, kvartal 1",
    ),
    "N-FN-LSS": ("lss-statistik", "Verksamhetsstatistik personer med insatser enligt LSS, kvartal 1"),
}
INSTITUTION_LABELS = [
    "Antal unika personer inom institution",
    "Antal verkställda placeringar* inom institution",
    "Varav SiS antal unika personer",
    "Antal verkställda SiS placeringar*",
]
INDICATOR_LABELS = {
    "andel_ej_vald_skyddat_boende": (
        "indikatorer-2-2",
        "Andel kvinnor och män över 18 år som vid avslutad placering på skyddat boende uppger att"
        " de inte utsätts för våld. Mål 5 Agenda 2030",
    ),
    "andel_socialt_kontrakt_egen_bostad": (
        "indikatorer-2-3",
        "Andel av hyresgästerna med socialt kontrakt som efter avslutad insats anskaffar en egen bostad.",
    ),
    "andel_lss_boende_inom_kommunen": (
        "indikatorer-2-3",
        "Andel kunder som bedömts och beviljats bistånd till boende enligt LSS och där behovet kan"
        " tillgodoses inom kommunens gränser",
    ),
}
INDICATOR_TITLES = {
    "indikatorer-2-2": "Indikatorer, Bästa utveckling för alla",
    "indikatorer-2-3": "Indikatorer, Attraktiva livsmiljöer i hela Nacka",
}
FUND_LABELS = [
    "Framtids- och utvecklingsfonden: Ett modernt kundval (start 2021 nov, slut höst 2023)",
    "Kompetensfonden: Kompetenshöjning kring kunder med komplexa behov (start 2021 nov, avslutad)",
    "Totalt",
]


def _lines(text: str) -> list[list[str]]:
    return [[c.strip() for c in line.split("|")] for line in text.strip().splitlines()]


def expected_tables() -> dict[str, tuple[str, list[str], list[tuple[str, list[str]]]]]:
    """key → (title, column labels after the label column, [(row label, printed figures)])."""
    q1 = [f"Kvartal 1 {y}" for y in s004.Y5]
    tables: dict[str, tuple[str, list[str], list[tuple[str, list[str]]]]] = {}
    tables["resultat"] = (
        "Ekonomiskt resultat per verksamhet (mnkr), kostnader (−) intäkter (+)",
        RESULT_COLUMNS,
        [(RESULT_LABELS[r[0]], r[1:]) for r in _lines(s004.RESULT)],
    )
    area = [
        "Utfall jan-april 2023",
        "Budget jan-april 2023",
        "Budget avvikelse",
        "Prognos 2023",
        "Budget 2023",
        "Prognos avvikelse",
    ]
    fn_area = [c.replace("april", "apr") for c in area]
    for key, title, text, columns in [
        ("bou", "Barn och Unga 0–20 år (mnkr)", s004.BOU, area),
        ("vux", "Vuxna 21–64 år (mkr)", s004.VUX, area),
        ("fn", "Personer med funktionsnedsättning 0–64 år (mnkr)", s004.FN, fn_area),
    ]:
        tables[key] = (title, columns, [(AREA_LABELS[r[0]], r[1:]) for r in _lines(text)])
    for unit, _where, years, text in s004.STAT_TABLES:
        key, title = STAT_KEYS[unit]
        rows = _lines(text)
        tables[key] = (title, q1[: len(years)], list(zip(STAT_LABELS, rows, strict=True)))
    tables["bou-institution"] = (
        "Institution barn och unga, kvartal 1",
        q1,
        [(label, r[2:]) for label, r in zip(INSTITUTION_LABELS, _lines(s004.INSTITUTION), strict=True)],
    )
    tables["bou-oppenvard"] = (
        "Biståndsbedömda öppenvårdsinsatser barn och unga, kvartal 1",
        q1[:4],
        [("Antal barn och unga 0–20 år i medeltal", s004.BOPV.split("|"))],
    )
    tables["lss-insatser"] = (
        "Antal personer med insatser enligt LSS (Obs preliminära uppgifter pga. eftersläpning i registrering)",
        [f"Genomsnitt KV1 {y}" for y in s004.Y4],
        [(r[0], r[1:]) for r in _lines(s004.LSS_Q1)],
    )
    for key, title in INDICATOR_TITLES.items():
        rows = [
            (INDICATOR_LABELS[r[0]][1], [f"{v} %" for v in r[1:]])
            for r in _lines(s004.INDICATORS)
            if INDICATOR_LABELS[r[0]][0] == key
        ]
        tables[key] = (title, ["Utfall 2022", "Utfall 2023", "Mål 2023", "Måluppfyllelse 2023"], rows)
    tables["statsbidrag"] = (
        "Bidrag som beviljats/erhållits 2023 (kr)",
        ["Sökt belopp", "Erhållet/reserverat belopp", "Prognos 2023"],
        [("Totalt" if r[0] == "TOTAL" else r[0], r[1:]) for r in _lines(s004.STATSBIDRAG)],
    )
    tables["framtidsfonder"] = (
        "Uppföljning av medel ur framtidsfonder (mnkr)",
        ["Ack utfall", "Budget", "Prognos"],
        [(label, list(f[1:])) for label, f in zip(FUND_LABELS, s004.FUNDS, strict=True)],
    )
    return tables


EXPECTED = expected_tables()


def figure(printed: str) -> Decimal:
    """A figure as the seed prints it ('-1 010,4', '76 %') as the number it is."""
    text = printed.replace("%", "").replace("−", "-").replace(",", ".")
    return Decimal(re.sub(r"\s", "", text))


def normal(text: str) -> str:
    """PDF text as comparable text: ligatures and no-break spaces undone (NFKC), one minus sign,
    any run of white space one space."""
    text = unicodedata.normalize("NFKC", text).replace("−", "-")
    return re.sub(r"\s+", " ", text)


# --- the report as a user makes it ---------------------------------------------------------


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "socdesk", *args], capture_output=True, text=True, encoding="utf-8"
    )


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report004")
    db = folder / "demo.db"
    done = run("demo", "--db", str(db))
    assert done.returncode == 0, done.stderr
    outputs = {}
    for suffix in ("xlsx", "pdf"):
        out = folder / f"tertial.{suffix}"
        done = run("report", "--template", TEMPLATE, "--db", str(db), "--period", PERIOD, "-o", str(out))
        assert done.returncode == 0, done.stdout + done.stderr
        assert out.exists()
        outputs[suffix] = out
        # the remaining-work list the command prints (a draft prints it too)
        outputs["remaining"] = [line.strip() for line in done.stdout.splitlines()[1:-1]]
    return outputs


@pytest.fixture(scope="module")
def book(made):
    import openpyxl

    return openpyxl.load_workbook(made["xlsx"])


@pytest.fixture(scope="module")
def pdf_pages(made) -> list[str]:
    """Each page's text, without the running header and footer (the lines every page has)."""
    from pypdf import PdfReader

    pages = [page.extract_text().splitlines() for page in PdfReader(made["pdf"]).pages]
    assert len(pages) > 3

    def furniture(line: str) -> str:
        return re.sub(r"\d+", "#", line.strip())

    common = set.intersection(*({furniture(line) for line in lines} for lines in pages[1:]))
    return [normal("\n".join(line for line in lines if furniture(line) not in common)) for lines in pages]


@pytest.fixture(scope="module")
def pdf_text(pdf_pages) -> str:
    return " ".join(pdf_pages)


def sheet_of(book, key: str, title: str):
    """The sheet of a table: named by or titled with its key or its title."""
    found = [
        ws
        for ws in book.worksheets
        if key in ws.title
        or any(
            isinstance(c, str) and (title in normal(c) or c.strip() == key)
            for row in ws.iter_rows(max_row=3, values_only=True)
            for c in row
        )
    ]
    assert len(found) == 1, f"tabell {key!r} ({title}): {len(found)} blad av {book.sheetnames}"
    return found[0]


def header_row(ws, columns: list[str]) -> int:
    for r in range(1, 12):
        cells = [normal(str(ws.cell(r, c).value or "")).strip() for c in range(2, len(columns) + 2)]
        if cells == columns:
            return r
    shown = [[ws.cell(r, c).value for c in range(1, len(columns) + 2)] for r in range(1, 8)]
    raise AssertionError(f"{ws.title}: ingen rubrikrad {columns}; bladets början: {shown}")


def number_shown(cell) -> Decimal:
    """The number in a cell as Excel shows it: a percentage cell holds the fraction."""
    assert isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool), (
        f"{cell.coordinate}: {cell.value!r} är inget tal"
    )
    value = Decimal(repr(cell.value))
    return value * 100 if "%" in cell.number_format else value


# --- the tests -----------------------------------------------------------------------------


def test_every_table_of_the_seed_is_in_the_workbook_at_its_place(book):
    checked = 0
    for key, (title, columns, rows) in EXPECTED.items():
        ws = sheet_of(book, key, title)
        head = header_row(ws, columns)
        labels = {}
        for r in range(head + 1, ws.max_row + 1):
            label = ws.cell(r, 1).value
            if isinstance(label, str) and label.strip():
                labels.setdefault(normal(label).strip(), r)
        previous = head
        for label, printed in rows:
            assert label in labels, f"{key}: raden «{label}» saknas (rader: {list(labels)})"
            r = labels[label]
            assert r > previous, f"{key}: raden «{label}» står inte i seedens ordning"
            previous = r
            for c, (column, shown) in enumerate(zip(columns, printed, strict=True), start=2):
                got = number_shown(ws.cell(r, c))
                assert got == figure(shown), f"{key}, «{label}», «{column}»: {got} i Excel, {shown} i seeden"
                checked += 1
    # every figure of every representable table of 004 (the oracle's count, not the report's)
    assert checked == sum(len(p) for _t, _c, rows in EXPECTED.values() for _l, p in rows)
    # result 70, area tables 96, statistics 144, institution 20, öppenvård 4, LSS insatser 40,
    # indicators 12, statsbidrag 30, framtidsfonder 9
    assert checked == 425


def test_every_table_of_the_seed_is_printed_in_the_pdf_as_the_seed_prints_it(pdf_text):
    """Each row's figures, as the seed prints them (Swedish format, minus signs, 76 %), appear
    in order under their table's title, rows in the seed's order."""
    for key, (title, _columns, rows) in EXPECTED.items():
        start = pdf_text.find(normal(title))
        assert start >= 0, f"{key}: rubriken «{title}» saknas i PDF:en"
        at = start + len(title)
        for label, printed in rows:
            figures = " ".join(normal(p) for p in printed)
            found = pdf_text.find(" " + figures + " ", at)
            assert found >= 0, f"{key}, «{label}»: «{figures}» saknas efter rubriken (i ordning)"
            at = found + len(figures)
        nxt = [pdf_text.find(normal(t), start + len(title)) for t, _c, _r in EXPECTED.values()]
        following = min([n for n in nxt if n > start] or [len(pdf_text)])
        assert at <= following, f"{key}: raderna står inte under sin egen tabell"


def test_stated_avvikelser_are_printed_as_stated_not_recomputed(book, pdf_text):
    """Heldygnsvård BoU: 35,2 − 32,0 = 3,2 from the rounded figures, the seed states −3,3."""
    title, columns, _rows = EXPECTED["bou"]
    ws = sheet_of(book, "bou", title)
    head = header_row(ws, columns)
    row = next(r for r in range(head + 1, ws.max_row + 1) if ws.cell(r, 1).value == "Heldygnsvård")
    assert number_shown(ws.cell(row, 4)) == Decimal("-3.3")
    assert " 35,2 32,0 -3,3 108,9 95,9 -13,0 " in pdf_text


def test_the_statsbidrag_total_is_the_stated_one_with_a_footnote(book, pdf_text):
    """The seed's prognos total (14 985 205) is 2 000 kr more than its rows (14 983 205): the
    stated total is printed, and a footnote at the row says so (docs/seeds.md)."""
    rows = [r for r in _lines(s004.STATSBIDRAG) if r[0] != "TOTAL"]
    assert sum(figure(r[3]) for r in rows) == 14_983_205
    title, columns, _rows = EXPECTED["statsbidrag"]
    start = pdf_text.find(normal(title))
    end = pdf_text.find("7 Åtgärdsplan", start)
    table = pdf_text[start:end]
    assert "11 183 205 11 183 205 14 985 205" in table
    assert "14 983 205" in table, "ingen fotnot om summan av raderna vid Totalt"
    ws = sheet_of(book, "statsbidrag", title)
    notes = [
        normal(c)
        for row in ws.iter_rows(min_row=header_row(ws, columns) + 1, values_only=True)
        for c in row
        if isinstance(c, str)
    ]
    assert any("14 983 205" in n for n in notes), notes


# (title, series, values, categories)
CHARTS = [
    (
        "Antal placeringar per kvartal 2019–2023, heldygnsvård BoU 0–20 år",
        ["Institution", "Jourhem", "Familjehem inkl nätverk", "Stödboende"],
        s004.BOU_CHART,
        [f"KV 1 {y}" for y in range(2019, 2024)],
    ),
    (
        "Antal placeringar per kvartal 2020–2023, heldygnsvård vuxna 21–64 år",
        ["Familjehem", "Stödboende/Träningslägenhet", "HVB"],
        s004.VUX_CHART,
        [f"KV1 {y}" for y in range(2020, 2024)],
    ),
]


def test_the_placement_charts_show_the_seeds_series_with_their_values(pdf_pages):
    """The seed's two charts: the same forms (series) over the same quarters, each bar with its
    value printed, as the seed's bars are (the chart's text is on the page of its title)."""
    for title, series, text, categories in CHARTS:
        pages = [p for p in pdf_pages if normal(title) in p]
        assert len(pages) == 1, f"diagrammet «{title}» finns på {len(pages)} sidor"
        chart = pages[0][pages[0].find(normal(title)) :]
        for name in series + categories:
            assert name in chart, f"{title}: «{name}» saknas"
        words = chart.split(" ")
        for row in _lines(text):
            for value in row[1:]:
                assert value in words, f"{title}, {row[0]}: värdet {value} saknas vid stapeln"


def texts_of_the_seed() -> list[tuple[str, str]]:
    data = tomllib.loads((ROOT / "seeds" / "texts" / "004.toml").read_text(encoding="utf-8"))
    assert data["template"] == TEMPLATE and data["period"] == PERIOD
    return [(t["key"], t["text"]) for t in data["text"]] + [(c["unit"], c["text"]) for c in data["comment"]]


def _bare(text: str) -> str:
    """Text to compare paragraphs by: no white space, hyphens or list bullets (a line broken
    at a hyphen, a bullet that pypdf extracts apart from its line)."""
    return re.sub(r"[\s\-­•]", "", unicodedata.normalize("NFKC", text).replace("−", "-"))


def test_every_chapter_text_and_analysis_of_the_seed_is_printed(pdf_text):
    bare = _bare(pdf_text)
    texts = texts_of_the_seed()
    assert len(texts) == 33
    for key, text in texts:
        for paragraph in text.split("\n\n"):
            assert _bare(paragraph) in bare, f"{key}: «{paragraph[:70]}…» saknas i PDF:en"
    for heading in [
        "1 Sammanfattning",
        "2 Verksamhetsresultat",
        "2.1 Maximalt värde för skattepengarna",
        "2.2 Bästa utveckling för alla",
        "2.3 Attraktiva livsmiljöer i hela Nacka",
        "2.4 Stark balanserad tillväxt",
        "3 Agenda 2030",
        "4 Ekonomiskt resultat",
        "5 Investeringar",
        "6 Redovisning riktade statsbidrag prognos",
        "7 Åtgärdsplan",
        "8 Uppföljning av medel ur framtidsfonder",
        "9 Sjukfrånvaro",
    ]:
        assert heading in pdf_text, heading


def test_no_internal_codes_or_formula_names_are_printed(made, pdf_text):
    """Outside the draft's remaining-work list (which names the units to open), no unit code or
    formula name is printed: the template prints names (codes = false)."""
    assert made["remaining"], "the demo's report is a draft: its list is what is left out here"
    for reason in made["remaining"]:
        pdf_text = pdf_text.replace(normal(reason), "")
    assert not re.search(r"\bN-[A-Z]{2,}", pdf_text), re.findall(r"\bN-[A-Z-]+", pdf_text)[:5]
    assert "nettokostnad_per" not in pdf_text and "arsplaceringar" not in pdf_text
    # 004 prints no key figures per dygn or per årsplacering (issue 13: never net cost over days)
    assert "per dygn" not in pdf_text.replace("placeringsdygn för perioden", "")
