"""Crash trials for outputs: ``socdesk export`` (CSV, XLSX) and ``socdesk report`` (PDF) run as a
child process over an existing good file and are killed with SIGKILL at a random moment. Then
the file must be the old one byte for byte, or the new one complete (the CSV equal to the
export, the workbook loading with every row, the PDF reading with "Sida n av n" on its last
page); and after the next socdesk write in the folder no temporary file may be left.

    .venv/bin/python benchmarks/output_trials.py [TRIALS_PER_KIND]      (default 30)

tests/test_output_crash.py runs a few of the same trials, each killed while the file is written.
"""

from __future__ import annotations

import io
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

KINDS = ("csv", "xlsx", "pdf")
REPORT = ["report", "tertial", "--period", "2023-T1", "--unit", "N"]


@dataclass
class Outcome:
    problems: list[str]
    mid_write: bool  # the kill came while the temporary file existed
    finished: bool  # the child had finished before the kill


def command(kind: str, db: Path, out: Path) -> list[str]:
    head = ["export"] if kind in ("csv", "xlsx") else REPORT
    return [sys.executable, "-m", "socdesk", *head, "--db", str(db), "-o", str(out)]


def old_file(kind: str) -> bytes:
    """A small good file of the kind, different from what the child writes."""
    buffer = io.BytesIO()
    if kind == "csv":
        return b"enhet;namn\r\nX;Gammal fil\r\n"
    if kind == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        book.active["A1"] = "gammal fil"
        book.save(buffer)
    else:
        from pypdf import PdfWriter

        writer = PdfWriter()
        writer.add_blank_page(595, 842)
        writer.write(buffer)
    return buffer.getvalue()


def temps(folder: Path) -> list[Path]:
    from socdesk.files import SUFFIX

    return [p for p in folder.iterdir() if p.name.endswith(SUFFIX)]


def new_file_problems(kind: str, path: Path, expected: dict) -> list[str]:
    """What is wrong with a file the child claims to have finished (empty when it is whole)."""
    try:
        if kind == "csv":
            return [] if path.read_bytes() == expected["csv"] else ["csv: inte exporten"]
        if kind == "xlsx":
            from openpyxl import load_workbook

            book = load_workbook(path, read_only=True)
            rows = sum(1 for _row in book.active.iter_rows(values_only=True))
            book.close()
            return [] if rows == expected["rows"] else [f"xlsx: {rows} rader, inte {expected['rows']}"]
        from pypdf import PdfReader

        reader = PdfReader(path, strict=True)
        n = len(reader.pages)
        last = " ".join(reader.pages[-1].extract_text().split())  # pypdf puts tabs between words
        return [] if f"Sida {n} av {n}" in last else [f"pdf: sista sidan säger inte Sida {n} av {n}"]
    except Exception as err:  # a broken file: that is the finding
        return [f"{kind}: {type(err).__name__}: {err}"]


def check(kind: str, out: Path, old: bytes, expected: dict) -> list[str]:
    if not out.exists():
        return [f"{out.name} finns inte längre"]
    if out.read_bytes() == old:
        return []
    return new_file_problems(kind, out, expected)


def expected_content(db: Path) -> dict:
    """What a whole export of ``db`` holds: the CSV bytes and the number of rows."""
    from socdesk.io.longcsv import csv_bytes, export_rows
    from socdesk.io.seeds import open_database

    with open_database(db) as store:
        rows = export_rows(store)
    return {"csv": csv_bytes(rows), "rows": len(rows)}  # as socdesk export writes it (BOM)


def trial(
    kind: str, db: Path, folder: Path, seed: int, expected: dict, *, in_write: float | None = None
) -> Outcome:
    """One kill. ``in_write``: kill up to that many seconds after the temporary file appears
    (aimed at the write); None: at a uniform moment in the first 4 s of the child's life."""
    rnd = random.Random(seed)
    out = folder / f"ut.{kind}"
    old = old_file(kind)
    out.write_bytes(old)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with subprocess.Popen(
        command(kind, db, out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    ) as proc:
        if in_write is None:
            deadline = time.monotonic() + rnd.uniform(0.0, 4.0)
            while time.monotonic() < deadline and proc.poll() is None:
                time.sleep(0.002)
        else:
            limit = time.monotonic() + 120
            while not temps(folder) and proc.poll() is None and time.monotonic() < limit:
                time.sleep(0.001)
            time.sleep(rnd.uniform(0.0, in_write))
        finished = proc.poll() is not None
        proc.send_signal(signal.SIGKILL)  # nothing is sent once the child is reaped
        proc.wait()
    mid_write = bool(temps(folder))
    problems = check(kind, out, old, expected)
    if finished and out.read_bytes() == old:
        problems.append("barnprocessen blev klar men filen är den gamla")
    # the next run: any socdesk write into the folder removes what the killed one left
    subprocess.run(
        command("csv", db, folder / "nästa.csv"), check=True, capture_output=True, timeout=120, env=env
    )
    left = temps(folder)
    if left:
        problems.append(f"kvar efter nästa körning: {[p.name for p in left]}")
    return Outcome(problems, mid_write, finished)


def main() -> None:
    per_kind = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    from socdesk.io.seeds import build_demo

    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.db"
        build_demo(db)
        expected = expected_content(db)
        failures = 0
        for kind in KINDS:
            mid = done = 0
            for seed in range(per_kind):
                with tempfile.TemporaryDirectory() as work:
                    aimed = 1.5 if seed % 2 else None  # half aimed at the write, half anywhere
                    o = trial(kind, db, Path(work), seed, expected, in_write=aimed)
                mid += o.mid_write
                done += o.finished
                if o.problems:
                    failures += 1
                    print(f"{kind} försök {seed}: {o.problems}")
            print(f"{kind}: {per_kind} försök, {mid} dödade mitt i skrivningen, {done} redan klara")
    print(f"{len(KINDS) * per_kind} försök, {failures} med fel, {time.perf_counter() - t0:.0f} s")
    raise SystemExit(1 if failures else 0)


if __name__ == "__main__":
    main()
