"""A pack's templates in the window: runaway templates stop in the preview's worker, and a
campaign's title is shown as text, never drawn as markup."""

from __future__ import annotations

import resource
import shutil
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from composer.core.render import Renderer
from composer.gui.mainwindow import MainWindow

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "docs" / "example-pack"

# Passes the old static check (no range, no *): four loops over the letter's own text.
NESTED = (
    "<p>{{ recipient.salutation }}</p>\n"
    "{% for a in body_text %}{% for b in body_text %}{% for c in body_text %}"
    "{% for d in body_text %}.{% endfor %}{% endfor %}{% endfor %}{% endfor %}"
)


@pytest.mark.parametrize(
    ("template", "limit"),
    [
        (NESTED, "steps"),
        ("<p>{{ recipient.salutation }}</p>\n{{ body_text|center(3000000000) }}", "characters"),
        (
            "<p>{{ recipient.salutation }}</p>\n{% macro d(s, n) %}{% if n %}{{ d(s ~ s, n - 1) }}"
            "{% endif %}{% endmacro %}{{ d(body_text, 64) }}",
            "characters",
        ),
    ],
    ids=["nested loops", "center", "doubling"],
)
def test_a_runaway_template_stops_in_the_preview_worker(
    qtbot: QtBot, main_window: MainWindow, template: str, limit: str
) -> None:
    main_window.output._renderer = Renderer(
        {"formal.html": template, "formal.txt": "{{ body_text }}"}
    )
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    for _edit in range(3):  # as the preview does after each edit
        main_window.preview.message.hide()
        main_window.refresh_preview()
        qtbot.waitUntil(lambda: main_window.preview.message.isVisible(), timeout=20_000)
        text = main_window.preview.message.text()
        assert "Template 'formal.html' at line 2 was stopped" in text
        assert limit in text
    assert main_window.pool.waitForDone(10_000)  # the worker itself has stopped
    assert time.monotonic() - started < 30
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before) / 1024
    assert grown_mib < 200, grown_mib


def test_the_replace_box_shows_a_title_as_text(
    qtbot: QtBot, main_window: MainWindow, tmp_path: Path
) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(EXAMPLE, pack)
    toml = pack / "campaign.toml"
    # Markup-like text a title may hold (check refuses HTML tags in titles).
    title = "Lanes &amp; <library@example.org> on Main Street"
    toml.write_text(
        toml.read_text().replace(
            'title = "A protected bike lane on Main Street"', f'title = "{title}"'
        )
    )
    opener = main_window.campaign_opener
    with qtbot.waitSignal(opener.opened, timeout=10_000):
        opener.open_path(pack)
    seen: list[tuple[str, Qt.TextFormat]] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append((box.text(), box.textFormat()))
            box.button(QMessageBox.StandardButton.No).click()

    timer = QTimer(interval=20)
    timer.timeout.connect(answer)
    timer.start()
    try:
        with qtbot.waitSignal(opener.opened, timeout=10_000):
            opener.open_path(pack)
    finally:
        timer.stop()
    assert len(seen) == 1
    text, text_format = seen[0]
    assert title in text
    assert text_format == Qt.TextFormat.PlainText
