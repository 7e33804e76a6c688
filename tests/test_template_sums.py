"""No printed figure is a sum of unlike measures (issue 13): every table of every shipped template,
composed on the demo for every board it fits, is walked, and each total – a unit's stated total
printed as the total of the rows above (or below) it, or a ``total = "sum"`` computed here –
covers rows of one and the same measure, scenario, period and version, over one population:
the total's own parts (components under its unit, never a "därav" part, never one unit and its
own child), or a breakdown (kön, grupp) of the same unit. A computed sum is only of a measure
that adds up over what varies (mått.csv ``additiv_enheter`` / ``additiv_uppdelning``).

Generic: it reads the composed tables' traces (``compose.Composer.traces``), so templates added
later (the seed engineers' 004, 001, 002) are covered as they land."""

from __future__ import annotations

import pytest

from socdesk.core.periods import Month
from socdesk.reports import compose, template
from socdesk.store.db import Store

# the month each demo board's reports are made at (its seed's period)
MONTHS = {"SN": Month(2024, 5), "N": Month(2023, 4), "STH": Month(2024, 12)}


def cases():
    out = []
    for path in template.shipped():
        t = template.load(path)
        boards = [t.board] if t.board else list(MONTHS)
        out += [pytest.param(path, b, id=f"{path.stem}-{b}") for b in boards]
    return out


@pytest.fixture(scope="module")
def store(demo_template):
    s = Store(demo_template, readonly=True)
    yield s
    s.close()


def problems(composer: compose.Composer, store: Store) -> tuple[list[str], int]:
    tree, measures = composer.tree, store.measures()
    found, totals = [], 0
    for key, rows in composer.traces.items():
        for row in rows:
            if not row.total or not row.covers:
                continue
            for c, total in enumerate(row.cells):
                if total is None:
                    continue
                totals += 1
                where = f"{key} «{row.label}» column {c}"
                parts = [rows[i].cells[c] for i in row.covers if rows[i].cells[c] is not None]
                for p in parts:
                    if p[1:4] != total[1:4] or p[6] != total[6]:
                        found.append(
                            f"{where}: covers {p[1:4]} {p[6]!r}, the total is {total[1:4]} {total[6]!r}"
                        )
                units = {p[0] for p in parts}
                m = measures.get(total[1])
                if units - {total[0]}:  # a total over units: its own components, each once
                    for u in units:
                        if row.total == "stated" and not any(a.code == total[0] for a in tree.ancestors(u)):
                            found.append(f"{where}: {u} is not under the total's unit {total[0]}")
                        if tree[u].part:
                            found.append(f"{where}: {u} is a därav part, not a piece of the total")
                        if any(a.code in units for a in tree.ancestors(u)):
                            found.append(f"{where}: {u} and its own parent are both covered")
                    if row.total == "sum" and m is not None and not m.additive_units:
                        found.append(f"{where}: {m.key} does not add up over units")
                if {(p[4], p[5]) for p in parts} - {(total[4], total[5])}:  # a breakdown (kön, grupp)
                    if row.total == "sum" and m is not None and not m.additive_breakdown:
                        found.append(f"{where}: {m.key} does not add up over kön/grupp")
                    if len(units) > 1:
                        found.append(f"{where}: a breakdown over several units at once")
    return found, totals


@pytest.mark.parametrize("path, board", cases())
def test_every_total_sums_one_measure_over_one_population(store, path, board):
    t = template.load(path)
    month = MONTHS[board]
    composer = compose.Composer(store, t, board, compose.report_period(t.kind, month))
    report = composer.build()
    found, totals = problems(composer, store)
    assert not found, "\n".join(found)
    assert set(composer.traces) == {tb.key for tb in report.tables() if tb.key in composer.traces}
    if t.name in ("manad", "tertial") and board in ("SN", "N"):
        assert totals >= 4  # the walk saw the totals these layouts print


def test_the_walk_finds_a_total_over_unlike_measures_and_a_non_additive_sum_is_refused(store):
    """The walker itself: a table whose stated total covers two measures, and one that sums
    unique persons over units, are both reported."""
    text = """
[report]
name = "fel"
kind = "nyckeltal"
title = "Fel"

[[section]]
type = "table"
id = "blandat"
unit = "N-BOU-HDV"
period = "year"
  [[section.column]]
  label = "Mått"
  [[section.column]]
  label = "2023"
  [[section.row]]
  unit = "N-BOU-INST"
  measure = "varddygn"
  [[section.row]]
  unit = "N-BOU-FH"
  measure = "arsplaceringar"
  [[section.row]]
  unit = "N-BOU-HDV"
  measure = "varddygn"
  total = true
"""
    composer = compose.Composer(
        store, template.load(text, "fel.toml"), "N", compose.report_period("nyckeltal", Month(2023, 12))
    )
    composer.build()
    found, totals = problems(composer, store)
    assert totals == 1 and any("covers ('arsplaceringar'" in f for f in found), found
    # a computed sum of unique persons over units is refused when the report is made
    summed = text.replace('measure = "arsplaceringar"', 'measure = "unika_personer"').replace(
        '  measure = "varddygn"\n', '  measure = "unika_personer"\n'
    )
    summed = summed.replace(
        '  unit = "N-BOU-HDV"\n  measure = "unika_personer"\n  total = true',
        '  label = "Summa"\n  total = "sum"',
    )
    with pytest.raises(template.TemplateError) as err:
        t = template.load(summed, "fel.toml")
        compose.Composer(store, t, "N", compose.report_period("nyckeltal", Month(2023, 12))).build()
    assert "summeras inte över enheter" in str(err.value)
