"""Drafts in the real window: saved by themselves, offered back after a crash, kept on close."""

from __future__ import annotations

import itertools
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from composer.core.drafts import DraftError, DraftStore, process_tag, salvage_drafts
from composer.core.letterfile import LetterDocument, read_letter_file
from composer.core.locations import Locations
from composer.core.models import Letter, custom_recipient
from composer.core.settings import Settings
from composer.core.storage import check_storage
from composer.gui.letter_files import CANCEL, DISCARD, SAVE_AS
from tests.helpers.ci_policy import unavailable
from tests.helpers.faults import fill_disk, tiny_tmpfs


@pytest.fixture
def window(main_window):
    main_window.settings.autosave_seconds = 1
    main_window.coach_panel.warn_before_output = False
    return main_window


def stored(locations: Locations) -> list[tuple[str, str, str]]:
    """(id, owner, body) of every draft, read with a connection of the test's own."""
    if not locations.database_file.exists():
        return []
    db = sqlite3.connect(locations.database_file)
    try:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        if "drafts_letters" not in tables:
            return []  # the database may exist for the outbox alone
        return db.execute("SELECT id, owner, data FROM drafts_letters").fetchall()
    finally:
        db.close()


def type_into(window, text: str) -> None:
    window.editor.text.moveCursor(window.editor.text.textCursor().MoveOperation.End)
    QTest.keyClicks(window.editor.text, text)


def dead_owner() -> str:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return process_tag(child.pid)


def leave_open_draft(locations: Locations, subject: str, body: str, **letter) -> str:
    """A draft as a crashed program leaves it: saved, still marked open by a dead process."""
    store = DraftStore(locations.database_file, owner=dead_owner())
    document = LetterDocument(
        Letter(subject=subject, body_html=f"<p>{body}</p>", **letter), paper="a4"
    )
    draft_id = store.save(None, document)
    store.close()
    return draft_id


# --- saving by itself -----------------------------------------------------------------------------


def test_nothing_is_saved_for_an_untouched_letter(window, locations, qtbot) -> None:
    qtbot.wait(1500)
    assert window.keeper.draft_id is None
    assert stored(locations) == []


def test_typing_is_saved_a_moment_after_it_stops(window, locations, qtbot) -> None:
    with qtbot.waitSignal(window.keeper.autosaver.saved, timeout=5000):
        type_into(window, " I live in Seattle and this matters to me.")
    [(draft_id, owner, data)] = stored(locations)
    assert draft_id == window.keeper.draft_id
    assert "I live in Seattle" in data
    assert owner == window.keeper.store.owner  # open in this process
    assert window.keeper.state_label.text() == "Saved in Drafts"


def test_saves_keep_coming_while_typing_goes_on(window, locations, qtbot) -> None:
    """Typing without a pause never holds a change back longer than the interval."""
    typed: list[tuple[float, int]] = []
    ticks = {"n": 0}

    def tick() -> None:
        ticks["n"] += 1
        window.editor.text.insertPlainText(f" w{ticks['n']:04d}")
        typed.append((time.monotonic(), ticks["n"]))

    timer = QTimer(interval=100)
    timer.timeout.connect(tick)
    saves: list[float] = []
    window.keeper.autosaver.saved.connect(lambda _id: saves.append(time.monotonic()))
    timer.start()
    qtbot.waitUntil(lambda: len(saves) >= 3, timeout=10_000)
    timer.stop()
    check_at = time.monotonic()
    [(_id, _owner, data)] = stored(locations)
    # Everything typed more than the interval (plus a little slack) ago is saved.
    slack = 0.5
    older = [n for when, n in typed if when < check_at - window.settings.autosave_seconds - slack]
    assert older, "the test typed for too short a time"
    assert f"w{older[-1]:04d}" in data
    gaps = [b - a for a, b in itertools.pairwise(saves)]
    assert max(gaps) < window.settings.autosave_seconds + slack


def test_closing_saves_and_marks_the_letter_closed(window, locations, qtbot) -> None:
    type_into(window, " Closing sentence typed just before quitting.")
    window.close()
    [(_id, owner, data)] = stored(locations)
    assert "Closing sentence typed just before quitting." in data
    assert owner == ""  # closed properly: not offered as unsaved next time


