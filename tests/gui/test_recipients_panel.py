"""The Find my officials panel, with a real directory built from the shared data."""

from __future__ import annotations

import datetime as dt
import functools
import shutil
import socket
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QThreadPool, QUrl
from PySide6.QtGui import QAccessible, QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot

from composer.core.directory import (
    FILE_NAMES,
    IRRADIATION_NOTE,
    Directory,
    urls_under,
)
from composer.core.models import Recipient
from composer.gui.recipients_dialog import RecipientsDialog
from composer.gui.recipients_panel import (
    RecipientChoice,
    RecipientsPanel,
    open_contact_form,
)

SUMMER = dt.date(2026, 7, 1)
TIMEOUT = 15_000


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    """A directory imported once for this module."""
    folder = tmp_path_factory.mktemp("directory")
    Directory(folder).import_files([shared_data / name for name in FILE_NAMES.values()])
    return folder


@pytest.fixture
def pool() -> Iterator[QThreadPool]:
    """A private thread pool, drained after each test so no worker outlives it."""
    pool = QThreadPool()
    yield pool
    pool.waitForDone(30_000)


def make_panel(
    qtbot: QtBot,
    folder: Path,
    pool: QThreadPool,
    today: dt.date = SUMMER,
    **kwargs: Any,
) -> RecipientsPanel:
    panel = RecipientsPanel(Directory(folder, today=lambda: today), pool, **kwargs)
    qtbot.addWidget(panel)
    panel.show()
    return panel


def search(qtbot: QtBot, panel: RecipientsPanel, mode: str, text: str) -> None:
    with qtbot.waitSignal(panel.results_shown, timeout=TIMEOUT):
        panel.search(mode, text)


def checked_ids(panel: RecipientsPanel) -> list[str]:
    return [
        official.id
        for item, official, _ in panel.rows()
        if item.checkState(0) == Qt.CheckState.Checked
    ]


def test_seattle_zip_ticks_the_senators_and_representative(
    qtbot: QtBot, imported: Path, pool: QThreadPool
) -> None:
    panel = make_panel(qtbot, imported, pool)
    assert panel.date_label.text() == "Congress data as of June 10, 2026 (newest term start)"
    assert not panel.stale_box.isVisible()

    search(qtbot, panel, "zip", "98105")

    assert checked_ids(panel) == ["C000127", "M001111", "J000298"]
    shown = [official.id for _, official, _ in panel.rows()]
    assert shown[-2:] == ["white-house", "dhs-secretary"]  # always offered, not ticked
    first_channel = panel.rows()[0][2].label
    assert first_channel == "Post: Seattle office (recommended)"
    assert panel.rows()[2][0].text(0) == "Representative Pramila Jayapal (WA-7)"
    assert not panel.reason_label.isVisible()

    with qtbot.waitSignal(panel.recipients_chosen, timeout=TIMEOUT) as chosen:
        qtbot.mouseClick(panel.use_button, Qt.MouseButton.LeftButton)
    recipients: list[Recipient] = chosen.args[0]
    assert [r.salutation for r in recipients] == [
        "Dear Senator Cantwell:",
        "Dear Senator Murray:",
        "Dear Representative Jayapal:",
    ]
    assert recipients[0].address_lines[-1] == "Seattle, WA 98174"


def test_a_split_zip_shows_the_reason_and_leaves_the_choice(
    qtbot: QtBot, imported: Path, pool: QThreadPool
) -> None:
    panel = make_panel(qtbot, imported, pool)

    search(qtbot, panel, "zip", "98101")

    assert panel.reason_label.isVisible()
    assert "split between districts 7 and 9" in panel.reason_label.text()
    assert checked_ids(panel) == ["C000127", "M001111"]
    labels = [item.text(0) for item, _, _ in panel.rows()]
    assert sum(label.endswith("— choose one") for label in labels) == 2

    panel.set_checked("S000510")
    assert [c.official.id for c in panel.choices()] == ["C000127", "M001111", "S000510"]


def test_choosing_the_washington_office_shows_why_it_is_slower(
    qtbot: QtBot, imported: Path, pool: QThreadPool
) -> None:
    panel = make_panel(qtbot, imported, pool)
    search(qtbot, panel, "name", "cantwell")
    panel.set_checked("C000127")  # a name search ticks nobody by itself

    panel.set_channel("C000127", "post:washington")

    assert IRRADIATION_NOTE in panel.note_label.text()
    with qtbot.waitSignal(panel.choices_made, timeout=TIMEOUT) as made:
        panel.use_selected()
    choice: RecipientChoice = made.args[0][0]
    assert choice.channel.id == "post:washington"
    assert choice.recipient.address_lines[1] == "United States Senate"


