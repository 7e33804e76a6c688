"""Entry point for the frozen program (PyInstaller): the same as ``python -m socdesk``."""

import multiprocessing

from socdesk.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    raise SystemExit(main())