def test_new_letter_keeps_the_previous_one_as_a_draft(window, locations, qtbot) -> None:
    type_into(window, " First letter words.")
    first = window.keeper.autosaver.save_now()
    window.new_letter()
    assert window.keeper.draft_id is None
    [(draft_id, owner, data)] = stored(locations)
    assert draft_id == first and owner == "" and "First letter words." in data


# --- after a crash ---------------------------------------------------------------------------------


def test_a_letter_left_open_by_a_crash_is_offered_and_restored(
    window, locations, qtbot, tmp_path
) -> None:
    draft_id = leave_open_draft(
        locations,
        "Please protect them",
        "Words typed before the crash.",
        recipients=[
            custom_recipient("Mayor Jane Doe", "1 City Hall\nTown, ST 00000", "Dear Mayor:")
        ],
        argument_ids=["opening-citizen-concern", "not-in-this-campaign"],
        campaign_id=window.campaign.id,
    )
    offered = window.keeper.offer_recovery()
    assert [info.id for info in offered] == [draft_id]
    bar = window.keeper.notice("recovery")
    assert bar is not None and bar.isVisible()
    assert "was not closed properly" in bar.text()
    assert set(bar.buttons) == {"Restore", "Show Drafts…"}
    # The offer does not block: the letter can still be typed into meanwhile.
    assert QApplication.activeModalWidget() is None

    bar.buttons["Restore"].click()

    assert window.keeper.draft_id == draft_id
    assert window.editor.text.toPlainText() == "Words typed before the crash."
    assert window.recipient_bar.subject.text() == "Please protect them"
    recipient = window.recipient_bar.recipient()
    assert recipient.name == "Mayor Jane Doe"
    assert recipient.address_lines == ("Mayor Jane Doe", "1 City Hall", "Town, ST 00000")
    assert recipient.salutation == "Dear Mayor:"
    assert window.picker.chosen_ids() == ["opening-citizen-concern"]
    assert window.paper == "a4"
    assert window.keeper.notice("recovery") is None
    # Now it is this process's letter: not offered again.
    assert DraftStore(locations.database_file).abandoned() == []


def test_several_letters_are_offered_and_listed(window, locations, qtbot) -> None:
    first = leave_open_draft(locations, "First", "one")
    second = leave_open_draft(locations, "Second", "two")
    window.keeper.offer_recovery()
    bar = window.keeper.notice("recovery")
    assert bar.text().startswith("2 letters were not closed properly")
    bar.buttons["Show Drafts…"].click()
    dialog = window.keeper.drafts_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert set(dialog.ids()) == {first, second}
    assert all("not closed properly" in title for title in dialog.titles())
    dialog.select(first)
    dialog.open_selected()
    assert window.editor.text.toPlainText() == "one"
    # Seen in the list: neither is offered again at the next start.
    assert DraftStore(locations.database_file, owner="another").abandoned() == []


def test_dismissing_the_offer_keeps_the_letters_in_drafts(window, locations, qtbot) -> None:
    draft_id = leave_open_draft(locations, "Kept", "kept text")
    window.keeper.offer_recovery()
    window.keeper.notice("recovery").dismiss()
    store = DraftStore(locations.database_file)
    assert [info.id for info in store.entries()] == [draft_id]
    assert store.abandoned() == []


# --- the drafts list --------------------------------------------------------------------------------


def test_drafts_dialog_reopens_renames_and_deletes(window, locations, qtbot) -> None:
    store = DraftStore(locations.database_file, owner="")
    keep = store.save(
        None, LetterDocument(Letter(subject="Keep me", body_html="<p>keep</p>")), open_here=False
    )
    drop = store.save(
        None, LetterDocument(Letter(subject="Drop me", body_html="<p>drop</p>")), open_here=False
    )
    type_into(window, " current")
    window.keeper.show_drafts()
    dialog = window.keeper.drafts_dialog
    current = window.keeper.draft_id
    assert current in dialog.ids()
    assert any("(open now)" in title for title in dialog.titles())
    dialog.select(current)
    assert not dialog.delete_button.isEnabled()  # the open letter cannot be deleted
    dialog.select(keep)
    dialog.rename_selected("Letter to the mayor")
    assert "Letter to the mayor" in dialog.titles()
    dialog.select(drop)
    dialog.delete_selected(confirm=False)
    assert drop not in dialog.ids()
    dialog.select(keep)
    dialog.open_selected()
    assert window.keeper.draft_id == keep
    assert window.editor.text.toPlainText() == "keep"
    names = {info.id: info.title for info in store.entries()}
    assert names[keep] == "Letter to the mayor"
    assert " current" in store.load(current).document.letter.body_html


