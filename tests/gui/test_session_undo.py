"""Undo that a user can trust: ticks, the chosen list and the text agree after any steps.

A seeded random walk drives the real window (tick and untick in the tree, Move
up/down, a drag's new order, typing with keys, Undo and Redo by action and by
their keys in the editor) and after every step checks that

- the tree's ticks, the "In the letter" list and the session hold the same arguments,
  in letter order (opening first, closing last, one of each);
- the arguments whose paragraphs are still unchanged appear in the text in the
  list's order, and no unticked argument's paragraph is left unchanged in the text;
- undo and redo return exactly to the text and list of the step they go back to.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from composer.core.compose import is_letter_order
from composer.gui.mainwindow import MainWindow

STEPS = 2000
WORDS = ["very ", "truly ", "we ", "Seattle ", "now, ", "x"]


def state(window: MainWindow) -> tuple[str, list[str]]:
    return window.editor.text.toPlainText(), window.session.chosen


def check_agreement(window: MainWindow, offered: Sequence[str] = ()) -> None:
    session, picker, editor = window.session, window.picker, window.editor
    chosen = session.chosen
    assert picker.chosen_ids() == chosen
    assert picker.ticked_ids() == set(chosen)
    assert is_letter_order(window.campaign, chosen)
    spans = [editor.find_paragraphs(window.campaign.argument(a).text) for a in chosen]
    found = [span[0] for span in spans if span is not None]
    assert found == sorted(found), "the unchanged paragraphs are not in the list's order"
    for argument_id in offered:
        if argument_id not in chosen:
            argument = window.campaign.argument(argument_id)
            assert editor.find_paragraphs(argument.text) is None, argument_id


@pytest.mark.parametrize("seed", [1, 2])
def test_random_ticks_moves_typing_undo_and_redo_keep_list_ticks_and_text_together(
    qtbot: QtBot, main_window: MainWindow, seed: int
) -> None:
    window = main_window
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    rng = random.Random(seed)
    campaign = window.campaign
    openings = [a.id for a in campaign.arguments if a.position == "opening"][:3]
    closings = [a.id for a in campaign.arguments if a.position == "closing"][:2]
    bodies = [a.id for a in campaign.arguments if a.position == "body"][:7]
    pool = sorted({*openings, *closings, *bodies, *campaign.default_arguments})
    stack = window.session.undo_stack
    text_edit = window.editor.text
    states = [state(window)]
    position = 0
    assert stack.index() == 0
    counts: dict[str, int] = {}
    for step in range(STEPS):
        kind = rng.choice(
            ["tick", "tick", "untick", "move", "drag", "type", "type", "undo", "undo", "redo"]
        )
        counts[kind] = counts.get(kind, 0) + 1
        chosen = window.session.chosen
        where = f"seed {seed}, step {step} ({kind})"
        if kind in ("undo", "redo"):
            if (kind == "undo" and position == 0) or (
                kind == "redo" and position == len(states) - 1
            ):
                continue
            if rng.random() < 0.5:
                (
                    window.editor.undo_action if kind == "undo" else window.editor.redo_action
                ).trigger()
            else:  # the platform's keys for it (Ctrl+Z; Ctrl+Y or Ctrl+Shift+Z)
                action = window.editor.undo_action if kind == "undo" else window.editor.redo_action
                QTest.keySequence(text_edit, action.shortcut())
            position += -1 if kind == "undo" else 1
            assert stack.index() == position, where
            assert state(window) == states[position], where
            check_agreement(window, pool)
            continue
        before_index = stack.index()
        if kind == "tick":
            candidates = [a for a in pool if a not in chosen]
            if not candidates:
                continue
            window.picker._items[rng.choice(candidates)].setCheckState(0, Qt.CheckState.Checked)
        elif kind == "untick":
            if not chosen:
                continue
            window.picker._items[rng.choice(chosen)].setCheckState(0, Qt.CheckState.Unchecked)
        elif kind == "move":
            if not chosen:
                continue
            window.picker.chosen.setCurrentRow(rng.randrange(len(chosen)))
            rng.choice([window.picker.up_button, window.picker.down_button]).click()
        elif kind == "drag":
            if len(chosen) < 2:
                continue
            order = list(chosen)
            order.insert(rng.randrange(len(order)), order.pop(rng.randrange(len(order))))
            window.picker.order_requested.emit(order)
        else:  # type a word somewhere, with keys
            cursor = text_edit.textCursor()
            cursor.setPosition(rng.randrange(len(text_edit.toPlainText()) + 1))
            text_edit.setTextCursor(cursor)
            QTest.keyClicks(text_edit, rng.choice(WORDS))
        now = state(window)
        index = stack.index()
        if index == before_index + 1:
            states = [*states[: position + 1], now]
            position += 1
        else:
            # Typing next to the last typing joins its step (as in any editor); anything
            # else that did not make a step changed nothing.
            assert index == before_index, where
            assert kind == "type" or now == states[position], where
            states[position] = now
        assert stack.count() == len(states) - 1, where
        check_agreement(window, pool)
    assert all(counts.get(kind, 0) > 100 for kind in ("tick", "move", "type", "undo", "redo"))


def test_undo_after_a_move_restores_the_order_and_the_text(main_window: MainWindow) -> None:
    """The case seen in use: Move up, then Undo, gave a letter starting mid-argument."""
    window = main_window
    before = state(window)
    window.picker.chosen.setCurrentRow(2)
    window.picker.up_button.click()
    moved = state(window)
    assert moved[1] == [before[1][0], before[1][2], before[1][1], *before[1][3:]]
    window.editor.undo_action.trigger()
    assert state(window) == before
    assert window.picker.chosen_ids() == before[1]
    window.editor.redo_action.trigger()
    assert state(window) == moved


def test_a_moved_paragraph_keeps_the_spacing_of_the_others(main_window: MainWindow) -> None:
    window = main_window
    document = window.editor.text.document()

    def spacing() -> set[tuple[float, float]]:
        found = set()
        block = document.begin()
        while block.isValid():
            if block.text().strip():
                found.add((block.blockFormat().topMargin(), block.blockFormat().bottomMargin()))
            block = block.next()
        return found

    before = spacing()
    window.picker.chosen.setCurrentRow(3)
    window.picker.up_button.click()
    window.picker.chosen.setCurrentRow(1)
    window.picker.down_button.click()
    assert spacing() == before


def test_a_second_opening_takes_the_place_of_the_first(main_window: MainWindow) -> None:
    window = main_window
    campaign = window.campaign
    first = window.session.chosen[0]
    other = next(a for a in campaign.arguments if a.position == "opening" and a.id != first)
    window.picker._items[other.id].setCheckState(0, Qt.CheckState.Checked)
    assert window.session.chosen[0] == other.id and first not in window.session.chosen
    text = window.editor.text.toPlainText()
    assert text.startswith(other.plain_text.split(".")[0])
    assert window.editor.find_paragraphs(campaign.argument(first).text) is None
    offered = [a.id for a in campaign.arguments]
    check_agreement(window, offered)
    window.editor.undo_action.trigger()
    assert window.session.chosen[0] == first
    check_agreement(window, offered)


def test_the_right_click_menu_undoes_through_the_letters_history(main_window: MainWindow) -> None:
    window = main_window
    menu = window.editor.text.createStandardContextMenu()
    actions = menu.actions()
    assert window.editor.undo_action in actions and window.editor.redo_action in actions
    assert not [a for a in actions if a.objectName() in ("edit-undo", "edit-redo")]
    menu.deleteLater()
    before = state(window)
    window.picker.chosen.setCurrentRow(2)
    window.picker.up_button.click()
    next(a for a in actions if a is window.editor.undo_action).trigger()
    assert state(window) == before


def test_a_new_letter_opens_at_its_top_and_undo_says_what_it_undid(
    main_window: MainWindow,
) -> None:
    window = main_window
    assert window.editor.text.textCursor().position() == 0
    window.picker.chosen.setCurrentRow(2)
    window.picker.up_button.click()
    window.editor.undo_action.trigger()
    assert window.statusBar().currentMessage().startswith("Undone: Move ")
    window.menus.new_action.trigger()
    assert window.editor.text.textCursor().position() == 0
