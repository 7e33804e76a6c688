#!/bin/sh
# Qt needs a few shared libraries that a bare Debian/Ubuntu machine lacks: the offscreen
# platform (tests) needs EGL/GL, fontconfig and xkbcommon; a real window on X11 also needs the
# xcb libraries. Try Qt with the given interpreter; install only what is missing, and only if
# it fails. Usage: ensure_qt_system_libs.sh PYTHON [gui]
PY="$1"
MODE="${2:-offscreen}"

offscreen_ok() {
    QT_QPA_PLATFORM=offscreen "$PY" -c "from PySide6.QtWidgets import QApplication; QApplication([])" >/dev/null 2>&1
}
window_ok() {
    [ -z "$DISPLAY" ] && return 0  # no X display: nothing to check here
    "$PY" -c "from PySide6.QtWidgets import QApplication; QApplication([])" >/dev/null 2>&1
}

if offscreen_ok && { [ "$MODE" != gui ] || window_ok; }; then
    exit 0
fi
echo "Qt kan inte starta; installerar de systembibliotek som Qt behöver ..."
PACKAGES="libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-dejavu-core"
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
offscreen_ok && { [ "$MODE" != gui ] || window_ok; }
