"""Screenshots of the main window in the system's palette, for checking light, dark and high DPI.

The palette is the system's: run it under the desktop (or theme) you want to show::

    QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1400x900x24" \\
        python tools/screenshot_themes.py --out window.png
    # the same, dark: add  QT_QPA_PLATFORMTHEME=gtk3 GTK_THEME=Adwaita:dark
    # high DPI: add  QT_SCALE_FACTOR=2
    # the README's dark picture (under 300 KB): 256 colours, which ImageMagick keeps clean
    convert-im6.q16 window.png -colors 256 PNG8:docs/images/window-dark.png

Settings and profile live in a temporary folder; nothing of the user's is read or written.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

SAMPLE_SENDER = {
    "name": "Ana Ruiz",
    "street": "12 Elm Street",
    "city": "Seattle",
    "state": "WA",
    "postal_code": "98105",
    "email": "ana@example.org",
}
OWN_WORDS = "As a mother of two, I beleive this matters. "


def main(argv: list[str] | None = None) -> int:
    """Build the window, wait for the preview and spelling, save the picture."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="the PNG file to write")
    parser.add_argument("--width", type=int, default=1360)
    parser.add_argument("--height", type=int, default=860)
    args = parser.parse_args(argv)

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtGui import QTextCursor

    from composer.core.campaigns import default_campaign
    from composer.core.locations import Locations
    from composer.core.models import Sender
    from composer.core.profile import save_sender
    from composer.core.settings import Settings
    from composer.gui.app import create_application
    from composer.gui.mainwindow import MainWindow

    app = create_application()
    with tempfile.TemporaryDirectory() as folder:
        locations = Locations.under(Path(folder))
        save_sender(locations.profile_file, Sender(**SAMPLE_SENDER))
        window = MainWindow(locations, Settings(paper="letter"), default_campaign())
        window.resize(args.width, args.height)
        window.show()
        window.spelling.start()
        cursor = QTextCursor(window.editor.text.document())
        cursor.movePosition(QTextCursor.MoveOperation.Start)
        cursor.insertText(OWN_WORDS)
        window.editor.text.setFocus()

        loop = QEventLoop()
        window.preview.updated.connect(loop.quit)
        QTimer.singleShot(20_000, loop.quit)
        window.refresh_preview()
        loop.exec()
        if not window.preview.page_labels():
            print("screenshot: the preview did not draw in time", file=sys.stderr)
            return 1
        app.processEvents()
        image = window.grab().toImage()
        args.out.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(args.out), "PNG", 9):
            print(f"screenshot: could not write {args.out}", file=sys.stderr)
            return 1
        print(
            f"wrote {args.out} ({image.width()}×{image.height()} px, dpr {window.devicePixelRatioF()})"
        )
        window.close()
        window.pool.waitForDone(5000)
    return 0


if __name__ == "__main__":
    sys.exit(main())
