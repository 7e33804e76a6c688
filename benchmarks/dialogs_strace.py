"""strace proof that only SQLite opens the database's files while the GUI has them open.

A real GUI process (offscreen) opens the demo database the way ``gui/app.py`` does, shows every
file dialog of socdesk on the database's folder (Öppna, Importera, Exportera, Spara diagram,
Spara rapporten, Skriv ut with its "…", the print preview with its print dialog and "…"), lets
each list every file with its icon and type, saves once through the entry form and quits. It
runs under ``strace -f -k -e trace=openat,open``; every open of the database, ``-wal``, ``-shm``
or ``-journal`` must have libsqlite3 on its stack.

    .venv/bin/python benchmarks/dialogs_strace.py          (needs strace; Linux)
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OPEN = re.compile(r'^(\d+)\s+open(?:at)?\((?:AT_FDCWD, )?"([^"]+)", ([A-Z_|]+)')


class Bot:
    """``qtbot.waitUntil`` for a plain script: the events run while waiting."""

    def waitUntil(self, condition, timeout: int = 10000) -> None:
        from PySide6.QtCore import QThread
        from PySide6.QtWidgets import QApplication

        deadline = time.monotonic() + timeout / 1000
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("waitUntil")
            QApplication.processEvents()
            QThread.msleep(5)


def child(folder: Path) -> None:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ["HOME"] = str(folder)  # the print dialog's file completer lists the home folder
    sys.path.insert(0, str(ROOT / "tests"))
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    from test_wal import open_form, show_every_dialog, type_cells

    from socdesk.gui.app import AppController
    from socdesk.gui.file_dialogs import use_safe_dialogs

    app = QApplication([])
    use_safe_dialogs(app)
    controller = AppController(app, str(folder))
    bot = Bot()
    bot.waitExposed = lambda w: bot.waitUntil(w.isVisible)
    open_form(bot, controller)
    seen = show_every_dialog(bot, controller, folder)
    entry = controller.window.register.entry
    bot.waitUntil(lambda: entry.model is not None)
    type_cells(entry, {"7762": "3 412,5"})
    QTest.mouseClick(entry.save, Qt.MouseButton.LeftButton)
    print("dialogs:", ", ".join(seen), "| saved:", entry.status.text(), flush=True)
    controller.shutdown()


def main() -> int:
    if shutil.which("strace") is None:
        print("strace saknas (apt-get install strace)")
        return 2
    folder = Path(tempfile.mkdtemp(prefix="socdesk-strace-"))
    from socdesk.io.seeds import build_demo

    db = folder / "demo.db"
    build_demo(db)  # before the trace: only the GUI's own opens are looked at
    trace = folder / "strace.txt"
    names = [str(db) + s for s in ("", "-wal", "-shm", "-journal")]
    command = ["strace", "-f", "-k", "-e", "trace=openat,open", "-o", str(trace)]
    command += [a for name in names for a in ("-P", name)]  # only these files: -k is slow
    r = subprocess.run(
        [*command, sys.executable, __file__, "--child", str(folder)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    print(r.stdout.strip())
    if r.returncode != 0:
        print(r.stderr[-3000:])
        return 1
    opens, current = [], None
    for line in trace.read_text(errors="replace").splitlines():
        m = OPEN.match(line)
        if m:
            current = None
            if m.group(2) in set(names):
                current = {"pid": m.group(1), "path": m.group(2), "flags": m.group(3), "stack": []}
                opens.append(current)
        elif current is not None and line.startswith(" > "):
            current["stack"].append(line)
    by_sqlite = [o for o in opens if any("libsqlite3" in s for s in o["stack"])]
    others = [o for o in opens if o not in by_sqlite]
    print(f"strace: {len(opens)} opens of {db.name}, -wal, -shm, -journal; {len(by_sqlite)} by libsqlite3")
    for o in by_sqlite:
        print(f"  sqlite   {Path(o['path']).name:18} {o['flags']}")
    for o in others:
        print(f"  OTHER    {Path(o['path']).name:18} {o['flags']}")
        print("\n".join("           " + s for s in o["stack"][:12]))
    print(f"trace kept in {trace}")
    return 1 if others or not by_sqlite else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(Path(sys.argv[2]))
    else:
        sys.exit(main())
