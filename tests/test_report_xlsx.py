"""A report as Excel (io/xlsx.write_report_xlsx through reports/output.write_report and
`socdesk report … -o x.xlsx`): sheet names Excel takes, the title in A1, column groups merged,
number formats as printed, real percentages, totals bold, footnotes, print set-up, the
remaining work on its own sheet and a first sheet with everything that is not a table."""

import subprocess
import sys
from decimal import Decimal as D
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from socdesk.core.cells import Column
from socdesk.io.xlsx import sheet_name
from socdesk.reports.document import Chart, Heading, Paragraph, Report, Table, TitlePage
from socdesk.reports.output import write_report

A4 = 9  # Excel's paper size code
FORBIDDEN = set("[]:*?/\\")


def socdesk(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "socdesk", *map(str, args)], capture_output=True, text=True, timeout=300
    )


def num(cell) -> D:
    """A number cell as the decimal Excel shows at full precision (openpyxl reads floats)."""
    return D(str(cell.value))


def valid(name: str) -> bool:
    return (
        0 < len(name) <= 31
        and not FORBIDDEN & set(name)
        and name == name.strip()
        and not name.startswith("'")
        and not name.endswith("'")
    )


def test_sheet_names_excel_takes():
    taken: set[str] = set()
    assert sheet_name("9:1 Antal personer med insats", taken) == "9.1 Antal personer med insats"
    long = "4:1 Ekonomiskt resultat per verksamhetsområde (mnkr)"
    name = sheet_name(long, taken)
    assert valid(name) and name.startswith("4.1 Ekonomiskt resultat per")  # the scale goes first
    assert sheet_name("Resultat [netto] ?/*\\ ", taken) == "Resultat netto"
    assert sheet_name("RESULTAT NETTO", taken) == "RESULTAT NETTO (2)"  # Excel ignores case
    again = sheet_name(long, taken)
    assert valid(again) and again.endswith("(2)") and again != name
    assert sheet_name("'''", taken) == "Blad"
    assert {valid(n) for n in taken} == {True}


@given(st.lists(st.text(min_size=0, max_size=80), min_size=1, max_size=30))
def test_any_titles_give_valid_unique_sheet_names(titles):
    taken: set[str] = set()
    names = [sheet_name(t, taken) for t in titles]
    assert all(valid(n) for n in names), names
    assert len({n.casefold() for n in names}) == len(names)


def report_with_everything() -> Report:
    money = Table(
        "Ekonomiskt resultat per verksamhetsområde (mnkr)",
        [
            Column("Verksamhet"),
            Column("Intäkter", "money1"),
            Column("Kostnader", "money1"),
            Column("Netto", "money1"),
            Column("Avvikelse", "money1"),
            Column("Avvikelse %", "number"),
            Column("Årsplaceringar", "number"),
            Column("Personer", "money"),
            Column("Status"),
        ],
        [
            [
                "Barn och unga",
                D("3.2"),
                D("-66.1"),
                D("-62.94"),
                D("-2.1"),
                D("12.5"),
                D("123.1"),
                D(1234),
                "ok",
            ],
            ["=SUM(A1)", D("0"), D("-1.4"), D("-1.4"), D("0.05"), D("-3.25"), D("7"), "*", "*"],
            ["Summa", D("3.2"), D("-67.5"), D("-64.34"), D("-2.05"), D("3.0"), D("130.1"), D(1239), None],
        ],
        bold={2},
        legend="Avvikelse: + är bättre än budget.",
        decimals={5: 1, 6: 1},
        cell_decimals={(1, 6): 0},
        number="4:1",
        key="resultat",
        column_groups=[("", 1), ("Utfall T1 2023", 3), ("Mot budget", 2), ("Volym", 2), ("", 1)],
        totals={2},
        notes={0: ["Budgeten omfördelad i april (SN § 41)."], 2: ["Summan är den angivna, inte radernas."]},
        computed={(0, 6)},
        scales={5: "%", 1: "mnkr"},
    )
    small = Table(
        "Indikatorer", [Column("Indikator"), Column("Utfall", "pct0")], [["Andel", D(70)]], key="ind"
    )
    chart = Chart(
        "Antal placeringar per kvartal",
        ["KV 1 2022", "KV 1 2023"],
        [("Institution", [D("17.9"), D("20.3")]), ("Jourhem", [D("15.2"), None])],
        kind="bar",
        values=True,
    )
    return Report(
        "tertial",
        "Tertialrapport 1 2023",
        "Socialnämnden",
        "T1 2023",
        "2023-05-10",
        "ändring 12",
        blocks=[
            Heading("1 Sammanfattning", 1),
            Paragraph("Socialnämndens ackumulerade resultat per tertial 1 är −2,1 mnkr."),
            money,
            Heading("2 Placeringar", 2),
            chart,
            Paragraph("Ingen analys.", style="analysis"),
            small,
        ],
        draft_reasons=["Barn och unga är flaggad (röd) men saknar avvikelseanalys.", "=1+1 är inte skriven."],
        template="tertial-nacka",
        title_page=TitlePage(
            "Socialnämnden Nacka", "Tertialrapport 1 2023", "Tertial 1 2023", "SOC 2023/12", "2023-05-24"
        ),
    )


