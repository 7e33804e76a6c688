#!/bin/sh
# Qt needs a few shared libraries that a bare Debian/Ubuntu machine lacks: the offscreen
# platform (tests) needs EGL/GL, fontconfig and xkbcommon; a real window on X11 also needs the
# xcb libraries. The PDF writer (WeasyPrint) needs Pango >= 1.44 with HarfBuzz and its subsetter
# (libharfbuzz-subset0, without it WeasyPrint warns and the tests fail on the warning). Try Qt
# and WeasyPrint with the given interpreter; install only what is missing, and only if one fails.
# Usage: ensure_qt_system_libs.sh PYTHON [gui]
PY="$1"
MODE="${2:-offscreen}"

offscreen_ok() {
    QT_QPA_PLATFORM=offscreen "$PY" -c "from PySide6.QtWidgets import QApplication; QApplication([])" >/dev/null 2>&1
}
pdf_ok() {  # warnings are errors, as in the tests
    "$PY" -W error -c "import weasyprint" >/dev/null 2>&1
}
window_ok() {
    [ -z "$DISPLAY" ] && return 0  # no X display: nothing to check here
    "$PY" -c "from PySide6.QtWidgets import QApplication; QApplication([])" >/dev/null 2>&1
}

if offscreen_ok && pdf_ok && { [ "$MODE" != gui ] || window_ok; }; then
    exit 0
fi
echo "Qt eller PDF-skrivaren kan inte starta; installerar de systembibliotek som behövs ..."
PACKAGES="libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-dejavu-core"
PACKAGES="$PACKAGES libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0"
if [ "$MODE" = gui ]; then
    PACKAGES="$PACKAGES libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1"
fi
SUDO=""
[ "$(id -u)" = "0" ] || SUDO="sudo"
if command -v apt-get >/dev/null 2>&1; then
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $PACKAGES >/dev/null
else
    echo "Installera motsvarigheten till: $PACKAGES" >&2
    exit 1
fi
offscreen_ok && pdf_ok && { [ "$MODE" != gui ] || window_ok; }
