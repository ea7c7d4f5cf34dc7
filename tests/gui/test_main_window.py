"""The main flow in the real window: tick arguments, edit, watch the preview, export a PDF."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from composer.core.markup import paragraphs
from composer.gui.mainwindow import MainWindow
from tests.helpers.pdf import pdf_text, squash
from tests.helpers.status import said, status_messages


def body_argument(window: MainWindow, chosen: bool):
    ids = window.picker.chosen_ids()
    return next(
        a for a in window.campaign.arguments if a.position == "body" and (a.id in ids) == chosen
    )


def first_paragraph(argument) -> str:
    return paragraphs(argument.plain_text)[0]


def wait_preview(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.preview.updated, timeout=10_000):
        pass


def test_window_starts_with_the_default_letter_previewed(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    wait_preview(qtbot, main_window)
    assert main_window.preview.page_count >= 1
    assert main_window.preview.page_labels()
    # The new letter holds what the campaign routes to its default recipient.
    recipient = main_window.recipient_bar.recipient()
    assert recipient.id == main_window.campaign.default_recipient == "white-house"
    assert main_window.picker.chosen_ids() == list(main_window.campaign.arguments_for(recipient))
    assert main_window.word_label.text().endswith("words")
    assert not main_window.profile_banner.isVisible()


def test_ticking_adds_before_the_closing_and_unticking_removes(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    argument = body_argument(main_window, chosen=False)
    item = main_window.picker._items[argument.id]
    item.setCheckState(0, Qt.CheckState.Checked)
    span = main_window.editor.find_paragraphs(argument.text)
    assert span is not None
    closing = next(
        main_window.campaign.argument(a)
        for a in main_window.picker.chosen_ids()
        if main_window.campaign.argument(a).position == "closing"
    )
    assert span[0] < main_window.editor.find_paragraphs(closing.text)[0]
    assert argument.id in main_window.picker.chosen_ids()
    wait_preview(qtbot, main_window)

    item.setCheckState(0, Qt.CheckState.Unchecked)
    assert main_window.editor.find_paragraphs(argument.text) is None
    assert argument.id not in main_window.picker.chosen_ids()


def test_one_undo_takes_back_a_ticked_argument(main_window: MainWindow) -> None:
    argument = body_argument(main_window, chosen=False)
    main_window.picker._items[argument.id].setCheckState(0, Qt.CheckState.Checked)
    assert main_window.editor.find_paragraphs(argument.text) is not None
    main_window.editor.undo_action.trigger()
    assert main_window.editor.find_paragraphs(argument.text) is None


def test_an_edited_paragraph_stays_when_unticked(main_window: MainWindow) -> None:
    argument = body_argument(main_window, chosen=True)
    editor = main_window.editor
    first, _last = editor.find_paragraphs(argument.text)
    cursor = editor.text.textCursor()
    cursor.setPosition(editor.text.document().findBlockByNumber(first).position())
    cursor.insertText("Personally, ")
    main_window.picker._items[argument.id].setCheckState(0, Qt.CheckState.Unchecked)
    assert "Personally, " + first_paragraph(argument)[:20] in editor.text.toPlainText()
    assert "was edited" in main_window.statusBar().currentMessage()


def test_move_up_reorders_the_paragraphs(main_window: MainWindow) -> None:
    picker, editor = main_window.picker, main_window.editor
    ids = picker.chosen_ids()
    lower = main_window.campaign.argument(ids[2])
    upper = main_window.campaign.argument(ids[1])
    assert editor.find_paragraphs(upper.text)[0] < editor.find_paragraphs(lower.text)[0]
    picker.chosen.setCurrentRow(2)
    picker.up_button.click()
    assert picker.chosen_ids()[1] == lower.id
    assert editor.find_paragraphs(lower.text)[0] < editor.find_paragraphs(upper.text)[0]


def test_typing_updates_count_and_preview(qtbot: QtBot, main_window: MainWindow) -> None:
    wait_preview(qtbot, main_window)
    before = main_window.editor.word_count()
    editor = main_window.editor.text
    editor.setFocus()
    editor.moveCursor(editor.textCursor().MoveOperation.Start)
    with qtbot.waitSignal(main_window.preview.updated, timeout=10_000):
        qtbot.keyClicks(editor, "I live in Seattle and teach school. ")
    assert main_window.editor.word_count() == before + 7
    assert main_window.word_label.text() == f"{before + 7} words"


def test_missing_placeholder_is_named_in_the_preview(qtbot: QtBot, main_window: MainWindow) -> None:
    editor = main_window.editor.text
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    editor.insertPlainText(" Call me at {{ sender.phone }}.")
    qtbot.waitUntil(main_window.preview.message.isVisible, timeout=5000)
    assert "sender.phone" in main_window.preview.message.text()


def test_custom_recipient_is_used(main_window: MainWindow) -> None:
    bar = main_window.recipient_bar
    bar.choice.setCurrentIndex(bar.choice.findData("custom"))
    assert bar.custom_name.isVisible()
    bar.custom_name.setText("Mayor Jane Doe")
    bar.custom_address.setPlainText("City Hall\n600 4th Ave\nSeattle, WA 98104")
    rendered = main_window.output.rendered_letters()
    assert rendered[0].address_lines[0] == "Mayor Jane Doe"
    assert rendered[0].salutation == "Dear Mayor Jane Doe:"


def test_export_pdf_writes_what_the_window_shows(
    qtbot: QtBot, main_window: MainWindow, tmp_path: Path
) -> None:
    editor = main_window.editor.text
    editor.moveCursor(editor.textCursor().MoveOperation.Start)
    qtbot.keyClicks(editor, "As a nurse in Seattle I see what war does to families. ")
    out = tmp_path / "letter.pdf"
    shown = status_messages(main_window)
    main_window.output.export_pdf(str(out))
    qtbot.waitUntil(out.exists, timeout=15_000)
    text = squash(pdf_text(out))
    assert "As a nurse in Seattle I see what war does to families." in text
    assert "Dear Mr. President:" in text
    assert "Ana Ruiz" in text
    qtbot.waitUntil(lambda: said(shown, "Saved"), timeout=5000)


def test_paper_choice_changes_the_layout(qtbot: QtBot, main_window: MainWindow) -> None:
    main_window.menus.paper_actions["a4"].trigger()
    assert main_window.paper == "a4"
    assert main_window.paper_choice.currentData() == "a4"
    items = main_window.output.page_items()
    assert items[0].spec.name == "a4"
    wait_preview(qtbot, main_window)
    label = main_window.preview.page_labels()[0]
    ratio = label.pixmap().height() / label.pixmap().width()
    assert abs(ratio - 297 / 210) < 0.01


def test_every_shortcut_is_used_once(main_window: MainWindow) -> None:
    from PySide6.QtGui import QAction

    seen: dict[str, str] = {}
    for action in main_window.findChildren(QAction):
        for sequence in action.shortcuts():
            key = sequence.toString()
            if not key:
                continue
            owner = action.text().replace("&", "")
            assert key not in seen or seen[key] == owner, f"{key}: {seen.get(key)} and {owner}"
            seen[key] = owner
    assert "Ctrl+Return" in seen


def test_the_frame_paints_first_and_becomes_the_whole_window(
    qtbot: QtBot, locations, main_window: MainWindow
) -> None:
    from composer.core.campaigns import default_campaign
    from composer.core.settings import Settings

    frame = MainWindow(locations, Settings(paper="letter"))
    qtbot.addWidget(frame)
    with qtbot.waitSignal(frame.first_painted, timeout=10_000):
        frame.show()
    # The frame: menus in place but nothing to act on yet, no letter, closing is harmless.
    assert not frame.is_complete and not hasattr(frame, "keeper")
    assert [
        m.title() for m in (frame.menus.file_menu, frame.menus.edit_menu, frame.menus.help_menu)
    ] == [
        "&File",
        "&Edit",
        "&Help",
    ]
    assert frame.menus.export_action in frame.menus.file_menu.actions()
    in_menus = [
        action
        for entry in frame.menuBar().actions()
        if entry.menu() is not None
        for action in entry.menu().actions()
        if not action.isSeparator()
    ]
    assert len(in_menus) > 20 and not any(action.isEnabled() for action in in_menus)
    with qtbot.waitSignal(frame.completed, timeout=10_000):
        frame.complete(default_campaign())
    assert frame.is_complete and frame.menus.export_action.isEnabled()
    assert frame.statusBar().currentMessage() == ""

    # Finished, its menus are the same as those of a window built in one go.
    def menu_texts(window: MainWindow) -> list[list[str]]:
        return [
            [action.text() for action in menu.menu().actions()]
            for menu in window.menuBar().actions()
            if menu.menu() is not None
        ]

    assert menu_texts(frame) == menu_texts(main_window)
    assert frame.menus.edit_menu.actions()[0] is frame.editor.undo_action
    frame.pool.waitForDone(5000)


def test_closing_the_frame_before_it_is_finished_loses_nothing(qtbot: QtBot, locations) -> None:
    from composer.core.settings import Settings

    frame = MainWindow(locations, Settings())
    qtbot.addWidget(frame)
    frame.show()
    assert frame.close()
    assert not locations.database_file.exists()  # nothing was opened, nothing to save


def test_the_length_meter_says_when_the_letter_runs_past_one_page(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    qtbot.waitUntil(lambda: main_window.preview.page_count > 0, timeout=15_000)
    assert main_window.page_label.text() == "1 page"  # the suggested letter fits one page
    main_window.editor.text.append("A long personal story about why this matters. " * 120)
    qtbot.waitUntil(lambda: main_window.preview.page_count > 1, timeout=15_000)
    shown = main_window.page_label.text()
    assert shown.endswith("pages: longer than one page"), shown
    assert "one page" in main_window.page_label.toolTip()