def test_a_table_sheet_as_printed(tmp_path):
    out = write_report(report_with_everything(), tmp_path / "r.xlsx")
    book = load_workbook(out)
    assert book.sheetnames == ["Rapport", "Kvar att göra", "4.1 Ekonomiskt resultat per…", "Indikatorer"]
    ws = book["4.1 Ekonomiskt resultat per…"]
    assert ws["A1"].value == "Tabell 4:1 Ekonomiskt resultat per verksamhetsområde (mnkr)"
    assert ws["A1"].font.b
    assert "UTKAST" in ws["A2"].value and "Tertialrapport 1 2023" in ws["A2"].value
    # column groups merged above the header
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert merged == {"B3:D3", "E3:F3", "G3:H3"}
    assert [ws.cell(3, c).value for c in (2, 5, 7)] == ["Utfall T1 2023", "Mot budget", "Volym"]
    header = [c.value for c in ws[4]]
    assert header == [
        "Verksamhet",
        "Intäkter",
        "Kostnader",
        "Netto",
        "Avvikelse",
        "Avvikelse %",
        "Årsplaceringar",
        "Personer",
        "Status",
    ]
    barn = [c for c in ws[5]]
    # numbers as numbers, formats as printed: one decimal with thousands separators …
    assert [c.number_format for c in barn[1:5]] == ["#,##0.0"] * 4
    assert num(barn[3]) == D("-62.9")  # −62,94 printed −62,9: the cell holds what is printed
    assert barn[7].value == 1234 and barn[7].number_format == "#,##0"
    # … and a percentage as a real percentage: 12,5 % is 0.125 shown 0.0%
    assert num(barn[5]) == D("0.125") and barn[5].number_format == "0.0%"
    assert num(ws.cell(6, 6)) == D("-0.033") and ws.cell(6, 6).number_format == "0.0%"  # −3,25 → −3,3 %
    assert ws.cell(6, 7).value == 7 and ws.cell(6, 7).number_format == "#,##0"  # the cell's own decimals
    assert barn[6].font.i  # computed, as the report marks it
    # a text that looks like a formula stays text; a status is text, right-aligned
    assert ws["A6"].value == "=SUM(A1)" and ws["A6"].data_type == "s" and ws["A6"].quotePrefix
    assert ws["H6"].value == "*" and ws["H6"].alignment.horizontal == "right"  # in a number column
    # the total row bold, with a line above
    total = list(ws[7])
    assert total[0].value == "Summa" and all(c.font.b for c in total[:8])
    assert total[1].border.top.style == "thin"
    assert not barn[1].font.b
    # the legend and the footnotes under the table, the footnote also at its row
    below = [ws.cell(r, 1).value for r in range(8, ws.max_row + 1) if ws.cell(r, 1).value]
    assert below == [
        "Avvikelse: + är bättre än budget.",
        "Barn och unga: Budgeten omfördelad i april (SN § 41).",
        "Summa: Summan är den angivna, inte radernas.",
    ]
    assert "SN § 41" in ws["A5"].comment.text
    # print set-up: A4, landscape (nine columns), header rows repeated, fit to one page wide
    assert ws.page_setup.paperSize == A4 and ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$3:$4"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.freeze_panes == "B5"
    small = book["Indikatorer"]
    assert small["A1"].value == "Indikatorer" and small.page_setup.orientation == "portrait"
    assert num(small["B4"]) == D("0.7") and small["B4"].number_format == "0%"
    assert small.print_title_rows == "$3:$3"


