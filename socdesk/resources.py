"""Find bundled files the same way from a source tree, an installed wheel or a frozen build.

An installed wheel and the PyInstaller build both hold the data inside the package, as
``socdesk/_data/seeds`` and ``socdesk/_data/resources`` (``setup.py`` copies them there at build
time; ``build_scripts/socdesk.spec`` mirrors that layout). A source tree (and an editable
install) has them at the repository's top level, where they are edited. Everyone asks through
``seed_dir()`` and ``resource(name)``."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

PACKAGED = "_data"


def data_root() -> Path:
    """The folder holding ``seeds/`` and ``resources/``."""
    package = Path(str(files("socdesk")))
    packaged = package / PACKAGED
    if (packaged / "seeds").is_dir():
        return packaged
    return package.resolve().parent


def seed_dir() -> Path:
    return data_root() / "seeds"


def resource(name: str) -> Path:
    return data_root() / "resources" / name
