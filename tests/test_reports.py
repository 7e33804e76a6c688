"""The nämnd's reports from the demo data, read back from the PDF and the workbook: the printed
figures equal the seed reports' printed figures (003 per program, 004 per budgetrad, 001's key
figures), tables that span pages repeat their header, nothing is cut off, and a draft says so
on every page."""

import csv
import re
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from socdesk import cli
from socdesk.core.numbers import format_number, parse_number
from socdesk.core.periods import Month
from socdesk.io.seeds import open_database
from socdesk.reports.board import Kind, build
from socdesk.reports.output import write_report

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seed(name: str) -> dict[tuple[str, str, str, str], str]:
    """(unit, measure, scenario, period) → the value as printed, for the plain (no kön, no grupp) rows."""
    with (SEEDS / name).open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    return {
        (r["enhet"], r["mått"], r["scenario"], r["period"]): r["värde"]
        for r in rows
        if r["period"] and not r["kön"] and not r["grupp"]
    }


def norm(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u2212", "-")


def printed(text: str, negate: bool = False) -> str:
    """A seed's printed figure as socdesk prints it (same decimals; "-" is shown as "–")."""
    if text in ("-", ".", "*"):
        return {"-": "–"}.get(text, text)
    n = parse_number(text)
    decimals = len(text.split(",")[1]) if "," in text else 0
    return norm(format_number(-n if negate else n, decimals))


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from socdesk.io.seeds import build_demo

    path = tmp_path_factory.mktemp("rep") / "demo.db"
    build_demo(path)
    s = open_database(path)
    yield s
    s.close()


@pytest.fixture(scope="module")
def app(qapp):
    return qapp  # fonts and layout for the PDF


def generic_statistics(store):
    """The generic Statistikrapport (statistik.toml) of Stockholm 2024: its counts section, the
    tables by insats and kön with röjandekontroll (002's own layout is statistik-stockholm's)."""
    from socdesk.core.periods import Period
    from socdesk.reports import compose, template

    generic = template.load(template.shipped_dir() / "statistik.toml")
    return compose.build(store, generic, "STH", Period.year(2024), draft_check=False)


def pdf_pages(path: Path) -> list[str]:
    return [re.sub(r"[ \t]+", " ", norm(p.extract_text())) for p in PdfReader(str(path)).pages]


def test_manad_prints_003s_figures_per_program(store, app, tmp_path):
    report = build(store, Kind.MONTHLY, "SN", Month(2024, 5))
    table = next(t for t in report.tables() if t.key == "program")  # 003's first page
    oracle = seed("003_budgetuppfoljning_maj_2024.csv")
    tree = store.unit_tree()
    checked = 0
    for r, code in enumerate(table.row_keys):
        for c, (scenario, period) in enumerate(
            [
                ("utfall", "2024-01/2024-05"),
                ("budget", "2024-01/2024-05"),
                ("avvikelse", "2024-01/2024-05"),
                ("budget", "2024"),
            ],
            start=1,
        ):
            assert norm(table.text(r, c)) == printed(oracle[(code, "netto", scenario, period)]), (
                code,
                scenario,
            )
            checked += 1
    assert table.row_keys == [u.code for u in tree.children("SN")] + ["SN"]
    assert checked == 4 * 11 and table.rows[-1][0] == "Totalt" and table.totals == {10}
    pdf = tmp_path / "manad.pdf"
    write_report(report, pdf)
    pages = pdf_pages(pdf)
    assert len(pages) >= 2
    whole = "\n".join(pages)
    # 771's Årsbudget is stated, with a footnote mark: its verksamheter sum to 139 324
    assert re.search(
        r"771\s+Äldreomsorg\s*(?:[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\d+\))\s+58 611\s+57 760\s+[-−]851\s+134 114", whole
    )
    assert re.search(r"Totalt\s+141 388\s+139 225\s+[-−]2 163\s+323 925", whole)
    for i, page in enumerate(pages):
        assert f"Sida {i + 1} av {len(pages)}" in page
        assert "UTKAST" in page  # the demo has flagged units without analysis
    # pages with rows of the tables: a unit's code and name, then its figures
    table_pages = [p for p in pages if re.search(r"^\d{3,4} \S.* -?\d[\d ]*$", p, re.M)]
    assert len(table_pages) >= 2  # the table spans pages …
    for page in table_pages:  # … and every page repeats its header
        assert re.search(
            r"Verksamhet\s+Utfall(?:\s+tkr)?\s+Budget(?:\s+tkr)?\s+Avvikelse(?:\s+tkr)?\s+Årsbudget", page
        ), page[:400]


def test_tertial_prints_004s_budgetrad_table(store, app, tmp_path):
    """The tertialrapport of N is made from the shipped template tertial-nacka (004's layout);
    the whole of 004 is read back in tests/test_seed_report_004.py."""
    report = build(store, Kind.TERTIAL, "N", Month(2023, 4))
    assert report.template == "tertial-nacka"
    table = next(t for t in report.tables() if t.key == "resultat")
    assert [c.title for c in table.columns] == [
        "Verksamhet",
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
    assert table.column_groups == [
        ("", 1),
        ("Ack utfall 2023", 3),
        ("Ack budget 2023", 4),
        ("Helår budget och prognos 2023", 3),
    ]
    oracle = seed("004_tertialrapport_1_2023_resultat.csv")
    tree = store.unit_tree()
    codes = [u.code for u in tree.children("N")] + ["N"]
    assert table.row_keys == codes
    expected_columns = [
        ("intakter", "utfall", "2023-T1"),
        ("kostnader", "utfall", "2023-T1"),
        ("netto", "utfall", "2023-T1"),
        ("intakter", "budget", "2023-T1"),
        ("kostnader", "budget", "2023-T1"),
        ("netto", "budget", "2023-T1"),
        ("netto", "avvikelse", "2023-T1"),
        ("netto", "budget", "2023"),
        ("netto", "prognos", "2023"),
        ("netto", "prognosavvikelse", "2023"),
    ]
    checked = 0
    for r, code in enumerate(codes):
        for c, key in enumerate(expected_columns, start=1):
            stated = oracle.get((code, *key))
            if stated is not None:
                assert norm(table.text(r, c)) == printed(stated), (code, key)
                checked += 1
    assert checked == 7 * 10  # every budgetrad and the total, every column
    pdf = tmp_path / "tertial.pdf"
    rendered = write_report(report, pdf)
    assert rendered == pdf
    whole = "\n".join(pdf_pages(pdf))
    assert re.search(
        r"Summa\s+20,3\s+-352,9\s+-332,6\s+20,5\s+-358,5\s+-338,0\s+5,4\s+-1 010,4\s+-1 008,4\s+2,0", whole
    )
    assert report.landscape  # eleven columns: landscape pages
    xlsx = tmp_path / "tertial.xlsx"
    write_report(report, xlsx)
    ws = next(w for w in load_workbook(xlsx).worksheets if "Ekonomiskt resultat" in w["A1"].value)
    total = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, 1).value == "Summa")
    assert [float(ws.cell(total, c).value) for c in range(2, 12)] == [
        20.3,
        -352.9,
        -332.6,
        20.5,
        -358.5,
        -338.0,
        5.4,
        -1010.4,
        -1008.4,
        2.0,
    ]