def test_the_first_sheet_and_the_remaining_work(tmp_path):
    book = load_workbook(write_report(report_with_everything(), tmp_path / "r.xlsx"))
    front = book["Rapport"]
    cells = [(c.value, c.coordinate) for row in front.iter_rows() for c in row if c.value is not None]
    values = [v for v, _c in cells]
    facts = dict(pairwise(values))
    assert values[0] == "Tertialrapport 1 2023"
    for key, value in [
        ("Nämnd", "Socialnämnden Nacka"),
        ("Period", "Tertial 1 2023"),
        ("Diarienummer", "SOC 2023/12"),
        ("Sammanträdesdatum", "2023-05-24"),
        ("Dataversion", "ändring 12"),
        ("Rapportmall", "tertial-nacka"),
    ]:
        assert facts[key] == value
    # the blocks in order: headings, texts, a link to each table's sheet, the chart's figures
    order = [
        "1 Sammanfattning",
        "Socialnämndens ackumulerade resultat per tertial 1 är −2,1 mnkr.",
        "Tabell 4:1 Ekonomiskt resultat per verksamhetsområde (mnkr)",
        "2 Placeringar",
        "Antal placeringar per kvartal",
        "Ingen analys.",
        "Indikatorer",
    ]
    positions = [values.index(t) for t in order]
    assert positions == sorted(positions)
    link = next(c for row in front.iter_rows() for c in row if c.value == order[2])
    assert link.hyperlink.location == "'4.1 Ekonomiskt resultat per…'!A1"
    kinds = [front.cell(c.row, 1).value for row in front.iter_rows() for c in row if c.value in order]
    assert kinds == ["Rubrik", "Text", "Tabell", "Rubrik", "Diagram", "Analys", "Tabell"]
    row = next(r for r in front.iter_rows() if r[1].value == "Institution")
    assert [num(c) for c in row[2:4]] == [D("17.9"), D("20.3")] and row[2].number_format == "#,##0.0"
    assert [c.value for c in front[row[0].row - 1][2:4]] == ["KV 1 2022", "KV 1 2023"]
    todo = book["Kvar att göra"]
    assert todo["A1"].value.startswith("Kvar att göra")
    assert [todo.cell(r, 2).value for r in (4, 5)] == report_with_everything().draft_reasons
    assert todo["B5"].data_type == "s" and todo["B5"].quotePrefix  # "=1+1 …" is not run
    assert todo.page_setup.paperSize == A4


def test_a_final_report_has_no_remaining_work_sheet(tmp_path):
    report = report_with_everything()
    report.draft_reasons = []
    book = load_workbook(write_report(report, tmp_path / "r.xlsx"))
    assert "Kvar att göra" not in book.sheetnames
    assert "UTKAST" not in (book.worksheets[1]["A2"].value or "")


def test_the_tertial_report_from_the_command_line(demo_db, tmp_path):
    out = tmp_path / "tertial.xlsx"
    r = socdesk("report", "tertial", "--db", demo_db, "--period", "2023-T1", "--unit", "N", "-o", out)
    assert r.returncode == 0, r.stderr
    book = load_workbook(out)
    names = book.sheetnames
    assert names[:2] == ["Rapport", "Kvar att göra"]
    assert all(valid(n) for n in names) and len({n.casefold() for n in names}) == len(names)
    todo = book["Kvar att göra"]
    reasons = [todo.cell(r, 2).value for r in range(4, todo.max_row + 1)]
    assert reasons and all(reason in r.stdout + r.stderr for reason in reasons)  # as the CLI says them
    tables = [book[n] for n in names[2:]]
    assert any(ws["A1"].value.startswith("Ekonomiskt resultat per budgetrad") for ws in tables)
    for ws in tables:
        assert ws.page_setup.paperSize == A4 and ws.print_title_rows
        for row in ws.iter_rows(min_row=4):
            for cell in row:
                if cell.data_type == "n" and cell.value is not None:
                    assert cell.number_format in ("#,##0", "#,##0.0", "#,##0.00", "0%", "0.0%"), (
                        ws.title,
                        cell.coordinate,
                        cell.number_format,
                    )
    indicators = book["Indikatorer 2023"]
    shares = [c.value for c in indicators["B"][3:] if isinstance(c.value, int | float)]
    assert shares and all(0 < v < 1 for v in shares)  # 70 % is 0.7 in a percent cell
