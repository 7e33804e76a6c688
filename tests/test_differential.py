"""The same cell, the same figure, on every path (issue 12 §3): the Ekonomi model (raw and
shown), ``deviations --json``, the workspace's Excel export and the reports' tables, over
random cells of the demo and of a generated board with an ombudgetering, partial months and
mixed grains. ``tests/diffcells.py`` says what is compared; a larger run is
``benchmarks/differential.py``. The seed is printed; ``SOCDESK_DIFF_SEED`` chooses another."""

import os
import shutil

import diffcells  # tests/diffcells.py (pytest puts this folder on the path)
import pytest

from socdesk.core.periods import Month

SEED = int(os.environ.get("SOCDESK_DIFF_SEED", "2024"))
MONTHS_2024 = [Month(2024, m) for m in range(1, 13)]


@pytest.fixture(scope="module")
def boards(demo_template, tmp_path_factory):
    folder = tmp_path_factory.mktemp("differential")
    demo = folder / "demo.db"
    shutil.copyfile(demo_template, demo)
    generated = folder / "generated.db"
    diffcells.generate_board(generated, SEED)
    return folder, demo, generated


def report(result: diffcells.Result) -> str:
    lines = [f"seed {SEED}: {result.cells} cells, {result.comparisons} comparisons {result.by_path}"]
    lines += result.disagreements[:40]
    if len(result.disagreements) > 40:
        lines.append(f"… and {len(result.disagreements) - 40} more")
    return "\n".join(lines)


def test_every_path_gives_the_same_figure_on_the_demo(boards, qtbot):
    folder, demo, _generated = boards
    months = [*MONTHS_2024[:7], Month(2024, 8), Month(2024, 12), Month(2023, 4), Month(2023, 5)]
    result = diffcells.run(demo, ["SN", "N"], months, 500, SEED, folder)
    print(report(result))
    assert result.cells >= 500 and result.by_path.get("manad", 0) > 50
    assert not result.disagreements, report(result)


def test_every_path_gives_the_same_figure_on_a_generated_board(boards, qtbot):
    folder, _demo, generated = boards
    result = diffcells.run(generated, ["G"], MONTHS_2024, 600, SEED + 1, folder)
    print(report(result))
    assert result.cells >= 600 and result.by_path.get("tertial", 0) > 20
    assert result.by_path.get("json partial", 0) > 10
    assert not result.disagreements, report(result)


def test_a_stated_avvikelse_is_shown_as_stated_on_every_path(boards):
    """004 states N-BOU-HDV's avvikelse T1 2023 as −3,3 mnkr (from unrounded figures); budget −
    utfall of its rounded figures is −3,2. Ekonomi, the JSON and the Tertialrapport all print
    the stated one (found by the differential run of benchmarks/differential.py, seed 2)."""
    from decimal import Decimal

    from socdesk.core.facts import Scenario
    from socdesk.core.periods import Period
    from socdesk.reports import compose, template
    from socdesk.reports.economy import ViewMode, economy_table
    from socdesk.store.db import Store

    _folder, demo, _generated = boards
    april = Month(2023, 4)
    by = diffcells.deviations_json(demo, april)
    store = Store(demo, readonly=True)
    try:
        stated = next(
            f.value.number
            for f in store.facts(units=["N-BOU-HDV"], scenario=Scenario.VARIANCE)
            if f.key.period == Period.tertial(2023, 1) and f.key.measure == "netto"
        )
        row = next(
            r for r in economy_table(store, "N-BOU", april, ViewMode.YTD).rows if r.unit.code == "N-BOU-HDV"
        )
        assert row.variance == stated == Decimal("-3300000") and row.variance != row.budget - row.actual
        assert by["N-BOU-HDV"]["variance"] == stated
        generic = template.load(template.shipped_dir() / "tertial.toml")
        report = compose.build(store, generic, "N-BOU", Period.tertial(2023, 1), draft_check=False)
        table = next(t for t in report.tables() if t.key == "resultat")
        line = table.rows[table.row_keys.index("N-BOU-HDV")]
        assert line[[c.title for c in table.columns].index("Avvikelse")] == Decimal("-3.3")
    finally:
        store.close()