def test_nyckeltal_prints_001s_key_figures(store, app, tmp_path):
    """The generic nyckeltal template on Nacka (board N's own, nyckeltal-nacka, is 001's layout:
    tests/test_seed_report_001.py)."""
    from socdesk.core.periods import Period
    from socdesk.reports import compose, template

    generic = template.load(template.find("nyckeltal"))
    report = compose.build(store, generic, "N", Period.year(2023))
    oracle = seed("001_nyckeltal_2023.csv")
    measures = store.measures()
    by_name = {m.name: k for k, m in measures.items()}
    checked = hidden = 0
    for table in report.tables():
        code = table.key.partition(":")[2]  # one table per unit of the board (nyckeltal.toml)
        years = [c.title for c in table.columns[2:]]
        for r, row in enumerate(table.rows):
            key = by_name.get(row[0])
            for c, year in enumerate(years, start=2):
                stated = oracle.get((code, key, "utfall", year))
                if stated is None:
                    continue
                if (
                    measures[key].unit in ("personer", "antal")
                    and stated not in "-.*"
                    and parse_number(stated) < 4
                ):
                    assert table.text(r, c) == "*", (code, row[0], year)  # 001 printed it; we may not
                    hidden += 1
                else:
                    assert norm(table.text(r, c)) == printed(stated), (code, row[0], year)
                    checked += 1
    assert checked > 150 and hidden >= 1
    pdf = tmp_path / "nyckeltal.pdf"
    write_report(report, pdf)
    pages = pdf_pages(pdf)
    # A draft only for the contradictions of 001 it prints (footnotes waiting for an acknowledgement)
    assert report.draft_reasons and all(r.startswith("Kontroll: ") for r in report.draft_reasons)
    assert len(pages) >= 3 and all("UTKAST" in p for p in pages)
    whole = "\n".join(pages)
    assert "Heldygnsvård barn och unga" in whole
    # 001, Institutionsvård barn och unga: vårddygn 2019–2023 as printed there
    assert re.search(r"Antal\s+vårddygn\s+dygn\s+5 871\s+7 205\s+5 905\s+7 192\s+6 717", whole)
    assert re.search(
        r"Årsplaceringar\s+\(vårddygn\s+÷\s+dagar\)\s+årsplaceringar\s+16,1\s+19,7\s+16,2\s+19,7\s+18,4",
        whole,
    )
    for page in pages[1:]:
        if "Mått" in page:
            assert re.search(r"Mått\s+Enhet\s+20\d\d\s+20\d\d", page)  # the header, on every page


