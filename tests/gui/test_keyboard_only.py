"""The whole flow with the keyboard alone: find and tick an argument, write, preview, export a PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from tests.helpers.pdf import pdf_text, squash
from tests.helpers.status import said, status_messages

ARGUMENT_ID = "hessian-deserters"
OWN_SENTENCE = "I write from Tacoma because my neighbour fled the draft last spring."
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def _focus() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def _press(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """Press a key where the keyboard focus is, as a person would."""
    QTest.keyClick(_focus(), key, modifier)


def _tab_to(target: QWidget, limit: int = 15) -> int:
    """Press Tab until `target` has the focus; returns how many presses it took."""
    for presses in range(limit + 1):
        if _focus() is target:
            return presses
        _press(Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {target.accessibleName()!r} in {limit} presses")


@pytest.fixture
def pdf_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The file the save dialog "chooses" (the only part not driven by keys: a native dialog)."""
    path = tmp_path / "out" / "my letter.pdf"
    path.parent.mkdir()
    asked: list[str] = []

    def choose(parent, caption, directory, filters, *args, **kwargs):
        asked.append(caption)
        return str(path.with_suffix("")), filters  # the window adds ".pdf" itself

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(choose))
    return path


def test_whole_flow_with_keys_only(main_window, pdf_path: Path, qtbot) -> None:
    window = main_window
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    argument = window.campaign.argument(ARGUMENT_ID)
    assert ARGUMENT_ID not in window.picker.chosen_ids()

    # 1. Ctrl+F goes to the argument search; typing filters the list.
    QTest.keyClick(window, Qt.Key.Key_F, CTRL)
    assert _focus() is window.picker.search
    QTest.keyClicks(_focus(), "Hessian")

    # 2. Tab into the list, arrow down to the argument, Space ticks it.
    _press(Qt.Key.Key_Tab)
    tree = window.picker.tree
    assert _focus() is tree
    for _ in range(6):
        current = tree.currentItem()
        if current is not None and current.data(0, Qt.ItemDataRole.UserRole) == ARGUMENT_ID:
            break
        _press(Qt.Key.Key_Down)
    assert tree.currentItem().data(0, Qt.ItemDataRole.UserRole) == ARGUMENT_ID
    with qtbot.waitSignal(window.picker.toggled) as ticked:
        _press(Qt.Key.Key_Space)
    assert ticked.args == [ARGUMENT_ID, True]
    assert window.picker.chosen_ids()[-2:] == [ARGUMENT_ID, "reply-president"]  # its place
    assert argument.plain_text.split(".")[0] in window.editor.text.toPlainText()

    # 3. Tab on to the letter (past the picker's other parts and the recipient fields).
    presses = _tab_to(window.editor.text)
    assert presses <= 10

    # 4. Write a sentence of one's own at the end; the preview follows.
    _press(Qt.Key.Key_End, CTRL)
    _press(Qt.Key.Key_Return)
    with qtbot.waitSignal(window.preview.updated, timeout=10000):
        QTest.keyClicks(_focus(), OWN_SENTENCE)
    qtbot.waitUntil(lambda: OWN_SENTENCE in squash(window.preview.shown_letter.text), timeout=10000)
    assert window.preview.page_count >= 1

    # 5. Ctrl+Shift+E exports the PDF (the save dialog answers with a fixed path). Every
    # status message is kept: a later one (spelling, autosave) may replace "Saved" at once.
    shown = status_messages(window)
    QTest.keyClick(_focus(), Qt.Key.Key_E, CTRL | SHIFT)
    qtbot.waitUntil(lambda: said(shown, "Saved"), timeout=20000)
    assert pdf_path.is_file()
    text = squash(pdf_text(pdf_path))
    assert OWN_SENTENCE in text
    assert squash(argument.plain_text.split(".")[0]) in text
    assert "Mr. President" in text  # the letter, not an empty page


def _tick_argument_by_keys(window, qtbot) -> None:
    """Ctrl+F, type, Tab into the list, arrow to the argument and tick it with Space."""
    QTest.keyClick(window, Qt.Key.Key_F, CTRL)
    assert _focus() is window.picker.search
    QTest.keyClicks(_focus(), "Hessian")
    _press(Qt.Key.Key_Tab)
    tree = window.picker.tree
    assert _focus() is tree
    for _ in range(6):
        current = tree.currentItem()
        if current is not None and current.data(0, Qt.ItemDataRole.UserRole) == ARGUMENT_ID:
            break
        _press(Qt.Key.Key_Down)
    with qtbot.waitSignal(window.picker.toggled):
        _press(Qt.Key.Key_Space)
    assert ARGUMENT_ID in window.picker.chosen_ids()


