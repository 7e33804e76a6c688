"""Where socdesk keeps its files: the per-user data folder, or ``--basedir`` for tests and
portable use. Never beside the program."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "socdesk"
ENV = "SOCDESK_BASEDIR"


def data_dir(basedir: str | Path | None = None) -> Path:
    chosen = basedir or os.environ.get(ENV)
    path = Path(chosen) if chosen else Path(platformdirs.user_data_dir(APP, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def backup_dir(basedir: str | Path | None = None) -> Path:
    path = data_dir(basedir) / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir(basedir: str | Path | None = None) -> Path:
    path = data_dir(basedir) / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path
