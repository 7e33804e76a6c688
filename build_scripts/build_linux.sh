#!/bin/sh
# Build socdesk with PyInstaller (one folder: socdesk and socdesk-cli side by side) and smoke-run
# what was built: the program's self-test (an import of every format, every report kind, the
# main window) and the console executable's help.
#   sh build_scripts/build_linux.sh [OUTDIR]     (default: build/)
# Uses the project's .venv (make setup creates it) and installs PyInstaller into it.
set -eu
cd "$(dirname "$0")/.."
OUT="${1:-build}"
PY=.venv/bin/python
[ -x "$PY" ] || make setup
"$PY" -m pip install --quiet -c constraints.txt "pyinstaller>=6.10"
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$OUT/dist" --workpath "$OUT/work" build_scripts/socdesk.spec
QT_QPA_PLATFORM=offscreen "$OUT/dist/socdesk/socdesk" --selftest
"$OUT/dist/socdesk/socdesk-cli" --help >/dev/null
echo "Byggt: $OUT/dist/socdesk/socdesk och $OUT/dist/socdesk/socdesk-cli"
