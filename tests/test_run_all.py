"""benchmarks/run_all.py: one table from every bench module's rows(); a missed target exits 1."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
sys.path.insert(0, str(BENCH))

import run_all  # noqa: E402

FAKE = """
from pathlib import Path
from common import Row

def rows(city: Path, *, rounds: int = 3) -> list[Row]:
    size = city.stat().st_size
    return [
        Row("snabb väg", 1234.5, 1000.0, "s CPU", "≤ 2 × golvet", True, note=f"{size} B, {rounds} omg"),
        Row("långsam väg", 3.0, 1.0, "s CPU", "≤ 1,5 × golvet", {ok}, rss_mb=42.0),
    ]
"""


def fake_city(tmp_path: Path) -> Path:
    from socdesk.io.seeds import open_database

    city = tmp_path / "tiny.db"
    open_database(city).close()
    return city


def write_fake(folder: Path, ok: bool) -> None:
    (folder / "common.py").write_text((BENCH / "common.py").read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "bench_fake.py").write_text(FAKE.replace("{ok}", str(ok)), encoding="utf-8")
    (folder / "bench_script.py").write_text("X = 1\n", encoding="utf-8")  # no rows(): not run


def test_prints_the_table_and_exits_1_on_a_missed_target(tmp_path, capsys):
    city = fake_city(tmp_path)
    bench = tmp_path / "bench"
    bench.mkdir()
    write_fake(bench, ok=False)
    doc = tmp_path / "performance.md"
    doc.write_text("# Prestanda\n\nFörklaring för hand.\n", encoding="utf-8")
    code = run_all.main(
        ["--city", str(city), "--rounds", "2", "--write-docs", "--doc", str(doc)], folder=bench
    )
    out = capsys.readouterr().out
    assert code == 1
    assert "| snabb väg | 1 234,50 s CPU | 1 000,00 s CPU | 1,23 × | ≤ 2 × golvet | ja |" in out
    assert "| långsam väg | 3,00 s CPU, 42 MB | 1,00 s CPU | 3,00 × | ≤ 1,5 × golvet | NEJ |" in out
    assert "2 omg" in out and "bench_script" not in out
    text = doc.read_text(encoding="utf-8")
    assert text.startswith("# Prestanda\n\nFörklaring för hand.\n") and run_all.BEGIN in text
    # a second run replaces the block, keeping the hand-written part, and passes
    write_fake(bench, ok=True)
    assert run_all.main(["--city", str(city), "--write-docs", "--doc", str(doc)], folder=bench) == 0
    again = doc.read_text(encoding="utf-8")
    assert again.count(run_all.BEGIN) == 1 and "NEJ" not in again and "Förklaring för hand." in again


def test_a_module_that_raises_is_a_missed_row(tmp_path):
    city = fake_city(tmp_path)
    bench = tmp_path / "bench"
    bench.mkdir()
    (bench / "bench_broken.py").write_text("def rows(city, *, rounds=3):\n    raise OSError('borta')\n")
    rows = run_all.run(city, rounds=1, folder=bench, echo=lambda _: None)
    assert [(r.path, r.ok) for r in rows] == [("bench_broken", False)] and "borta" in rows[0].note


def test_the_command_runs_as_a_subprocess(tmp_path):
    city = fake_city(tmp_path)
    proc = subprocess.run(
        [sys.executable, str(BENCH / "run_all.py"), "--city", str(city), "--only", "nonexistent"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 1 and "| väg | produkten |" in proc.stdout  # no rows: nothing met


def test_every_real_bench_module_with_rows_has_the_contract():
    found = run_all.modules(BENCH)
    for name, module in found:
        assert run_all.signature_ok(module), name