def test_nothing_is_cut_off(store, app, tmp_path):
    from socdesk.reports.render import report_pdf

    for kind, unit, month in [
        (Kind.MONTHLY, "SN", Month(2024, 5)),
        (Kind.TERTIAL, "N", Month(2023, 4)),
        (Kind.KEY_FIGURES, "N", Month(2023, 12)),
        (Kind.STATISTICS, "STH", Month(2024, 12)),
    ]:
        rendered = report_pdf(build(store, kind, unit, month), tmp_path / f"{kind.value}.pdf")
        assert rendered.fits and rendered.layouts == 1, kind  # laid out once: no table too wide


def test_report_from_the_command_line(store, tmp_path, capsys):
    out = tmp_path / "manad.html"
    assert (
        cli.main(
            [
                "report",
                "manad",
                "--db",
                str(store.path),
                "--period",
                "2024-05",
                "--unit",
                "SN",
                "-o",
                str(out),
            ]
        )
        == 0
    )
    text = out.read_text(encoding="utf-8")
    assert "771 Äldreomsorg" in text and "Totalt" in text and "UTKAST" in text
    assert "UTKAST" in capsys.readouterr().out
    assert (
        cli.main(
            [
                "report",
                "tertial",
                "--db",
                str(store.path),
                "--period",
                "2023-T1",
                "--unit",
                "N",
                "-o",
                str(tmp_path / "t.pdf"),
            ]
        )
        == 0
    )
    assert (tmp_path / "t.pdf").read_bytes().startswith(b"%PDF")
    assert (
        cli.main(
            ["report", "manad", "--db", str(store.path), "--period", "2024-05", "-o", str(tmp_path / "x.doc")]
        )
        != 0
    )


def test_the_report_dialog_lists_what_is_left_previews_and_saves_on_a_worker(
    qtbot, demo_db, tmp_path, monkeypatch
):
    from PySide6.QtCore import QSettings
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    from socdesk.gui.context import AppContext
    from socdesk.gui.main_window import MainWindow

    s = open_database(demo_db)
    w = MainWindow(AppContext(s, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    qtbot.addWidget(w)
    w.show()
    w.select_unit("771")
    w.report_action.trigger()
    dialog = w.report_dialog
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=20_000)
    assert dialog.templates.currentData() == "manad"  # the template that fits SN's board
    assert dialog.scope.currentData() == "SN" and dialog.period.currentText() == "maj 2024"
    assert dialog.reasons.count() > 3 and "saknar avvikelseanalys" in dialog.reasons.item(0).text()
    assert "UTKAST" in dialog.status.text()
    painted = []

    def exec_(preview):  # the preview paints the same pages as the PDF
        from PySide6.QtPrintSupport import QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "preview.pdf"))
        preview.paintRequested.emit(printer)
        painted.append(True)
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", exec_)
    dialog.preview.click()  # the PDF is made on the worker, then previewed
    qtbot.waitUntil(lambda: bool(painted), timeout=20_000)
    assert len(PdfReader(str(tmp_path / "preview.pdf")).pages) >= 2
    dialog.save_as(str(tmp_path / "manad.doc"))
    qtbot.waitUntil(lambda: ".pdf, .xlsx eller .html" in dialog.status.text(), timeout=20_000)
    assert not (tmp_path / "manad.doc").exists()
    target = tmp_path / "manad.pdf"
    dialog.save_as(str(target))
    qtbot.waitUntil(lambda: "sparad" in dialog.status.text(), timeout=20_000)
    assert target.exists() and dialog.progress.value() == 100
    assert "771 Äldreomsorg" in "".join(pdf_pages(target))
    dialog.reject()
    w.close()
    s.close()


