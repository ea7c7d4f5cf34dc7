"""File ▸ Open Campaign… in the real window: packs from a folder or a zip, hostile packs refused."""

from __future__ import annotations

import os
import shutil
import stat
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

import composer.core.packs
from composer.core.locations import Locations
from composer.gui.mainwindow import MainWindow

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "docs" / "example-pack"


@contextmanager
def answering(button: str, choose: Path | None = None) -> Iterator[list[str]]:
    """Answer modal dialogs as a user would: click `button` on message boxes, pick `choose`
    in a file dialog; anything else is closed. Yields what was seen."""
    seen: list[str] = []

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, QMessageBox):
            seen.append(f"{widget.objectName()}: {widget.text()}")
            if widget.detailedText():
                seen.append(f"details: {widget.detailedText()}")
            for candidate in widget.buttons():
                if candidate.text().replace("&", "") == button:
                    candidate.click()
                    return
            widget.reject()
        elif isinstance(widget, QFileDialog) and choose is not None:
            if widget.property("answered") is None:
                widget.setProperty("answered", True)
                seen.append(f"file dialog: {widget.windowTitle()}")
                # As a user would: type the whole path into the name field and press Open.
                name = widget.findChild(QLineEdit, "fileNameEdit")
                name.setText(str(choose))
                # Accept from the event loop, not inside this timer's slot: a box the
                # dialog might show meanwhile must still be answered.
                QTimer.singleShot(0, widget.accept)
        elif isinstance(widget, QDialog):
            seen.append(f"unexpected dialog: {type(widget).__name__}")
            widget.reject()

    timer = QTimer(interval=20)
    timer.timeout.connect(poll)
    timer.start()
    try:
        yield seen
    finally:
        timer.stop()


def zip_folder(folder: Path, target: Path, prefix: str = "") -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, prefix + path.relative_to(folder).as_posix())
    return target


def snapshot(root: Path) -> set[str]:
    found: set[str] = set()
    for folder, dirs, files in os.walk(root, followlinks=False):
        found.update(os.path.relpath(os.path.join(folder, n), root) for n in dirs + files)
    return found


