#!/bin/sh
# Qt's offscreen platform needs a few shared libraries that a bare Debian machine lacks.
# Try to load QtGui with the given interpreter; install what is missing only if it fails.
PY="$1"
if QT_QPA_PLATFORM=offscreen "$PY" -c "from PySide6 import QtGui, QtWidgets" >/dev/null 2>&1; then
    exit 0
fi
echo "Qt kan inte laddas; installerar systembibliotek som Qt behöver ..."
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 \
        libxkbcommon-x11-0 libxcb-cursor0 fonts-dejavu-core >/dev/null
else
    echo "Kör som root (eller med sudo): apt-get install libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0" >&2
    exit 1
fi
QT_QPA_PLATFORM=offscreen "$PY" -c "from PySide6 import QtGui, QtWidgets"