# --- letter files and exports -------------------------------------------------------------------


def test_save_as_and_open_keep_everything(window, locations, qtbot, tmp_path) -> None:
    window.recipient_bar.subject.setText("A subject to keep")
    type_into(window, " My own sentence.")
    window.set_paper("a4")
    before = window.current_letter()
    path = tmp_path / "mine.letter"
    window.keeper.files.choose_save_path = lambda suggested: path
    with qtbot.waitSignal(
        window.statusBar().messageChanged,
        timeout=5000,
        check_params_cb=lambda m: m.startswith("Saved "),
    ):
        window.keeper.save_as_action.trigger()
    document = read_letter_file(path)
    assert document.letter.body_html == before.body_html
    assert document.letter.argument_ids == before.argument_ids
    assert document.paper == "a4"

    window.new_letter()
    window.set_paper("letter")
    with qtbot.waitSignal(window.keeper.letter_restored, timeout=5000):
        window.keeper.files.open_letter_file(path)
    after = window.current_letter()
    assert after.body_html == before.body_html
    assert after.subject == "A subject to keep"
    assert after.argument_ids == before.argument_ids
    assert after.recipients == before.recipients
    assert window.paper == "a4"


def test_exports_to_odt_html_and_text(window, qtbot, tmp_path) -> None:
    type_into(window, " Exported in three formats.")
    written: dict[str, Path] = {}
    for kind, suffix in (("odt", ".odt"), ("html", ".html"), ("txt", ".txt")):
        target = tmp_path / f"letter{suffix}"
        with qtbot.waitSignal(window.keeper.exporter.finished, timeout=15_000):
            window.keeper.exporter.choose_path = lambda spec, name, t=target: t
            window.keeper.export_actions[kind].trigger()
        written[kind] = target
    with zipfile.ZipFile(written["odt"]) as odt:
        names = odt.namelist()
        assert names[0] == "mimetype"
        assert odt.read("mimetype") == b"application/vnd.oasis.opendocument.text"
        assert odt.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
        content = ElementTree.fromstring(odt.read("content.xml"))
    odt_text = " ".join("".join(element.itertext()) for element in content.iter())
    assert "Exported in three formats." in odt_text
    assert "Ana Ruiz" in odt_text  # the sender block, as printed
    html = written["html"].read_text(encoding="utf-8")
    assert "Exported in three formats." in html and "<html" in html
    text = written["txt"].read_text(encoding="utf-8")
    assert "Exported in three formats." in text and "<" not in text