def test_statistik_hides_small_counts_and_keeps_002s_totals(store, app, tmp_path):
    report = generic_statistics(store)
    oracle = {}
    with (SEEDS / "002_socialtjanstrapporten_2024.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f, delimiter=";"):
            if r["enhet"] == "STH" and r["period"] == "2024":
                oracle[(r["mått"], r["grupp"], r["kön"])] = r["värde"]
    measures = {m.name: k for k, m in store.measures().items()}
    stars = compared = 0
    for table in report.tables():
        if "efter kön" not in table.title:
            continue
        name, _sep, family = table.title.removesuffix(" efter kön, 2024").partition(", ")
        key = measures[name]
        for r, row in enumerate(table.rows):
            for c in (1, 2, 3):
                text = table.text(r, c)
                if text == "*":
                    stars += 1
                    continue
                assert parse_number(text) >= 4  # nothing below the threshold is printed
            label = row[0]
            last = r == len(table.rows) - 1
            group = family if last and family else (f"{family}: {label}" if family and not last else label)
            for c, gender in ((1, "K"), (2, "M")):
                stated = oracle.get((key, group, gender))
                if stated is not None and table.text(r, c) != "*":
                    assert norm(table.text(r, c)) == printed(stated), (table.title, label, gender)
                    compared += 1
    assert stars > 0 and compared > 30
    pdf = tmp_path / "statistik.pdf"
    write_report(report, pdf)
    whole = "\n".join(pdf_pages(pdf))
    assert "* färre än 4 personer" in whole
    assert re.search(r"Boendestöd\s+\(SoL\)\s+812\s+773\s+1 585", whole)  # 002's figures
    xlsx = tmp_path / "statistik.xlsx"
    write_report(report, xlsx)
    book = load_workbook(xlsx)
    counts = [ws for ws in book.worksheets if "efter kön" in ws["A1"].value]  # not the rates
    values = [c.value for ws in counts for row in ws.iter_rows(min_row=4) for c in row]
    assert "*" in values and 812 in values
    assert not any(
        isinstance(v, (int, float)) and 0 <= v < 4 for v in values
    )  # no small count in Excel either


def test_tertial_has_its_charts_in_every_output(store, app, tmp_path):
    report = build(store, Kind.TERTIAL, "N", Month(2023, 4))
    titles = [c.title for c in report.charts()]
    assert titles == [  # 004's two charts: placements by form over the years, with their values
        "Antal placeringar per kvartal 2019–2023, heldygnsvård BoU 0–20 år",
        "Antal placeringar per kvartal 2020–2023, heldygnsvård vuxna 21–64 år",
    ]
    bou = report.charts()[0]
    assert bou.values and [name for name, _v in bou.series] == [
        "Institution",
        "Jourhem",
        "Familjehem inkl nätverk",
        "Stödboende",
    ]
    assert bou.series[0][1] == [Decimal(v) for v in ("10.1", "21.8", "16.3", "17.9", "20.3")]
    html_file = tmp_path / "t.html"
    write_report(report, html_file)
    assert html_file.read_text(encoding="utf-8").count("<svg") == len(titles)
    pdf = tmp_path / "t.pdf"
    write_report(report, pdf)
    reader = PdfReader(str(pdf))
    assert sum(len(p.images) for p in reader.pages) == 0  # vector drawings, no pictures of charts …
    assert figures(reader) == titles  # … each a figure in the structure tree, its title the alt text


def figures(reader: PdfReader) -> list[str]:
    found = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, list):
            for kid in node:
                walk(kid)
        elif hasattr(node, "get"):
            if node.get("/S") == "/Figure":
                found.append(str(node.get("/Alt")))
            if node.get("/K") is not None:
                walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def test_the_disclosure_threshold_is_a_setting(store, qtbot, demo_db, tmp_path, monkeypatch):
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QInputDialog

    from socdesk.gui.context import AppContext
    from socdesk.gui.main_window import MainWindow

    s = open_database(demo_db)
    w = MainWindow(AppContext(s, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    qtbot.addWidget(w)
    monkeypatch.setattr(QInputDialog, "getInt", lambda *a: (6, True))
    w.threshold_action.trigger()
    assert s.setting("disclosure_threshold") == "6"
    report = generic_statistics(s)
    tables = [t for t in report.tables() if "efter kön" in t.title]
    assert all("färre än 6" in t.legend for t in tables)
    for t in tables:
        for r in range(len(t.rows)):
            for c in (1, 2, 3):
                assert t.text(r, c) == "*" or parse_number(t.text(r, c)) >= 6
    w.close()
    s.close()


def test_a_figure_in_two_tables_is_hidden_in_both(store):
    report = generic_statistics(store)
    shown: dict[tuple[str, str], dict[int, str]] = {}  # (measure, group) → column → text
    shared = 0
    for t in report.tables():
        if "efter kön" not in t.title:
            continue
        name, _sep, family = t.title.removesuffix(" efter kön, 2024").partition(", ")
        for r, row in enumerate(t.rows):
            last = r == len(t.rows) - 1
            if last and not family:
                continue  # the tops' own Summa
            group = family if last else (f"{family}: {row[0]}" if family else row[0])
            shown.setdefault((name, group), {})
            for c in (1, 2, 3):
                text, before = t.text(r, c), shown[(name, group)].get(c)
                if before is not None:
                    assert (before == "*") == (text == "*"), (name, group, c)
                    shared += 1
                shown[(name, group)][c] = text
    assert shared >= 9  # family totals that are rows of the tops' table


def test_tertial_indicators_with_target_and_attainment_as_004(store):
    report = build(store, Kind.TERTIAL, "N", Month(2023, 4))
    tables = [t for t in report.tables() if t.key.startswith("indikatorer")]
    oracle = seed("004_tertialrapport_1_2023.csv")
    rows = [(t, r, key) for t in tables for r, key in enumerate(t.row_keys)]
    assert len(rows) == 3
    for table, r, key in rows:
        for c, scenario, year in (
            (1, "utfall", "2022"),
            (2, "utfall", "2023"),
            (3, "mal", "2023"),
            (4, "maluppfyllelse", "2023"),
        ):
            assert norm(table.text(r, c)) == printed(oracle[("N", key, scenario, year)]) + " %", (
                key,
                scenario,
            )


def test_an_average_resting_on_few_persons_is_hidden(demo_db):
    from socdesk.core.facts import Fact, FactKey, Scenario
    from socdesk.core.periods import Period
    from socdesk.core.values import Value

    s = open_database(demo_db)
    year = Period.year(2024)
    s.write_facts(
        [
            Fact(
                FactKey("STH", "personer_med_beslut", Scenario.ACTUAL, year, group="Testinsats"), Value.of(2)
            ),
            Fact(
                FactKey(
                    "STH", "beviljade_timmar_medel", Scenario.ACTUAL, year, gender="K", group="Testinsats"
                ),
                Value.of(40),
            ),
            Fact(
                FactKey(
                    "STH", "beviljade_timmar_medel", Scenario.ACTUAL, year, gender="K", group="Okänd bas"
                ),
                Value.of(30),
            ),
        ],
        source="test",
    )
    report = generic_statistics(s)
    table = next(t for t in report.tables() if t.title.startswith("Beviljade timmar per månad"))
    rows = {row[0]: [table.text(r, c) for c in (1, 2, 3)] for r, row in enumerate(table.rows)}
    assert rows["Testinsats"][0] == "*" and rows["Okänd bas"][0] == "*"
    assert rows["Personlig assistans (LSS), vuxna"][:2] == ["205", "201"]  # 188 persons behind: shown as 002
    assert "minst 4 personer" in table.legend
    s.close()