# Find My Officials raises its window, which the offscreen platform cannot do.
@pytest.mark.qt_log_ignore("This plugin does not support")
def test_a_letter_to_a_senators_washington_office_with_keys_only(
    main_window, pdf_path: Path, qtbot
) -> None:
    """Tick an argument, find one's senator, choose her Washington office, write, export."""
    window = main_window
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.waitUntil(lambda: window.is_complete, timeout=10000)
    _tick_argument_by_keys(window, qtbot)

    # Ctrl+Shift+F opens Find My Officials; Enter in the search field searches the ZIP code.
    QTest.keyClick(_focus(), Qt.Key.Key_F, CTRL | SHIFT)
    dialog = window.addressing.directory_dialog()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    panel = dialog.panel
    assert _focus() is panel.query and panel.query.selectedText() == panel.query.text()
    QTest.keyClicks(_focus(), "98105")
    with qtbot.waitSignal(panel.results_shown, timeout=15000):
        _press(Qt.Key.Key_Return)
    ticked = [official.id for item, official, _ in panel.rows() if item.checkState(0).value]
    assert ticked == ["C000127", "M001111", "J000298"]  # the writer's own members

    # Arrows and Space: untick the second senator and the representative.
    _tab_to(panel.results)
    _press(Qt.Key.Key_Down)
    _press(Qt.Key.Key_Space)
    _press(Qt.Key.Key_Down)
    _press(Qt.Key.Key_Space)
    _press(Qt.Key.Key_Home)
    ticked = [official.id for item, official, _ in panel.rows() if item.checkState(0).value]
    assert ticked == ["C000127"]

    # Tab to the Send by box (named for her) and arrow to the Washington office.
    _press(Qt.Key.Key_Tab)
    assert _focus() is panel.channel_box
    assert panel.channel_box.accessibleName().endswith("Senator Maria Cantwell")
    for _ in range(panel.channel_box.count()):
        if panel.rows()[0][2].id == "post:washington":
            break
        _press(Qt.Key.Key_Down)
    assert panel.rows()[0][2].id == "post:washington"

    # Alt+U uses her; the window takes the focus back.
    _press(Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    window.activateWindow()  # the window manager's part when a dialog closes (none offscreen)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    assert [r.salutation for r in window.recipient_bar.recipients()] == ["Dear Senator Cantwell:"]

    # Write a sentence at the end of the letter and export the PDF.
    _tab_to(window.editor.text, limit=30)
    _press(Qt.Key.Key_End, CTRL)
    _press(Qt.Key.Key_Return)
    with qtbot.waitSignal(window.preview.updated, timeout=10000):
        QTest.keyClicks(_focus(), OWN_SENTENCE)
    qtbot.waitUntil(lambda: OWN_SENTENCE in squash(window.preview.shown_letter.text), timeout=10000)
    shown = status_messages(window)
    QTest.keyClick(_focus(), Qt.Key.Key_E, CTRL | SHIFT)
    qtbot.waitUntil(lambda: said(shown, "Saved"), timeout=20000)
    text = squash(pdf_text(pdf_path))
    assert "Dear Senator Cantwell:" in text
    assert "United States Senate" in text
    assert OWN_SENTENCE in text
    assert squash(window.campaign.argument(ARGUMENT_ID).plain_text.split(".")[0]) in text


def test_chosen_arguments_reorder_with_alt_arrows(main_window, qtbot) -> None:
    window = main_window
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    chosen = window.picker.chosen
    QTest.keyClick(window, Qt.Key.Key_F, CTRL)
    _tab_to(chosen)
    _press(Qt.Key.Key_Home)
    _press(Qt.Key.Key_Down)
    _press(Qt.Key.Key_Down)  # the third argument (the first is the opening, which stays first)
    before = window.picker.chosen_ids()
    with qtbot.waitSignal(window.session.changed):
        _press(Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    after = window.picker.chosen_ids()
    assert after == [before[0], before[2], before[1], *before[3:]]
    assert window.session.chosen == after
    first = window.campaign.argument(after[1]).plain_text.split(".")[0]
    second = window.campaign.argument(after[2]).plain_text.split(".")[0]
    body = window.editor.text.toPlainText()
    assert body.index(first) < body.index(second)
    # Nothing moves above the opening.
    _press(Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    _press(Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert window.picker.chosen_ids()[0] == before[0]


@pytest.mark.qt_log_ignore("This plugin does not support")  # the combo box's popup, offscreen
def test_alt_arrows_elsewhere_do_not_reorder_the_letter(main_window, qtbot) -> None:
    """With the focus on the To: box, Alt+Down is the box's own key, not a reorder."""
    window = main_window
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.picker.chosen.setCurrentRow(2)
    before = window.session.chosen
    text = window.editor.text.toPlainText()
    window.recipient_bar.choice.setFocus()
    qtbot.waitUntil(lambda: _focus() is window.recipient_bar.choice)
    for key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
        QTest.keyClick(_focus(), key, Qt.KeyboardModifier.AltModifier)
        popup = QApplication.activePopupWidget()
        if popup is not None:
            popup.close()
    assert window.session.chosen == before
    assert window.picker.chosen_ids() == before
    assert window.editor.text.toPlainText() == text
