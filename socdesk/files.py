"""Every file socdesk writes is written whole or not at all.

The new content goes to a temporary file in the target's folder; it is flushed and fsynced,
renamed over the target (``os.replace``, atomic on one filesystem) and the folder is fsynced
(POSIX). On any error the temporary file is removed and the old target is left as it was; the
error is a ``WriteError`` naming the file. Writers that need a path (openpyxl, ``QPdfWriter``,
``QPixmap.save``) use ``atomic_path``; others ``atomic_open`` or ``write_atomic``.

A killed process cannot remove its temporary file, so the name says whose it is:
``.<name>.<token>.<pid>.<host>.socdesk-tmp`` (hidden on POSIX by the leading dot). Each write
first removes the temporary files in its folder left by dead processes of this host (and by this
process, when no write of it is using them). No Qt here: the CLI writes through this too.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import secrets
import socket
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from socdesk.core.errors import SocdeskError
from socdesk.core.i18n import _

log = logging.getLogger(__name__)

SUFFIX = ".socdesk-tmp"
_NAME_BYTES = 100  # of the target's name kept in the temporary name (a name has at most 255 bytes)
_active: set[str] = set()  # temporary files this process is writing now (absolute paths)
_active_lock = threading.Lock()
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


class WriteError(SocdeskError):
    """A file could not be written; the previous file, if any, is unchanged."""


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname())[:40] or "host"


def temp_name(target: Path) -> str:
    """The hidden, attributable name of a temporary file for ``target`` (same folder)."""
    name = target.name.encode("utf-8", "surrogateescape")[:_NAME_BYTES].decode("utf-8", "ignore")
    return f".{name}.{secrets.token_hex(3)}.{os.getpid()}.{_host()}{SUFFIX}"


def _owner(name: str) -> tuple[int, str] | None:
    """(pid, host) of a temporary file's name, or None if it is not one of ours."""
    if not (name.startswith(".") and name.endswith(SUFFIX)):
        return None
    parts = name[: -len(SUFFIX)].rsplit(".", 3)
    if len(parts) != 4 or not parts[2].isdigit() or not re.fullmatch(r"[0-9a-f]{6}", parts[1]):
        return None
    return int(parts[2]), parts[3]


def _alive(pid: int) -> bool:
    if os.name == "nt":  # os.kill(pid, 0) would terminate the process on Windows
        import ctypes

        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return ctypes.get_last_error() == 5  # type: ignore[attr-defined]  # access denied: it exists
        try:
            code = ctypes.c_ulong()
            kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def remove_stale_temps(folder: str | Path) -> list[Path]:
    """Remove the temporary files in ``folder`` that no running write owns; returns them."""
    folder = Path(folder)
    removed: list[Path] = []
    host, me = _host(), os.getpid()
    try:
        entries = [e.name for e in os.scandir(folder) if e.name.endswith(SUFFIX)]
    except OSError:
        return removed
    for name in entries:
        owner = _owner(name)
        if owner is None or owner[1] != host:
            continue  # not ours, or another machine's (a shared folder): theirs to clean
        path = folder / name
        pid = owner[0]
        with _active_lock:
            if str(path) in _active or (pid != me and _alive(pid)):
                continue
            try:
                path.unlink()
            except FileNotFoundError:
                continue
            except OSError as err:
                log.info("kunde inte ta bort %s: %s", path, err)
                continue
        removed.append(path)
        log.info("tog bort en halvskriven fil: %s", path)
    return removed


def reading_reason(err: OSError) -> str:
    """Why a file could not be read, in Swedish (the system's own text only for the rare rest)."""
    known = {
        errno.ENOENT: _("filen finns inte"),
        errno.EISDIR: _("det är en mapp, inte en fil"),
        errno.EACCES: _("behörighet saknas, eller filen är låst av ett annat program"),
        errno.EPERM: _("behörighet saknas, eller filen är låst av ett annat program"),
        errno.ENAMETOOLONG: _("sökvägen är för lång"),
        errno.EIO: _("filen kunde inte läsas från disken (in/ut-fel)"),
    }
    return known.get(err.errno or 0) or err.strerror or str(err)


def _reason(err: OSError) -> str:
    known = {
        errno.ENOSPC: _("disken är full"),
        getattr(errno, "EDQUOT", errno.ENOSPC): _("disken är full"),
        errno.EROFS: _("mappen går bara att läsa"),
        errno.EACCES: _("behörighet saknas, eller filen är öppen i ett annat program"),
        errno.EPERM: _("behörighet saknas, eller filen är öppen i ett annat program"),
        errno.ENOENT: _("mappen finns inte"),
    }
    return known.get(err.errno or 0) or err.strerror or str(err)