def test_nothing_ticked_is_explained_not_emitted(
    qtbot: QtBot, imported: Path, pool: QThreadPool
) -> None:
    panel = make_panel(qtbot, imported, pool)
    search(qtbot, panel, "state", "Guam")
    for _, official, _ in panel.rows():
        panel.set_checked(official.id, False)

    with qtbot.assertNotEmitted(panel.recipients_chosen):
        panel.use_selected()

    assert panel.error_label.isVisible()
    assert "Tick at least one" in panel.error_label.text()


def test_a_bad_zip_is_reported_in_the_panel(
    qtbot: QtBot, imported: Path, pool: QThreadPool
) -> None:
    panel = make_panel(qtbot, imported, pool)

    with qtbot.waitSignal(panel.failed, timeout=TIMEOUT) as failed:
        panel.search("zip", "98l05")

    assert "is not a ZIP code" in failed.args[0]
    assert panel.error_label.text() == failed.args[0]
    assert not panel.busy


def test_stale_data_is_warned_about_visibly(
    qtbot: QtBot, imported: Path, pool: QThreadPool
) -> None:
    panel = make_panel(qtbot, imported, pool, today=dt.date(2027, 2, 1))

    assert panel.stale_box.isVisible()
    assert "The 120th Congress began on January 3, 2027" in panel.stale_label.text()


def test_import_runs_in_the_background_and_refreshes(
    qtbot: QtBot, tmp_path: Path, shared_data: Path, pool: QThreadPool
) -> None:
    panel = make_panel(qtbot, tmp_path / "empty", pool)
    assert "No Congress data" in panel.date_label.text()
    assert "No members of Congress" in panel.stale_label.text()
    busy: list[bool] = []
    panel.busy_changed.connect(busy.append)

    with qtbot.waitSignal(panel.directory_changed, timeout=30_000):
        panel.import_files([shared_data / name for name in FILE_NAMES.values()])

    assert busy == [True, False]
    assert "June 10, 2026" in panel.date_label.text()
    assert not panel.stale_box.isVisible()
    assert panel.import_action.isEnabled() and panel.update_action.isEnabled()


def test_a_failed_import_changes_nothing(qtbot: QtBot, tmp_path: Path, pool: QThreadPool) -> None:
    bogus = tmp_path / "bogus.yaml"
    bogus.write_text("- just: a list\n")
    panel = make_panel(qtbot, tmp_path / "empty", pool)

    with qtbot.waitSignal(panel.failed, timeout=TIMEOUT) as failed:
        panel.import_files([bogus])

    assert "bogus.yaml is not a file the directory can import" in failed.args[0]
    assert not (tmp_path / "empty").exists()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def server(tmp_path: Path, shared_data: Path) -> Iterator[str]:
    """The shared files served over HTTP on 127.0.0.1; stopped after the test."""
    folder = tmp_path / "www"
    folder.mkdir()
    for name in FILE_NAMES.values():
        shutil.copyfile(shared_data / name, folder / name)
    httpd = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder))
    )
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


def test_update_from_the_internet_action(
    qtbot: QtBot, tmp_path: Path, server: str, pool: QThreadPool
) -> None:
    panel = make_panel(qtbot, tmp_path / "dir", pool, urls=urls_under(server), near_zip="98105")
    steps: list[int] = []
    panel.progress.valueChanged.connect(steps.append)

    with qtbot.waitSignal(panel.directory_changed, timeout=30_000):
        panel.update_action.trigger()
    # The ZIP code in the field is searched again with the new data.
    qtbot.waitUntil(lambda: len(checked_ids(panel)) == 3, timeout=TIMEOUT)

    assert steps and max(steps) >= 50
    assert "June 10, 2026" in panel.date_label.text()


def test_cancel_frees_the_panel_and_keeps_the_directory(
    qtbot: QtBot, tmp_path: Path, pool: QThreadPool
) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)
        base = f"http://127.0.0.1:{silent.getsockname()[1]}"
        panel = make_panel(qtbot, tmp_path / "dir", pool, urls=urls_under(base))

        with qtbot.waitSignal(panel.busy_changed, timeout=TIMEOUT):
            panel.start_update()
        assert panel.busy
        with (
            qtbot.assertNotEmitted(panel.directory_changed),
            qtbot.waitSignal(panel.busy_changed, timeout=TIMEOUT) as idle,
        ):
            qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
        assert idle.args == [False]
        assert "Cancelled" in panel.error_label.text()
        assert panel.update_action.isEnabled()
    # The worker gives up when the connection closes; nothing was written.
    pool.waitForDone(30_000)
    assert not (tmp_path / "dir").exists()


