"""The build hook that puts the program's data in the wheel.

The repository keeps the data where people edit it: ``seeds/`` (the seed tables, measures and
report texts) and ``resources/`` (icons, report templates, selftest files) at the top level.
``build_py`` copies both into the built package as ``socdesk/_data/seeds`` and
``socdesk/_data/resources``, so a wheel carries them as package data and
``socdesk.resources`` finds them through ``importlib.resources`` (the PyInstaller spec lays them
out the same way). An editable install reads them from the source tree instead."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
DATA_DIRS = ("seeds", "resources")


class BuildWithData(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # socdesk.resources falls back to the source tree
        target = Path(self.build_lib) / "socdesk" / "_data"
        for name in DATA_DIRS:
            shutil.copytree(
                ROOT / name,
                target / name,
                dirs_exist_ok=True,
                ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
            )


setup(cmdclass={"build_py": BuildWithData})
