"""Issue 11 §6: every hostile or broken file of the generated corpus (``tests/data/hostile/``)
is refused by ``socdesk import`` run as a user runs it – a subprocess – with exit code 1, a
Swedish message naming the file (and row, column or record), no traceback, no hang, bounded
memory, and the database byte-for-byte unchanged. Each file is imported with
``--create-under SN --replace``, so nothing but its hostile part can be the reason it fails."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest


def _load_generator():
    path = Path(__file__).parent / "data" / "hostile" / "make_corpus.py"
    spec = importlib.util.spec_from_file_location("make_corpus", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_corpus"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


make_corpus = _load_generator()
Case, make = make_corpus.Case, make_corpus.make

TIMEOUT_S = 60
MAX_RSS_MB = 600
# A small parent for the CLI: on Linux a child's ru_maxrss starts at its parent's RSS at fork
# (pytest's, 150 MB+), so the CLI is started from this and its peak read from here.
PEAK = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[2:], stdin=subprocess.DEVNULL).returncode\n"
    "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
    "sys.exit(code)"
)


@dataclass
class Run:
    case: Case
    code: int
    stderr: str
    seconds: float
    rss_mb: float
    db_changed: bool
    leftovers: list[str]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_import(case: Case, corpus: Path, demo: Path, work: Path) -> Run:
    """``socdesk import`` on a private copy of the demo database, with its peak RSS."""
    folder = work / case.name
    folder.mkdir()
    db = folder / "demo-copy.db"
    shutil.copyfile(demo, db)
    before = sha256(db)
    err_path = folder / "stderr.txt"
    peak = folder / "peak.txt"
    args = [sys.executable, "-c", PEAK, str(peak), sys.executable, "-m", "socdesk"]
    args += ["--basedir", str(folder / "base"), "import", str(corpus / case.name), "--db", str(db)]
    args += ["--create-under", "SN", "--replace"]
    start = time.perf_counter()
    with err_path.open("wb") as err:
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
        timer = threading.Timer(TIMEOUT_S, os.killpg, (proc.pid, signal.SIGKILL))
        timer.start()
        try:
            proc.wait()
        finally:
            timer.cancel()
    seconds = time.perf_counter() - start
    rss_kb = int(peak.read_text()) if peak.exists() else 0
    kept = (
        "demo-copy.db",
        "demo-copy.db.lock",
        "stderr.txt",
        "base",
        "peak.txt",
    )  # the lock file stays by design
    leftovers = sorted(p.name for p in folder.iterdir() if p.name not in kept)
    return Run(
        case,
        proc.returncode,
        err_path.read_text(encoding="utf-8", errors="replace"),
        seconds,
        rss_kb / 1024,  # ru_maxrss is in kB on Linux
        sha256(db) != before,
        leftovers,
    )


@pytest.mark.skipif(sys.platform != "linux", reason="process groups, ru_maxrss in kB: Linux")
def test_every_hostile_file_is_refused_cleanly_by_the_cli(demo_template, tmp_path):
    corpus = tmp_path / "corpus"
    cases = make(corpus)
    work = tmp_path / "runs"
    work.mkdir()
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            runs = list(pool.map(lambda c: run_import(c, corpus, demo_template, work), cases))
    finally:
        (corpus / "en-gigabyte.csv").unlink()  # sparse, but leave no 1 GiB file behind
    problems = []
    for r in runs:
        name = r.case.name
        message = r.stderr
        wrong = []
        if r.code != 1:
            wrong.append(f"exit code {r.code}")
        if "Traceback" in message:
            wrong.append("traceback")
        if r.seconds >= TIMEOUT_S:
            wrong.append(f"hung ({r.seconds:.0f} s)")
        if not 0 < r.rss_mb < MAX_RSS_MB:
            wrong.append(f"{r.rss_mb:.0f} MB")
        if r.db_changed:
            wrong.append("the database changed")
        if r.leftovers:
            wrong.append(f"left {r.leftovers}")
        # the reader's own message (after the CLI's "FILE lästes inte in" line) names the file
        detail = message.split("\n", 1)[1] if "\n" in message else ""
        if name not in detail:
            wrong.append("the message does not name the file")
        wrong += [f"no ”{s}”" for s in r.case.says if s not in detail]
        if len(message) > 5000:
            wrong.append(f"a message of {len(message)} characters")
        if wrong:
            problems.append(f"{name} ({r.case.what}): {', '.join(wrong)}\n    {message.strip()[:600]}")
    slowest = max(runs, key=lambda r: r.seconds)
    largest = max(runs, key=lambda r: r.rss_mb)
    print(
        f"\n{len(runs)} files; slowest {slowest.case.name} {slowest.seconds:.1f} s; "
        f"largest {largest.case.name} {largest.rss_mb:.0f} MB"
    )
    for r in runs:
        print(f"{r.case.name:34} {r.seconds:5.1f} s {r.rss_mb:5.0f} MB  {r.stderr.splitlines()[1:2]}")
    assert not problems, "\n".join(problems)
    assert len(runs) >= 45