def test_the_dialog_closes_with_the_chosen_recipients(
    qtbot: QtBot, imported: Path, pool: QThreadPool
) -> None:
    dialog = RecipientsDialog(Directory(imported, today=lambda: SUMMER), pool, near_zip="98105")
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.panel.results_shown, timeout=TIMEOUT):
        dialog.panel.run_search()

    with qtbot.waitSignal(dialog.recipients_chosen, timeout=TIMEOUT) as chosen:
        dialog.panel.use_selected()

    assert len(chosen.args[0]) == 3
    assert dialog.result() == RecipientsDialog.DialogCode.Accepted


def test_open_contact_form_copies_the_letter(qtbot: QtBot) -> None:
    opened: list[QUrl] = []

    def fake_open(url: QUrl) -> bool:
        opened.append(url)
        return True

    assert open_contact_form("https://www.example.gov/contact", "Dear Senator:", fake_open)
    assert opened == [QUrl("https://www.example.gov/contact")]
    assert QGuiApplication.clipboard().text() == "Dear Senator:"


def test_a_state_search_ticks_only_the_writers_own_members(
    qtbot: QtBot, imported: Path, pool: QThreadPool
) -> None:
    panel = make_panel(qtbot, imported, pool, near_zip="98105")
    search(qtbot, panel, "state", "WA")
    assert len(panel.rows()) > 5
    assert checked_ids(panel) == ["C000127", "M001111", "J000298"]
    assert "Only your own senators and representative are ticked" in panel.reason_label.text()

    # Someone else's ZIP code: their members are shown, none is ticked for this writer.
    search(qtbot, panel, "zip", "99201")
    assert panel.rows() and checked_ids(panel) == ["C000127", "M001111"]

    # Without a ZIP code of the writer's, a name search ticks nobody and says so.
    bare = make_panel(qtbot, imported, pool)
    search(qtbot, bare, "name", "Smith")
    assert bare.rows() and checked_ids(bare) == []
    assert "Nothing is ticked" in bare.reason_label.text()


def test_a_bad_zip_clears_the_results_of_the_last_search(
    qtbot: QtBot, imported: Path, pool: QThreadPool
) -> None:
    panel = make_panel(qtbot, imported, pool)
    search(qtbot, panel, "zip", "98105")
    assert checked_ids(panel) == ["C000127", "M001111", "J000298"]

    with qtbot.waitSignal(panel.failed, timeout=TIMEOUT):
        panel.search("zip", "981O5")

    assert checked_ids(panel) == []
    assert [official.id for _, official, _ in panel.rows()] == ["white-house", "dhs-secretary"]
    with qtbot.assertNotEmitted(panel.recipients_chosen):
        panel.use_selected()


@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_update_from_the_menu_shows_the_dialog_and_its_result(
    qtbot: QtBot, tmp_path: Path, server: str, pool: QThreadPool
) -> None:
    dialog = RecipientsDialog(
        Directory(tmp_path / "dir", today=lambda: SUMMER), pool, urls=urls_under(server)
    )
    qtbot.addWidget(dialog)
    assert not dialog.isVisible()
    with qtbot.waitSignal(dialog.panel.directory_changed, timeout=30_000):
        dialog.panel.update_action.trigger()  # as Directory ▸ Update from the Internet does
    assert dialog.isVisible()
    notice = dialog.panel.notice_label
    assert notice.isVisible()
    assert notice.text() == (
        "The directory was updated: 537 members of Congress. Congress data as of "
        "June 10, 2026 (newest term start)."
    )


def _focus() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def _press(key: Qt.Key) -> None:
    QTest.keyClick(_focus(), key)


