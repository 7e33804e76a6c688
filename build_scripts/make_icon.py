"""Draw the application icon (resources/socdesk.png and .ico) with Qt. Run once when the
design changes: .venv/bin/python build_scripts/make_icon.py"""

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter

OUT = Path(__file__).resolve().parent.parent / "resources"


def draw(size: int) -> QImage:
    img = QImage(size, size, QImage.Format.Format_ARGB32)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setBrush(QColor(33, 102, 172))
    p.setPen(Qt.PenStyle.NoPen)
    p.drawRoundedRect(QRectF(0, 0, size, size), size * 0.18, size * 0.18)
    bar_w = size * 0.14
    for i, h in enumerate((0.35, 0.55, 0.45, 0.7)):
        p.setBrush(QColor(255, 255, 255) if i < 3 else QColor(255, 196, 0))
        x = size * 0.16 + i * size * 0.18
        p.drawRect(QRectF(x, size * (0.85 - h), bar_w, size * h))
    p.end()
    return img


if __name__ == "__main__":
    app = QGuiApplication([])
    OUT.mkdir(exist_ok=True)
    draw(256).save(str(OUT / "socdesk.png"))
    draw(256).scaled(
        64, 64, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    ).save(str(OUT / "socdesk.ico"))
    print("resources/socdesk.png, resources/socdesk.ico")