@pytest.fixture
def record_import_threads(monkeypatch: pytest.MonkeyPatch) -> list[threading.Thread]:
    """Notes the thread each import runs on (the real import still runs)."""
    threads: list[threading.Thread] = []
    real = composer.core.packs.import_pack

    def noting(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("composer.core.packs.import_pack", noting)  # looked up at each import
    return threads


def test_open_a_zip_loads_the_campaign_into_the_window(
    qtbot: QtBot,
    main_window: MainWindow,
    locations: Locations,
    tmp_path: Path,
    record_import_threads: list[threading.Thread],
) -> None:
    source = zip_folder(EXAMPLE, tmp_path / "bike-lane.zip", prefix="bike-lane/")
    opener = main_window.campaign_opener
    with qtbot.waitSignal(opener.opened, timeout=10_000) as opened:
        opener.open_path(source)
        # The import runs in the background: the window has not changed yet.
        assert main_window.campaign.id == "protect-russian-defectors"
    assert opened.args[0].id == "example-bike-lane"
    assert record_import_threads and record_import_threads[0] is not threading.main_thread()

    assert main_window.campaign.id == "example-bike-lane"
    assert main_window.windowTitle().startswith("A protected bike lane on Main Street")
    assert main_window.picker.chosen_ids() == list(main_window.campaign.default_arguments)
    text = main_window.editor.text.toPlainText()
    assert text.startswith(main_window.campaign.argument("opening-bike-lane").plain_text[:60])
    assert main_window.recipient_bar.subject.text() == (
        "Please build a protected bike lane on Main Street"
    )
    assert main_window.settings.campaign == "example-bike-lane"
    # The coach now compares with this campaign's paragraphs.
    assert main_window.coach_panel.refresh().own_words == 0
    assert main_window.coach_panel.invitation.isVisible()
    # The pack now lives in the user's data folder, where the next start finds it.
    folder = locations.campaigns_dir / "example-bike-lane"
    assert (folder / "campaign.toml").is_file()
    assert locations.campaigns_dir.is_relative_to(locations.data_dir)


def test_open_campaign_dialog_accepts_a_folder_by_its_campaign_toml(
    qtbot: QtBot, main_window: MainWindow, tmp_path: Path
) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(EXAMPLE, pack)
    with (
        answering("OK", choose=pack / "campaign.toml") as seen,
        qtbot.waitSignal(main_window.campaign_opener.opened, timeout=10_000),
    ):
        main_window.menus.open_campaign_action.trigger()
    assert seen == ["file dialog: Open Campaign"]
    assert main_window.campaign.id == "example-bike-lane"


def test_opening_the_same_pack_again_asks_before_replacing(
    qtbot: QtBot, main_window: MainWindow, locations: Locations, tmp_path: Path
) -> None:
    opener = main_window.campaign_opener
    with qtbot.waitSignal(opener.opened, timeout=10_000):
        opener.open_path(EXAMPLE)
    changed = tmp_path / "changed"
    shutil.copytree(EXAMPLE, changed)
    toml = changed / "campaign.toml"
    toml.write_text(toml.read_text().replace("on Main Street", "on Elm Street"))
    with answering("Yes") as seen, qtbot.waitSignal(opener.opened, timeout=10_000) as opened:
        opener.open_path(changed)
    assert len(seen) == 1 and "already in Letter Composer" in seen[0]
    assert opened.args[0].title == "A protected bike lane on Elm Street"
    assert (
        "Elm Street"
        in (locations.campaigns_dir / "example-bike-lane" / "campaign.toml").read_text()
    )


def test_switch_campaign_menu_lists_and_switches(qtbot: QtBot, main_window: MainWindow) -> None:
    opener = main_window.campaign_opener
    with qtbot.waitSignal(opener.opened, timeout=10_000):
        opener.open_path(EXAMPLE)
    with qtbot.waitSignal(opener.campaigns_listed, timeout=10_000):
        opener.refresh_list()
    actions = {a.text(): a for a in main_window.menus.campaign_menu.actions()}
    assert set(actions) == {
        "Protect Russians who refuse to fight",
        "A protected bike lane on Main Street",
    }
    assert actions["A protected bike lane on Main Street"].isChecked()
    with qtbot.waitSignal(opener.opened, timeout=10_000):
        actions["Protect Russians who refuse to fight"].trigger()
    assert main_window.campaign.id == "protect-russian-defectors"


def test_a_personal_letter_is_not_replaced_without_asking(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    main_window.editor.text.append("My brother refused the call-up and now lives with us in Ohio.")
    opener = main_window.campaign_opener
    with answering("No") as seen, qtbot.waitSignal(opener.opened, timeout=10_000):
        opener.open_path(EXAMPLE)
    assert len(seen) == 1 and "will be replaced" in seen[0]
    assert main_window.campaign.id == "protect-russian-defectors"
    assert "lives with us in Ohio" in main_window.editor.text.toPlainText()


def hostile_zip(path: Path) -> Path:
    source = zip_folder(EXAMPLE, path)
    link = zipfile.ZipInfo("arguments/passwd.md")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(source, "a") as archive:
        archive.writestr(link, "/etc/passwd")
        archive.writestr("../../../../escaped.md", b"pwned")
    return source


def test_a_hostile_zip_is_refused_with_one_clear_line(
    qtbot: QtBot, main_window: MainWindow, locations: Locations, tmp_path: Path
) -> None:
    source = hostile_zip(tmp_path / "hostile.zip")
    before = snapshot(tmp_path.parent)
    opener = main_window.campaign_opener
    with answering("OK") as seen, qtbot.waitSignal(opener.failed, timeout=10_000) as failed:
        opener.open_path(source)
    qtbot.waitUntil(lambda: len(seen) == 1, timeout=5000)
    message = failed.args[0]
    assert "\n" not in message
    assert message.startswith("hostile.zip was refused: ")
    assert "symbolic link" in message
    assert seen == [f"campaign-open-failed: {message}"]
    assert main_window.campaign.id == "protect-russian-defectors"
    # Nothing new anywhere around, outside the data folder (where the window keeps its own
    # database) and the folders that hold it.
    data = locations.data_dir.relative_to(tmp_path.parent)
    allowed = {str(data), *(str(p) for p in data.parents if str(p) != ".")}
    new = {p for p in snapshot(tmp_path.parent) - before if not Path(p).is_relative_to(data)}
    assert new - allowed == set()
    assert not locations.campaigns_dir.exists() or not any(locations.campaigns_dir.iterdir())


def test_a_broken_pack_lists_its_problems_for_the_organizer(
    qtbot: QtBot, main_window: MainWindow, tmp_path: Path
) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(EXAMPLE, pack)
    argument = pack / "arguments" / "local-shops.md"
    argument.write_bytes(argument.read_bytes().replace(b"+++\n", b"+++\n\xff\n", 1))
    opener = main_window.campaign_opener
    with answering("OK") as seen, qtbot.waitSignal(opener.failed, timeout=10_000):
        opener.open_path(pack)
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=5000)
    assert seen[0].startswith("campaign-open-failed: pack is not a usable campaign pack: 1 problem")
    assert (
        seen[1] == "details: arguments/local-shops.md:2: is not valid UTF-8 text; save it as UTF-8"
    )
    assert main_window.campaign.id == "protect-russian-defectors"


def test_an_unexpected_error_while_loading_is_reported_and_the_opener_is_free_again(
    qtbot: QtBot, main_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Loading a known campaign fails in a way nobody foresaw: the user is told, the
    opener is no longer busy, and the letter stays as it was."""

    def broken(_campaign_id: str, _campaigns_dir: Path) -> None:
        raise MemoryError("out of memory while reading the pack")

    monkeypatch.setattr("composer.gui.open_campaign.find_campaign", broken)
    opener = main_window.campaign_opener
    busy: list[bool] = []
    opener.busy.connect(busy.append)
    with answering("OK") as seen, qtbot.waitSignal(opener.failed, timeout=10_000):
        opener.open_known("protect-russian-defectors")
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen[0].startswith("campaign-open-failed: Unexpected error while opening")
    assert "out of memory" in seen[0]
    assert busy[-1] is False
    assert main_window.campaign.id == "protect-russian-defectors"
