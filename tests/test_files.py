"""socdesk.files: every output is written to a temporary file beside it and renamed over it,
so an error (or a kill) leaves the old file as it was and no partial file behind."""

import ast
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from socdesk import files
from socdesk.files import (
    SUFFIX,
    WriteError,
    atomic_open,
    atomic_path,
    refuse_database,
    remove_qt_save_leftovers,
    remove_stale_temps,
    temp_name,
    write_atomic,
)

PACKAGE = Path(__file__).resolve().parent.parent / "socdesk"


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(SUFFIX))


def test_a_write_replaces_the_file_whole_and_leaves_nothing_beside_it(tmp_path):
    target = tmp_path / "ut.csv"
    target.write_bytes(b"gammal")
    os.chmod(target, 0o600)
    assert write_atomic(target, "ny;text\r\n") == target
    assert target.read_bytes() == b"ny;text\r\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # the file keeps its permissions
    assert os.listdir(tmp_path) == ["ut.csv"]


def test_an_error_mid_write_leaves_the_old_file_and_removes_the_temporary(tmp_path):
    target = tmp_path / "ut.xlsx"
    target.write_bytes(b"den goda filen")
    seen = []
    with pytest.raises(RuntimeError, match="writer broke"), atomic_open(target) as f:
        f.write(b"halva ")
        seen.append(leftovers(tmp_path))
        raise RuntimeError("writer broke")
    assert seen[0] and seen[0][0].startswith(".ut.xlsx.")  # it was written beside the target …
    assert target.read_bytes() == b"den goda filen"  # … and the target never changed
    assert leftovers(tmp_path) == []


def test_an_os_error_becomes_a_swedish_message_naming_the_file(tmp_path):
    import errno

    target = tmp_path / "rapport.pdf"
    target.write_bytes(b"%PDF gammal")
    with pytest.raises(WriteError) as err, atomic_path(target) as temp:
        temp.write_bytes(b"%PDF halv")
        raise OSError(errno.ENOSPC, "No space left on device")
    assert str(err.value) == f"{target} kunde inte sparas: disken är full. Den tidigare filen är oförändrad."
    assert target.read_bytes() == b"%PDF gammal" and leftovers(tmp_path) == []


def test_a_writer_that_wrote_nothing_does_not_replace_a_good_file(tmp_path):
    """QPdfWriter and QPixmap.save can fail without an exception: an empty result is refused."""
    target = tmp_path / "r.pdf"
    target.write_bytes(b"%PDF god")
    with pytest.raises(WriteError, match="inget skrevs"), atomic_path(target):
        pass
    assert target.read_bytes() == b"%PDF god" and leftovers(tmp_path) == []


def test_a_read_only_file_is_not_replaced(tmp_path, monkeypatch):
    target = tmp_path / "låst.csv"
    target.write_bytes(b"gammal")
    os.chmod(target, 0o444)
    real_access = os.access  # root may write anything: ask as a user would be answered
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == target else real_access(p, mode))
    with pytest.raises(
        WriteError, match=r"låst\.csv kunde inte sparas: filen är skrivskyddad\. Den tidigare"
    ):
        write_atomic(target, "ny")
    assert target.read_bytes() == b"gammal" and leftovers(tmp_path) == []


def test_a_missing_folder_or_a_folder_as_target_is_a_clear_message(tmp_path):
    with pytest.raises(WriteError, match=r"saknas/ut.csv kunde inte sparas: mappen finns inte\.$"):
        write_atomic(tmp_path / "saknas" / "ut.csv", "x")
    (tmp_path / "mapp").mkdir()
    with pytest.raises(WriteError, match="det är en mapp"):
        write_atomic(tmp_path / "mapp", "x")
    assert not (tmp_path / "saknas").exists()


def test_a_symlink_is_followed_so_the_link_stays_a_link(tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("gammal", encoding="utf-8")
    link = tmp_path / "länk.csv"
    link.symlink_to(real)
    write_atomic(link, "ny")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "ny"


def test_temporary_names_say_whose_they_are(tmp_path):
    name = temp_name(tmp_path / "Månadsrapport maj.pdf")
    assert name.startswith(".Månadsrapport maj.pdf.") and name.endswith(SUFFIX)
    assert files._owner(name) == (os.getpid(), files._host())
    long = temp_name(tmp_path / ("å" * 120 + ".xlsx"))
    assert len(long.encode("utf-8")) < 255 and files._owner(long) == (os.getpid(), files._host())
    assert files._owner(".ut.csv.socdesk-tmp") is None and files._owner("ut.csv") is None


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_temporaries_of_dead_processes_are_removed_and_live_ones_kept(tmp_path):
    host = files._host()
    dead = tmp_path / f".ut.xlsx.a1b2c3.{dead_pid()}.{host}{SUFFIX}"
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        alive = tmp_path / f".ut.xlsx.d4e5f6.{sleeper.pid}.{host}{SUFFIX}"
        other_host = tmp_path / f".ut.xlsx.0a0b0c.{dead_pid()}.annan-dator{SUFFIX}"
        mine_unused = tmp_path / f".ut.xlsx.aaaaaa.{os.getpid()}.{host}{SUFFIX}"  # a reused pid
        unrelated = tmp_path / ".ut.xlsx.socdesk-tmp.bak"
        for p in (dead, alive, other_host, mine_unused, unrelated):
            p.write_bytes(b"halv")
        write_atomic(tmp_path / "annan.csv", "x")  # the next write in the folder cleans up
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
            ["annan.csv", alive.name, other_host.name, unrelated.name]
        )
    finally:
        sleeper.kill()
        sleeper.wait()
    assert remove_stale_temps(tmp_path) == [alive]  # now its process is gone


