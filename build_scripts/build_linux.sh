#!/bin/sh
# Build socdesk with PyInstaller (one folder) and smoke-run what was built.
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
echo "Byggt: $OUT/dist/socdesk/socdesk"