def test_odt_opens_in_libreoffice_when_installed(window, qtbot, tmp_path) -> None:
    import shutil

    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        unavailable("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    target = tmp_path / "letter.odt"
    with qtbot.waitSignal(window.keeper.exporter.finished, timeout=15_000):
        window.keeper.exporter.export("odt", target)
    result = subprocess.run(
        [office, "--headless", "--convert-to", "txt", "--outdir", str(tmp_path), str(target)],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0
    assert "Ana Ruiz" in (tmp_path / "letter.txt").read_text(encoding="utf-8", errors="replace")


# --- a missing value is named before anything leaves -------------------------------------------


@pytest.fixture
def warnings_shown(monkeypatch) -> list[str]:
    shown: list[str] = []

    def warning(_parent, _title, text, *args, **kwargs):
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", warning)
    return shown


def test_export_and_print_refuse_and_name_the_missing_values(
    window, qtbot, tmp_path, warnings_shown, monkeypatch
) -> None:
    window.editor.set_html(
        "<p>Call me at {{ sender.phone }} about {{ recipient.district }}; I live in {{ sender.city }}.</p>"
    )
    out = tmp_path / "out"
    out.mkdir()
    chosen: list[object] = []
    window.keeper.exporter.choose_path = lambda spec, name: chosen.append(spec) or out / "x"
    for kind in ("odt", "html", "txt"):
        assert not window.keeper.exporter.export(kind)
    import composer.gui.print_actions as print_actions

    monkeypatch.setattr(print_actions, "print_with_dialog", lambda *a: pytest.fail("printed"))
    monkeypatch.setattr(print_actions, "print_preview", lambda *a: pytest.fail("previewed"))
    window.output.print_letter()
    window.output.export_pdf(str(out / "letter.pdf"))
    assert chosen == []  # no file dialog was even offered
    assert list(out.iterdir()) == []
    assert len(warnings_shown) == 5
    for text in warnings_shown:
        assert "sender.phone" in text and "recipient.district" in text
        assert "sender.city" not in text  # Seattle is known


# --- storage trouble ---------------------------------------------------------------------------------


def test_a_damaged_database_is_reported_above_the_letter(qtbot, locations, sender) -> None:
    from composer.core.campaigns import default_campaign
    from composer.core.profile import save_sender
    from composer.gui.mainwindow import MainWindow

    save_sender(locations.profile_file, sender)
    locations.data_dir.mkdir(parents=True, exist_ok=True)
    locations.database_file.write_bytes(b"this is not a database" * 100)
    report = check_storage(locations, salvage=salvage_drafts)
    window = MainWindow(locations, Settings(paper="letter", autosave_seconds=1), default_campaign())
    qtbot.addWidget(window)
    window.show()
    window.keeper.show_storage_report(report)
    bar = window.keeper.notice("storage")
    [moved] = locations.data_dir.glob("letters.sqlite3.corrupt-*")
    assert str(moved) in bar.text() and "damaged" in bar.text()
    # Drafts work again with the new database.
    with qtbot.waitSignal(window.keeper.autosaver.saved, timeout=5000):
        type_into(window, " still saved")
    assert "still saved" in stored(locations)[0][2]


def test_an_unwritable_data_folder_keeps_the_text_and_offers_save_as(
    qtbot, tmp_path, sender, monkeypatch
) -> None:
    from composer.core.campaigns import default_campaign
    from composer.gui.mainwindow import MainWindow

    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the folders should be")
    locations = Locations.under(blocker)
    report = check_storage(locations, salvage=salvage_drafts)
    window = MainWindow(locations, Settings(paper="letter", autosave_seconds=1), default_campaign())
    qtbot.addWidget(window)
    window.show()
    window.keeper.show_storage_report(report)
    bar = window.keeper.notice("storage")
    assert "cannot be written" in bar.text() and "Save As" in bar.text()
    assert window.keeper.state_label.text() == "Not saved automatically"
    type_into(window, " Text that has nowhere to go yet.")
    qtbot.wait(1500)
    # Closing asks first; Cancel keeps the window and the text.
    asked: list[str] = []
    window.keeper.ask_unsaved = lambda doing: asked.append(doing) or CANCEL
    window.close()
    assert asked == ["close the window"] and window.isVisible()
    assert "Text that has nowhere to go yet." in window.editor.text.toPlainText()
    # Save As somewhere else, then closing goes through.
    elsewhere = tmp_path / "rescued.letter"
    window.keeper.files.choose_save_path = lambda suggested: elsewhere
    window.keeper.ask_unsaved = lambda doing: SAVE_AS
    window.close()
    assert not window.isVisible()
    assert "Text that has nowhere to go yet." in read_letter_file(elsewhere).letter.body_html


def simulate_disk_full(monkeypatch) -> None:
    """Every draft save fails as SQLite fails on a full disk (the real case is tested below)."""
    from composer.core.storage import describe_database_error

    def full(self, *args, **kwargs):
        error = sqlite3.OperationalError("database or disk is full")
        raise DraftError(describe_database_error(error, self.path), disk_full=True)

    monkeypatch.setattr(DraftStore, "save", full)


def test_a_full_disk_while_typing_is_reported_and_nothing_is_lost(
    window, locations, qtbot, monkeypatch, tmp_path
) -> None:
    simulate_disk_full(monkeypatch)
    with qtbot.waitSignal(window.keeper.autosaver.failed, timeout=5000):
        type_into(window, " Words on a full disk.")
    bar = window.keeper.notice("autosave")
    assert "The disk is full" in bar.text()
    assert "still here in the window" in bar.text()
    assert set(bar.buttons) == {"Save As…", "Try Again"}
    assert window.keeper.state_label.text() == "Not saved"
    assert "Words on a full disk." in window.editor.text.toPlainText()
    # Quitting now asks; "Discard" is the user's explicit choice, never a silent loss.
    asked: list[str] = []
    window.keeper.ask_unsaved = lambda doing: asked.append(doing) or DISCARD
    window.close()
    assert asked == ["close the window"]


def test_saving_works_again_after_space_is_freed(window, locations, qtbot, monkeypatch) -> None:
    original = DraftStore.save
    simulate_disk_full(monkeypatch)
    with qtbot.waitSignal(window.keeper.autosaver.failed, timeout=5000):
        type_into(window, " first")
    monkeypatch.setattr(DraftStore, "save", original)
    with qtbot.waitSignal(window.keeper.autosaver.recovered, timeout=5000):
        window.keeper.notice("autosave").buttons["Try Again"].click()
    assert window.keeper.notice("autosave") is None
    assert " first" in stored(locations)[0][2]


def test_a_real_full_disk(qtbot, tmp_path, sender) -> None:
    from composer.core.campaigns import default_campaign
    from composer.core.profile import save_sender
    from composer.gui.mainwindow import MainWindow

    with tiny_tmpfs(tmp_path / "disk", size="1m") as disk:
        locations = Locations(disk / "config", disk / "data", disk / "state", disk / "cache")
        save_sender(locations.profile_file, sender)
        window = MainWindow(
            locations, Settings(paper="letter", autosave_seconds=1), default_campaign()
        )
        qtbot.addWidget(window)
        window.coach_panel.warn_before_output = False
        window.show()
        with qtbot.waitSignal(window.keeper.autosaver.saved, timeout=5000):
            type_into(window, " saved while there was room")
        fill_disk(disk)
        with qtbot.waitSignal(window.keeper.autosaver.failed, timeout=10_000) as failed:
            window.editor.text.insertPlainText(" " + "more words " * 20_000)
        assert failed.args[1] is True  # disk full
        assert "The disk is full" in window.keeper.notice("autosave").text()
        elsewhere = tmp_path / "rescued.letter"
        window.keeper.ask_unsaved = lambda doing: SAVE_AS
        window.keeper.files.choose_save_path = lambda suggested: elsewhere
        window.close()
        assert "more words" in read_letter_file(elsewhere).letter.body_html
        window.keeper.autosaver.wait()
        window.keeper.store.close() if window.keeper.store else None


def test_an_immutable_config_folder_is_reported(qtbot, tmp_path) -> None:
    from composer.core.campaigns import default_campaign
    from composer.gui.mainwindow import MainWindow
    from tests.helpers.faults import immutable

    locations = Locations.under(tmp_path / "app")
    with immutable(locations.config_dir):
        report = check_storage(locations, salvage=salvage_drafts)
        window = MainWindow(locations, Settings(paper="letter"), default_campaign())
        qtbot.addWidget(window)
        window.keeper.show_storage_report(report)
        assert "settings folder" in window.keeper.notice("storage").text()
        window.close()  # saving the settings fails quietly (the bar said so); no exception


def test_file_menu_entries_and_their_shortcuts(window) -> None:
    from PySide6.QtGui import QAction, QKeySequence

    texts = [action.text() for action in window.menus.file_menu.actions()]
    for entry in ("Open &Letter…", "&Save", "Save &As…", "&Drafts…", "E&xport As"):
        assert entry in texts
    assert texts.index("&New Letter") < texts.index("Open &Letter…") < texts.index("&Drafts…")
    assert texts.index("&Export PDF…") + 1 == texts.index("E&xport As")
    keeper = window.keeper
    assert keeper.save_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Save)
    assert keeper.save_as_action.shortcut() == QKeySequence(QKeySequence.StandardKey.SaveAs)
    shortcuts = [a.shortcut().toString() for a in window.findChildren(QAction)]
    shortcuts = [s for s in shortcuts if s]
    assert len(shortcuts) == len(set(shortcuts)), "two actions share a shortcut"