def _failure(target: Path, reason: str, existed: bool) -> WriteError:
    if existed:
        return WriteError(
            _("{f} kunde inte sparas: {r}. Den tidigare filen är oförändrad.").format(f=target, r=reason)
        )
    return WriteError(_("{f} kunde inte sparas: {r}.").format(f=target, r=reason))


def _resolve(target: str | Path) -> Path:
    target = Path(target)
    if target.is_symlink():  # replace the file the link points to, keep the link
        target = Path(os.path.realpath(target))
    return target.absolute()


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    if os.name == "nt":  # NTFS journals the rename; a folder cannot be opened for fsync
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError as err:  # some network filesystems refuse; the rename has happened
        log.debug("fsync av mappen %s: %s", folder, err)
    finally:
        os.close(fd)


def refuse_database(target: str | Path, database: str | Path) -> None:
    """An output never replaces the database or its ``-wal``, ``-shm`` or ``-journal``
    (``store.db.is_database_file``: names and ``stat`` only, the database is never opened)."""
    from socdesk.store.db import is_database_file

    target = _resolve(target)
    if is_database_file(target, _resolve(database)):
        raise WriteError(
            _("{f} hör till databasen och skrivs inte över; välj ett annat namn.").format(f=target)
        )


@contextmanager
def atomic_path(target: str | Path, *, allow_empty: bool = False) -> Iterator[Path]:
    """Yield the path of a new, empty temporary file beside ``target``; write it whole. On a
    clean exit it replaces ``target`` (an empty result is refused unless ``allow_empty``: a
    writer that failed silently must not replace a good file); on any error it is removed."""
    target = _resolve(target)
    folder = target.parent
    existed = target.exists()
    if target.is_dir():
        raise _failure(target, _("det är en mapp"), False)
    if existed and not os.access(target, os.W_OK):  # a rename would pass over the protection
        raise _failure(target, _("filen är skrivskyddad"), existed)
    remove_stale_temps(folder)
    temp = folder / temp_name(target)
    replaced = False
    with _active_lock:
        _active.add(str(temp))
    try:
        try:
            fd = os.open(temp, _CREATE, 0o666)
            os.close(fd)
        except OSError as err:
            raise _failure(target, _reason(err), existed) from err
        try:
            yield temp
            if not allow_empty and temp.stat().st_size == 0:
                raise _failure(target, _("inget skrevs"), existed)
            _fsync_file(temp)
            if existed and os.name != "nt":  # keep the file's permissions
                os.chmod(temp, stat.S_IMODE(target.stat().st_mode))
            os.replace(temp, target)
            replaced = True
        except OSError as err:
            raise _failure(target, _reason(err), existed) from err
        _fsync_folder(folder)
    finally:
        if not replaced:
            try:
                temp.unlink(missing_ok=True)
            except OSError as err:
                log.warning("kunde inte ta bort %s: %s", temp, err)
        with _active_lock:
            _active.discard(str(temp))


@contextmanager
def atomic_open(target: str | Path) -> Iterator[BinaryIO]:
    """A binary file to write ``target`` through (see ``atomic_path``); flushed on exit."""
    with atomic_path(target, allow_empty=True) as temp, open(temp, "wb") as f:
        yield f
        f.flush()


def write_atomic(target: str | Path, data: bytes | str, encoding: str = "utf-8") -> Path:
    """Write all of ``data`` (text is encoded) to ``target``, whole or not at all."""
    with atomic_open(target) as f:
        f.write(data.encode(encoding) if isinstance(data, str) else data)
    return _resolve(target)


def remove_qt_save_leftovers(target: str | Path, older_than: float = 60.0) -> list[Path]:
    """QSettings writes its INI atomically through QSaveFile (a temporary ``<name>.XXXXXX``
    renamed over it; on Linux an unnamed O_TMPFILE that only gets a name just before the rename).
    A process killed in between leaves that temporary file; remove those older than
    ``older_than`` seconds (a live write takes milliseconds)."""
    import time

    target = Path(target)
    pattern = re.compile(re.escape(target.name) + r"\.[A-Za-z0-9]{6}")
    removed = []
    now = time.time()
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return removed
    for e in entries:
        if not pattern.fullmatch(e.name):
            continue
        try:
            if e.is_file(follow_symlinks=False) and now - e.stat().st_mtime > older_than:
                os.unlink(e.path)
                removed.append(Path(e.path))
        except OSError:
            continue
    return removed
