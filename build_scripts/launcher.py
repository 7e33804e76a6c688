"""Entry point for the frozen program (PyInstaller): the same as ``python -m socdesk``."""

import multiprocessing
import os
import sys
from pathlib import Path


def use_bundled_fontconfig() -> None:
    """WeasyPrint finds fonts through fontconfig; in the bundle its configuration is the copy
    WeasyPrint's PyInstaller hook put in etc/fonts (a Windows machine has none of its own)."""
    bundled = Path(getattr(sys, "_MEIPASS", "")) / "etc" / "fonts"
    if (bundled / "fonts.conf").is_file() and "FONTCONFIG_FILE" not in os.environ:
        os.environ["FONTCONFIG_PATH"] = str(bundled)
        os.environ["FONTCONFIG_FILE"] = str(bundled / "fonts.conf")


if __name__ == "__main__":
    multiprocessing.freeze_support()
    use_bundled_fontconfig()
    from socdesk.cli import main

    raise SystemExit(main())
