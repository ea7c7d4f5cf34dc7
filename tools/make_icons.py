"""Draw the application icon's PNG sizes from its SVG source.

The PNGs are committed so that an installed copy needs no SVG support, and
this script makes them again after the SVG changes::

    python tools/make_icons.py          # rewrite resources/icons/hicolor/*/apps/*.png
    python tools/make_icons.py --check  # exit 1 if a committed PNG differs from the SVG
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ICON_NAME = "io.github.letter_composer.LetterComposer"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICON_ROOT = Path(__file__).resolve().parents[1] / "resources" / "icons" / "hicolor"
SVG_PATH = ICON_ROOT / "scalable" / "apps" / f"{ICON_NAME}.svg"
# Rendering differs a little between Qt versions (antialiasing); a real change to the
# drawing moves far more than this many colour steps on some pixel.
TOLERANCE = 24


def png_path(size: int, root: Path = ICON_ROOT) -> Path:
    """Where the PNG of one size lives (the hicolor theme's own layout)."""
    return root / f"{size}x{size}" / "apps" / f"{ICON_NAME}.png"


def render(svg: Path, size: int):
    """The icon drawn at `size` × `size` pixels on a transparent background (a QImage)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"make_icons: {svg} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image


def largest_difference(first, second) -> int:
    """The largest difference of any channel of any pixel (a large number if sizes differ)."""
    from PySide6.QtGui import QImage

    if first.size() != second.size():
        return 1 << 16
    a = first.convertToFormat(QImage.Format.Format_RGBA8888)
    b = second.convertToFormat(QImage.Format.Format_RGBA8888)
    bytes_a = bytes(a.constBits())
    bytes_b = bytes(b.constBits())
    return max((abs(x - y) for x, y in zip(bytes_a, bytes_b, strict=True)), default=0)


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` compare) every PNG size; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication, QImage

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    stale = []
    for size in SIZES:
        image = render(SVG_PATH, size)
        target = png_path(size)
        if args.check:
            committed = QImage(str(target))
            if committed.isNull() or largest_difference(image, committed) > TOLERANCE:
                stale.append(target)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(target), "PNG"):
            raise SystemExit(f"make_icons: could not write {target}")
        print(f"wrote {target.relative_to(ICON_ROOT.parents[2])}")
    if stale:
        for path in stale:
            print(f"out of date: {path} (run python tools/make_icons.py)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
