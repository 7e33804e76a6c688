"""Reading a workbook of 200 000 cells (10 000 rows × 20 columns) as .xlsx, .ods and .xls, against
the floor of python-calamine's own read of the same file (values only, no checks).

Run: ``.venv/bin/python benchmarks/bench_workbook.py [ROWS]`` (default 10 000). The .xlsx is written
by openpyxl; the .ods and .xls copies need LibreOffice (``soffice``) and are skipped without it.
Prints, per format: ``read_sheets`` (socdesk's reader with its bounds, number formats and the
pass for hidden rows/columns and formulas) and ``shown_sheets`` (the notes), best of two runs.
"""

from __future__ import annotations

import io
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

from socdesk.io.sheets import read_sheets, shown_sheets


def generate(path: Path, rows: int) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Data")
    ws.append(["Ansvar", "Konto"] + [f"2024-{m:02d}" for m in range(1, 13)] + [f"x{i}" for i in range(6)])
    rnd = random.Random(1)
    for i in range(rows):
        ws.append([f"A{i % 400:03d}", 4000 + i % 900] + [round(rnd.uniform(-1e6, 1e6), 2) for _ in range(18)])
    wb.save(path)


def best(fn, runs: int = 2) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    import python_calamine

    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        xlsx = folder / "bok.xlsx"
        generate(xlsx, rows)
        files = [xlsx]
        if shutil.which("soffice"):
            for kind, target in (("ods", "ods"), ("xls", "xls:MS Excel 97")):
                subprocess.run(
                    ["soffice", "--headless", "--calc", "--convert-to", target, "--outdir", d, str(xlsx)],
                    check=True,
                    capture_output=True,
                    timeout=300,
                )
                files.append(folder / f"bok.{kind}")
        for f in files:
            data = f.read_bytes()
            sheets = read_sheets(data, f.name)
            cells = sum(len(c) for s in sheets for _r, c in s.rows)
            ours = best(lambda data=data, f=f: shown_sheets(read_sheets(data, f.name)))

            def floor(data=data) -> None:
                book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
                book.get_sheet_by_index(0).to_python()

            print(
                f"{f.suffix:6} {cells:,} cells  socdesk {ours:6.2f} s   "
                f"floor (calamine values only) {best(floor):5.2f} s"
            )


if __name__ == "__main__":
    main()
