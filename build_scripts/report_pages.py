"""Page images of the four demo reports for docs/: every page of each report's PDF, side by
side, as the user gets it from ``socdesk report``.

    .venv/bin/python build_scripts/report_pages.py [--dpi 45]

Builds the demo database in a temporary folder (changes nothing of yours), writes each report
with ``socdesk report KIND … -o KIND.pdf`` (a subprocess, as a user runs it), rasterizes the
pages with poppler's ``pdftoppm`` (``apt-get install poppler-utils``) and puts them in rows of
four on one image: docs/report-manad.png, report-tertial.png, report-nyckeltal.png,
report-statistik.png. Look at them after a layout change."""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

DOCS = Path(__file__).resolve().parent.parent / "docs"
REPORTS = {  # kind → (period, unit), the demo's boards as in the seeds
    "manad": ("2024-05", "SN"),
    "tertial": ("2023-T1", "N"),
    "nyckeltal": ("2023", "N"),
    "statistik": ("2024", "STH"),
}
PER_ROW = 4
GAP = 12


def socdesk(*args: object) -> None:
    subprocess.run([sys.executable, "-m", "socdesk", *map(str, args)], check=True, stdout=subprocess.DEVNULL)


def sheet(pages: list[Path], out: Path) -> None:
    """The pages in rows of PER_ROW on a grey background (landscape pages keep their shape)."""
    images = [Image.open(p).convert("RGB") for p in pages]
    cell_w = max(i.width for i in images)
    cell_h = max(i.height for i in images)
    rows = (len(images) + PER_ROW - 1) // PER_ROW
    cols = min(PER_ROW, len(images))
    canvas = Image.new("RGB", (cols * (cell_w + GAP) + GAP, rows * (cell_h + GAP) + GAP), (120, 120, 120))
    for n, image in enumerate(images):
        r, c = divmod(n, PER_ROW)
        canvas.paste(image, (GAP + c * (cell_w + GAP), GAP + r * (cell_h + GAP)))
    # 64 colours are plenty for text, rules and a few chart colours, and keep docs/ small
    canvas.quantize(colors=64).save(out, optimize=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dpi", type=int, default=45)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "demo.db"
        socdesk("demo", "--db", db)
        for kind, (period, unit) in REPORTS.items():
            pdf = folder / f"{kind}.pdf"
            socdesk("report", kind, "--db", db, "--period", period, "--unit", unit, "-o", pdf)
            subprocess.run(["pdftoppm", "-r", str(args.dpi), "-png", pdf, folder / kind], check=True)
            pages = sorted(folder.glob(f"{kind}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
            out = DOCS / f"report-{kind}.png"
            sheet(pages, out)
            print(f"{out.relative_to(DOCS.parent)}: {len(pages)} sidor")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
