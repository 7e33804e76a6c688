"""A report's PDF is laid out once: each table is set in the largest type its words fit the
page in (``htmldoc.table_type``), so WeasyPrint never has to lay the whole document out a
second time (seconds at a large board: the city's tertial took two layouts of 4–5 s CPU each
while its seven-column area tables were 692 px on a 680 px page)."""

from decimal import Decimal

import pytest

from socdesk.core.facts import Fact, FactKey, Scenario
from socdesk.core.periods import Month, Period
from socdesk.core.units import Unit
from socdesk.core.values import Value
from socdesk.io.seeds import open_database
from socdesk.reports.board import Kind, build
from socdesk.reports.document import Table
from socdesk.reports.htmldoc import min_width, table_type
from socdesk.reports.render import report_pdf

AREAS, PROGRAMS = 2, 15  # per area, as in benchmarks/city.py (20 areas of 15 programs)


@pytest.fixture(scope="module")
def city_like(tmp_path_factory):
    """A board shaped like the benchmark city (benchmarks/city.py): verksamhetsområden of
    fifteen programs each, named as there, with utfall, budget and helårsprognos – figures a
    little larger than the city's, so its area tables are at least as wide."""
    store = open_database(tmp_path_factory.mktemp("city") / "city.db")
    units = [Unit("STAD", "Socialnämnden (syntetisk)")]
    units += [Unit(f"A{a:02d}", f"Verksamhetsområde {a + 19}", "STAD") for a in range(AREAS)]
    units += [Unit(f"P{p:03d}", f"Program {p + 281}", f"A{p % AREAS:02d}") for p in range(AREAS * PROGRAMS)]
    store.add_units(units)
    facts = []
    for p in range(AREAS * PROGRAMS):
        code, monthly = f"P{p:03d}", 70_000_000 + 1_234_567 * p
        for m in range(1, 13):
            month = Period.month(2024, m)
            facts.append(Fact(FactKey(code, "netto", Scenario.BUDGET, month), Value.of(monthly)))
            if m <= 8:
                actual = monthly * (97 + p % 7) // 100
                facts.append(Fact(FactKey(code, "netto", Scenario.ACTUAL, month), Value.of(actual)))
        forecast = Decimal(monthly * 12 * (101 + p % 5) // 100)
        key = FactKey(code, "netto", Scenario.FORECAST, Period.year(2024), "2024-08")
        facts.append(Fact(key, Value.of(forecast)))
    store.write_facts(facts, source="test")
    yield store
    store.close()


def test_the_city_tertial_is_laid_out_once(city_like, tmp_path):
    report = build(city_like, Kind.TERTIAL, "STAD", Month(2024, 8), draft_check=False)
    areas = [b for b in report.blocks if isinstance(b, Table) and len(b.columns) == 7]
    assert len(areas) == AREAS
    # in the body type the area tables' words are wider than a portrait page (180 mm = 510 pt)
    assert all(min_width(t, 9.0, 4.0) > 510 for t in areas)
    assert {table_type(t) for t in areas} == {"snug"}
    rendered = report_pdf(report, tmp_path / "tertial.pdf")
    assert rendered.fits and rendered.layouts == 1


def test_a_table_that_fits_keeps_the_body_type(city_like):
    """Only a table too wide for its page gets the smaller type: the nine-column result table
    has a landscape page, where its words fit in the body type."""
    report = build(city_like, Kind.TERTIAL, "STAD", Month(2024, 8), draft_check=False)
    [result] = [b for b in report.blocks if isinstance(b, Table) and len(b.columns) == 9]
    assert min_width(result, 9.0, 4.0) < 757  # 267 mm
    assert table_type(result) == ""
