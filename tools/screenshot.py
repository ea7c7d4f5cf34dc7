"""Regenerates the README's screenshot of the real window (run under an X server).

usage: xvfb-run -a -s "-screen 0 1400x900x24" env QT_QPA_PLATFORM=xcb \
           .venv/bin/python tools/screenshot.py /tmp/window.png
       convert-im6.q16 /tmp/window.png -colors 256 PNG8:docs/images/window.png
(ImageMagick's palette reduction keeps the README's picture small.) A second argument,
``ru`` or ``uk``, shows the interface in that language (docs/images/window-uk.png).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import Qt, QTimer

from composer.core.locations import Locations
from composer.core.models import Sender
from composer.core.profile import save_sender
from composer.gui.app import build_main_window, create_application


def main(out: str, language: str = "en") -> int:
    from composer.i18n import install

    install(language)
    app = create_application()
    locations = Locations.under(Path(tempfile.mkdtemp(prefix="composer-shot-")))
    save_sender(
        locations.profile_file,
        Sender(
            name="Ana Ruiz",
            street="12 Elm Street",
            city="Seattle",
            state="WA",
            postal_code="98105",
            email="ana.ruiz@example.org",
        ),
    )
    window = build_main_window(locations)
    window.resize(1400, 860)
    window.show()
    editor = window.editor.text
    editor.moveCursor(editor.textCursor().MoveOperation.Start)
    editor.insertPlainText(
        "I teach history at a public school in Seattle, and my grandfather left the Soviet "
        "Union with nothing but a suitcase. "
    )
    item = window.picker.tree.topLevelItem(1).child(0)
    window.picker.tree.setCurrentItem(item)

    def grab() -> None:
        shot = window.grab()
        shot.scaledToWidth(1200, Qt.TransformationMode.SmoothTransformation).save(out)
        app.quit()

    window.preview.updated.connect(lambda: QTimer.singleShot(400, grab))
    QTimer.singleShot(20000, lambda: app.exit(1))
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(*(sys.argv[1:] or ["docs/images/window.png"])))
