"""The To: list in the window: the pack's recipients, suggestions, and one copy per office."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from composer.core.campaigns import Campaign
from composer.core.models import Recipient
from composer.core.offices import builtin_office
from composer.gui.mainwindow import MainWindow
from composer.gui.recipient_bar import CUSTOM
from tests.helpers.docs_pack import write_docs_example

PERSONAL = "My grandfather left his own country rather than fight in a war he hated."


def words(text: str, count: int = 25) -> str:
    """The start of a paragraph as printed (a prompt to the writer is never printed)."""
    return " ".join(re.sub(r"\[\[.*?\]\]", "", text).split()[:count])


def squashed(text: str) -> str:
    return " ".join(text.split())


def choose(qtbot: QtBot, window: MainWindow, recipient_id: str) -> None:
    """Pick a recipient the way a user does (activating the entry of the list)."""
    bar = window.recipient_bar
    index = bar.choice.findData(recipient_id)
    assert index >= 0, recipient_id
    bar.choice.setCurrentIndex(index)
    bar.choice.activated.emit(index)


def type_personal(qtbot: QtBot, window: MainWindow) -> None:
    editor = window.editor.text
    editor.moveCursor(QTextCursor.MoveOperation.Start)
    editor.moveCursor(QTextCursor.MoveOperation.EndOfBlock)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, PERSONAL)


def only_for(campaign: Campaign, targets: set[str]) -> set[str]:
    return {a.id for a in campaign.arguments if a.recipients and set(a.recipients) <= targets}


def test_the_to_list_is_exactly_the_packs_recipients(main_window: MainWindow) -> None:
    bar = main_window.recipient_bar
    listed = [bar.choice.itemData(i) for i in range(bar.choice.count())]
    assert listed == [*(r.id for r in main_window.campaign.addressees()), CUSTOM]
    assert {"attorney-general", "secretary-of-state"} <= set(listed)
    assert bar.find_button.isVisibleTo(main_window)
    assert not bar.suggestion.isVisibleTo(main_window)


def test_choosing_the_secretary_offers_the_secretarys_letter_without_replacing_it(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    campaign = main_window.campaign
    type_personal(qtbot, main_window)
    before = main_window.picker.chosen_ids()
    choose(qtbot, main_window, "dhs-secretary")
    bar = main_window.recipient_bar
    # A suggestion, not a change: the letter is as the user left it.
    assert bar.suggestion.isVisibleTo(main_window)
    assert "The Secretary of Homeland Security" in bar.suggestion_label.text()
    assert main_window.picker.chosen_ids() == before
    assert PERSONAL in main_window.editor.text.toPlainText()
    bar.use_suggestion.click()
    dhs = builtin_office("dhs-secretary")
    assert dhs is not None
    assert main_window.picker.chosen_ids() == list(campaign.arguments_for(dhs))
    assert bar.subject.text() == campaign.subject_for(dhs) != campaign.default_subject
    text = squashed(main_window.editor.text.toPlainText())
    assert PERSONAL in text  # what the user wrote stays
    for argument_id in only_for(campaign, {"dhs-secretary"}):
        assert words(campaign.argument(argument_id).plain_text) in text
    for argument_id in only_for(campaign, {"white-house"}):
        assert words(campaign.argument(argument_id).plain_text) not in text
    assert not bar.suggestion.isVisibleTo(main_window)
    [letter] = main_window.output.rendered_letters()
    assert letter.salutation == dhs.salutation


def senator(number: int, kind: str = "senator") -> Recipient:
    return Recipient(
        id=f"T00000{number}",
        name=f"Pat Member{number}",
        title="Senator" if kind == "senator" else "Representative",
        salutation=f"Dear Member{number}:",
        address_lines=(f"The Honorable Pat Member{number}", "Washington, DC 20510"),
        kind=kind,
    )


def test_each_copy_to_several_offices_carries_its_own_paragraphs(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    campaign = main_window.campaign
    type_personal(qtbot, main_window)
    main_window.addressing.use_recipients([senator(1), senator(2, "representative")])
    assert main_window.recipient_bar.is_merge()
    copies = main_window.output.rendered_letters()
    assert copies is not None and len(copies) == 2
    congress = only_for(campaign, {"role:senators", "role:representative"})
    president = only_for(campaign, {"white-house"})
    assert congress
    assert president & set(main_window.picker.chosen_ids())  # the editor holds the President's
    for copy in copies:
        text = squashed(copy.text)
        assert PERSONAL in text
        for argument_id in congress:
            assert words(campaign.argument(argument_id).plain_text) in text
        for argument_id in president:
            assert words(campaign.argument(argument_id).plain_text) not in text
        assert text.index(PERSONAL) < text.index(campaign.complimentary_close)


def test_the_docs_city_council_pack_writes_to_its_council_member(
    qtbot: QtBot, main_window: MainWindow, tmp_path: Path
) -> None:
    folder = write_docs_example(tmp_path / "docs")
    opener = main_window.campaign_opener
    with qtbot.waitSignal(opener.opened, timeout=10_000):
        opener.open_path(folder)
    campaign = main_window.campaign
    assert campaign.id == "library-sundays"
    bar = main_window.recipient_bar
    listed = [bar.choice.itemData(i) for i in range(bar.choice.count())]
    assert listed == ["council-ward-3", CUSTOM]
    assert not bar.find_button.isVisibleTo(main_window)
    # No research on congressional staff for a city council.
    assert not main_window.coach_panel.why_label.isVisibleTo(main_window)
    assert "Congress" not in main_window.coach_panel.why_label.text()
    member = campaign.addressee("council-ward-3")
    assert member is not None and bar.recipient() == member
    [letter] = main_window.output.rendered_letters()
    text = squashed(letter.text)
    assert member.salutation in text and "City Hall, Room 300" in text
    for argument_id in campaign.arguments_for(member):
        assert words(campaign.argument(argument_id).plain_text) in text
    assert "President" not in text
    assert bar.subject.text() == campaign.subject_for(member)


def test_a_senator_found_by_zip_code_brings_the_congress_suggestion(
    main_window: MainWindow,
) -> None:
    campaign = main_window.campaign
    before = main_window.picker.chosen_ids()
    main_window.addressing._officials_chosen([senator(1)])
    bar = main_window.recipient_bar
    assert bar.suggestion.isVisibleTo(main_window)
    assert "Your senators" in bar.suggestion_label.text()
    assert main_window.picker.chosen_ids() == before
    bar.use_suggestion.click()
    chosen = main_window.picker.chosen_ids()
    assert chosen == list(campaign.arguments_for(senator(1)))
    assert only_for(campaign, {"role:senators", "role:representative"}) <= set(chosen)