def test_a_write_in_progress_is_not_taken_for_a_stale_one(tmp_path):
    with atomic_open(tmp_path / "a.csv") as f:
        f.write(b"a")
        assert remove_stale_temps(tmp_path) == []
        write_atomic(tmp_path / "b.csv", "b")  # another write in the same folder meanwhile
        f.write(b"a")
    assert (tmp_path / "a.csv").read_bytes() == b"aa" and leftovers(tmp_path) == []


def test_an_output_never_replaces_the_database(tmp_path, demo_db):
    for name in (demo_db, Path(f"{demo_db}-wal"), Path(f"{demo_db}-journal")):
        with pytest.raises(WriteError, match="hör till databasen"):
            refuse_database(name, demo_db)
    link = tmp_path / "länk.db"
    link.symlink_to(demo_db)
    with pytest.raises(WriteError, match="hör till databasen"):
        refuse_database(link, demo_db)
    refuse_database(tmp_path / "ut.csv", demo_db)


def test_the_cli_refuses_to_export_over_its_database(demo_db):
    before = demo_db.read_bytes()
    r = subprocess.run(
        [sys.executable, "-m", "socdesk", "export", "--db", demo_db, "-o", demo_db],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 1 and "hör till databasen" in r.stderr and "Traceback" not in r.stderr
    assert demo_db.read_bytes() == before


def test_qt_save_leftovers_are_removed_only_when_old(tmp_path):
    ini = tmp_path / "socdesk.ini"
    old, young, other = (
        tmp_path / "socdesk.ini.AbC123",
        tmp_path / "socdesk.ini.XyZ789",
        tmp_path / "socdesk.ini.lock",
    )
    for p in (ini, old, young, other):
        p.write_text("[x]\n", encoding="utf-8")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    assert remove_qt_save_leftovers(ini) == [old]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "socdesk.ini",
        "socdesk.ini.XyZ789",
        "socdesk.ini.lock",
    ]


# --- every output goes through the helper ------------------------------------------------------
WRITERS = {"write_text", "write_bytes", "save", "copyfile", "copy", "copy2", "rename", "replace"}
# store/ keeps its own partial → verify → rename schemes (backups, restore, the writer lock); the
# demo database is built beside its target and renamed; logs are appended to
OWN_SCHEMES = ("store/", "files.py", "logs.py", "io/seeds.py")


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _inside_atomic_with(node: ast.AST, parents: dict) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.With):
            for item in node.items:
                call = item.context_expr
                if isinstance(call, ast.Call) and getattr(call.func, "id", "") in (
                    "atomic_path",
                    "atomic_open",
                ):
                    return True
    return False


def test_no_module_writes_a_file_except_through_socdesk_files():
    """open(…, 'w'), write_text, write_bytes, QPdfWriter, a workbook's or image's save, copies
    and renames: each only inside ``with atomic_path``/``atomic_open``."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE)
        if rel.as_posix().startswith(OWN_SCHEMES):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parents = _parents(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            writes = name in ("QPdfWriter",) or (name in WRITERS and node.args and name != "replace")
            if (
                name == "replace"
                and isinstance(func, ast.Attribute)
                and getattr(func.value, "id", "") == "os"
            ):
                writes = True
            if name == "open":
                modes = [a.value for a in node.args[1:2] if isinstance(a, ast.Constant)]
                modes += [
                    k.value.value
                    for k in node.keywords
                    if k.arg == "mode" and isinstance(k.value, ast.Constant)
                ]
                writes = any(set(str(m)) & set("wax+") for m in modes)
            if writes and not _inside_atomic_with(node, parents):
                found.append(f"{rel}:{node.lineno} {name}")
    assert not found, found


def test_the_checker_of_writes_finds_a_direct_write(tmp_path, monkeypatch):
    """The test above can fail: a module writing directly is reported."""
    pkg = tmp_path / "socdesk" / "reports"
    pkg.mkdir(parents=True)
    (pkg / "bad.py").write_text(
        "from pathlib import Path\n"
        "def f(p, book):\n"
        "    Path(p).write_text('x')\n"
        "    book.save(p)\n"
        "    with atomic_path(p) as t:\n"
        "        book.save(t)\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", tmp_path / "socdesk")
    with pytest.raises(AssertionError, match=r"reports/bad.py:3 write_text.*reports/bad.py:4 save"):
        test_no_module_writes_a_file_except_through_socdesk_files()


def test_the_chart_button_saves_a_whole_png_or_says_why(
    qtbot, workspace, tmp_path, file_dialog_answers, modal_calls
):
    """Spara som PNG …, the dialog answered: over an old file, then into a folder that is gone."""
    from PySide6.QtCore import Qt

    chart = workspace.chart
    target = tmp_path / "diagram.png"
    target.write_bytes(b"gammal bild")
    file_dialog_answers([target, tmp_path / "borta" / "diagram.png"])
    qtbot.mouseClick(chart.save, Qt.MouseButton.LeftButton)
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and leftovers(tmp_path) == []
    qtbot.mouseClick(chart.save, Qt.MouseButton.LeftButton)
    assert modal_calls == [
        ("warning", f"{tmp_path / 'borta' / 'diagram.png'} kunde inte sparas: mappen finns inte.")
    ]
