"""Find bundled files the same way from a source tree, an installed package or a frozen build."""

from __future__ import annotations

import sys
from pathlib import Path


def project_root() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def seed_dir() -> Path:
    return project_root() / "seeds"


def resource(name: str) -> Path:
    return project_root() / "resources" / name