def test_the_results_work_with_the_keyboard_alone(
    qtbot: QtBot, imported: Path, pool: QThreadPool
) -> None:
    """Arrows move between officials, Space ticks, a named Send by box chooses the office."""
    dialog = RecipientsDialog(Directory(imported, today=lambda: SUMMER), pool)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    panel = dialog.panel
    assert _focus() is panel.query  # the dialog opens ready to type
    QTest.keyClick(_focus(), Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert _focus() is panel.mode
    _press(Qt.Key.Key_End)  # search by name
    assert panel.mode.currentData() == "name"
    _press(Qt.Key.Key_Tab)
    assert _focus() is panel.query
    QTest.keyClicks(_focus(), "cantwell")
    with qtbot.waitSignal(panel.results_shown, timeout=TIMEOUT):
        _press(Qt.Key.Key_Return)
    assert checked_ids(panel) == []

    # Tab reaches the results, then the Send by box, and only then Close.
    close = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close)
    order = []
    for _ in range(12):
        _press(Qt.Key.Key_Tab)
        order.append(_focus())
        if _focus() is close:
            break
    assert panel.results in order and panel.channel_box in order and close in order
    assert order.index(panel.results) < order.index(panel.channel_box) < order.index(close)

    # In the results, Space ticks the official under the cursor and Down moves on.
    while _focus() is not panel.results:
        _press(Qt.Key.Key_Tab)
    assert panel.results.currentItem() is panel.rows()[0][0]
    _press(Qt.Key.Key_Space)
    assert checked_ids(panel) == ["C000127"]
    name = panel.channel_box.accessibleName()
    assert name == "Send by: how to reach Senator Maria Cantwell"

    # The Send by box, reached by Tab, chooses the Washington office with arrows.
    _press(Qt.Key.Key_Tab)
    assert _focus() is panel.channel_box
    labels = [panel.channel_box.itemText(i) for i in range(panel.channel_box.count())]
    washington = next(i for i, text in enumerate(labels) if "Washington" in text)
    for _ in range(washington - panel.channel_box.currentIndex()):
        _press(Qt.Key.Key_Down)
    assert panel.rows()[0][2].id == "post:washington"
    assert IRRADIATION_NOTE in panel.note_label.text()

    # Back in the results, Down moves to the next official and changes no office.
    QTest.keyClick(_focus(), Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert _focus() is panel.results
    _press(Qt.Key.Key_Down)
    second = panel.rows()[1]
    assert panel.results.currentItem() is second[0]
    assert panel.rows()[0][2].id == "post:washington"
    assert panel.channel_box.accessibleName() == f"Send by: how to reach {second[1].title_and_name}"
    assert panel.channel_box.currentText() == second[2].label
    assert checked_ids(panel) == ["C000127"]  # moving ticks nothing

    # Enter in the results uses the ticked official, addressed to the office chosen
    # (it does not search again, which would drop the tick and the office).
    with qtbot.waitSignal(dialog.recipients_chosen, timeout=TIMEOUT) as chosen:
        _press(Qt.Key.Key_Return)
    assert not panel.busy
    recipients: list[Recipient] = chosen.args[0]
    assert [r.salutation for r in recipients] == ["Dear Senator Cantwell:"]
    assert recipients[0].address_lines[1] == "United States Senate"


def test_the_dialog_is_named_for_screen_readers(
    qtbot: QtBot, imported: Path, pool: QThreadPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every control of Find My Officials is named and described, the Send by box by
    whose it is, and what a search found is read out."""
    from PySide6 import QtGui

    from tests.gui.test_accessibility import _AnnouncementSpy, _problems, tree_problems

    spy = _AnnouncementSpy()
    monkeypatch.setattr(QtGui, "QAccessible", spy)  # where composer.gui.a11y loads it

    dialog = RecipientsDialog(Directory(imported, today=lambda: SUMMER), pool, near_zip="98105")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    with qtbot.waitSignal(dialog.panel.results_shown, timeout=TIMEOUT):
        dialog.panel.run_search()
    assert spy.said[-1] == ("3 officials found, 3 ticked.", "Polite")
    assert _problems(dialog) == []
    problems = tree_problems(dialog)
    assert problems == [], "\n".join(problems)
    box = dialog.panel.channel_box
    assert box.accessibleName() == "Send by: how to reach Senator Maria Cantwell"
    # What a screen reader hears of the box: its name, or (on Linux) the label it is labelled by.
    interface = QAccessible.queryAccessibleInterface(box)
    labels = [
        other.text(QAccessible.Text.Name)
        for other, relation in interface.relations(QAccessible.Relation.Label)
    ]
    assert "&Send to Senator Maria Cantwell by:".replace("&", "") in [
        text.replace("&", "") for text in labels
    ]
    dialog.panel.results.setCurrentItem(dialog.panel.rows()[1][0])
    assert box.accessibleName() == "Send by: how to reach Senator Patty Murray"
    assert dialog.panel.channel_label.text().replace("&", "") == "Send to Senator Patty Murray by:"
