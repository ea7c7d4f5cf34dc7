"""After a normal quit the last letter comes back; drafts have names that tell them apart."""

from __future__ import annotations

from PySide6.QtTest import QTest

from composer.core.campaigns import default_campaign
from composer.core.drafts import DraftStore
from composer.core.letterfile import LetterDocument
from composer.core.models import Letter, custom_recipient
from composer.core.settings import Settings
from composer.gui.mainwindow import MainWindow


def _type(window: MainWindow, text: str) -> None:
    window.editor.text.moveCursor(window.editor.text.textCursor().MoveOperation.End)
    QTest.keyClicks(window.editor.text, text)


def test_the_last_letter_is_open_again_after_a_normal_quit(main_window, locations, qtbot) -> None:
    main_window.settings.autosave_seconds = 1
    main_window.recipient_bar.subject.setText("Protect those who refuse to fight")
    _type(main_window, " My own last sentence before quitting.")
    main_window.close()

    again = MainWindow(locations, Settings(paper="letter"), default_campaign())
    qtbot.addWidget(again)
    again.show()
    assert again.keeper.offer_recovery() == []  # nothing was lost: no recovery offer
    assert "My own last sentence before quitting." in again.editor.text.toPlainText()
    assert again.recipient_bar.subject.text() == "Protect those who refuse to fight"
    assert again.keeper.notice("recovery") is None
    again.close()


def _draft(store: DraftStore, subject: str, recipient: str) -> str:
    letter = Letter(
        subject=subject,
        body_html="<p>text</p>",
        recipients=[custom_recipient(recipient, "1 Main Street\nTown, ST 00000", "Dear Sir:")],
    )
    return store.save(None, LetterDocument(letter), open_here=False)


def test_drafts_have_distinct_names_and_a_recipient_column(main_window, locations, qtbot) -> None:
    store = DraftStore(locations.database_file, owner="")
    one = _draft(store, "Protect them", "Mayor Jane Doe")
    two = _draft(store, "Protect them", "Senator Pat Adams")
    three = _draft(store, "Protect them", "Senator Pat Adams")
    main_window.keeper.show_drafts()
    dialog = main_window.keeper.drafts_dialog
    qtbot.waitUntil(dialog.isVisible)
    titles = dict(zip(dialog.ids(), dialog.titles(), strict=True))
    assert len({titles[one], titles[two], titles[three]}) == 3
    assert titles[one].startswith("Protect them — Mayor Jane Doe — ")
    assert titles[two].startswith("Protect them — Senator Pat Adams — ")
    header = dialog.tree.headerItem()
    assert [header.text(n) for n in range(header.columnCount())][:2] == ["Letter", "To"]
    to = dict(zip(dialog.ids(), dialog.column(1), strict=True))
    assert (to[one], to[two]) == ("Mayor Jane Doe", "Senator Pat Adams")
    store.close()
