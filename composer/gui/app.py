"""Starting the window: the application object, the crash handler, and ``--smoke``.

The window appears in two steps (see :mod:`composer.gui.mainwindow`): its frame
is shown first, and right after that first paint the settings' campaign is
opened and the panes are built. ``--smoke`` waits for both: it prints the
time of the first paint and of the moment the finished window painted
(``first-paint`` and ``ready`` lines, when ``COMPOSER_SMOKE_TIMESTAMP`` is set),
and fails if the window could not be finished.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from composer import __version__
from composer.core.locations import Locations
from composer.i18n import _

if TYPE_CHECKING:
    from composer.core.campaigns import Campaign
    from composer.core.settings import Settings
    from composer.gui.mainwindow import MainWindow

APP_ID = "io.github.letter_composer.LetterComposer"
SMOKE_TIMEOUT_MS = 20_000
QT_TRANSLATOR = "composer-qt-translations"

log = logging.getLogger(__name__)


class _SmokeWatch(QObject):
    """For ``--smoke``: notes the window's first paint, then quits once the finished
    window has painted."""

    def __init__(self, app: QApplication, window: QWidget) -> None:
        super().__init__()
        self.app = app
        self.window = window
        self.painted = False
        self.ready = False
        window.installEventFilter(self)

    def watch_finished(self, widget: QWidget) -> None:
        """Quit after `widget` (a part of the finished window) has painted."""
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Paint:
            return False
        if watched is self.window and not self.painted:
            self.painted = True
            self._stamp("first-paint")
        elif watched is not self.window and not self.ready:
            self.ready = True
            self._stamp("ready")
            QTimer.singleShot(0, self.app.quit)
        return False

    @staticmethod
    def _stamp(what: str) -> None:
        if os.environ.get("COMPOSER_SMOKE_TIMESTAMP"):  # bench/startup.py reads these
            print(f"{what} {time.time():.6f}", flush=True)


def create_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication with the program's names set (reused if one exists)."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Letter Composer")
    app.setApplicationDisplayName("Letter Composer")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("Letter Composer")
    app.setDesktopFileName(APP_ID)
    _load_qt_translations(app)
    if app.windowIcon().isNull():
        from composer.gui.theme import app_icon

        app.setWindowIcon(app_icon())
    return app


def _load_qt_translations(app: QApplication) -> None:
    """Qt's own words (standard buttons, the file dialog) in the interface's language."""
    from PySide6.QtCore import QLibraryInfo, QTranslator

    from composer.i18n import current_language

    language = current_language()
    installed = app.findChild(QTranslator, QT_TRANSLATOR)
    if installed is not None:
        if installed.language().split("_")[0] == language:
            return
        app.removeTranslator(installed)
        installed.setParent(None)
        installed.deleteLater()
    if language == "en":
        return
    translator = QTranslator(app)
    translator.setObjectName(QT_TRANSLATOR)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(f"qtbase_{language}", folder):
        app.installTranslator(translator)
    else:
        translator.setParent(None)
        log.warning("Qt's own %s translations are not installed in %s", language, folder)


def keep_palette_readable(app: QApplication) -> Callable[[], None]:
    """Fix the palette's contrast now and whenever it changes (the system's theme).

    The application's ``paletteChanged`` signal is watched rather than its events: an
    event filter on the application would see every event of every widget and call
    into Python for each (about 30 ms of start-up and a little of every keystroke),
    and would make PySide6 build the Python types of every object it saw.

    Returns:
        A function that stops watching.
    """
    from composer.gui.theme import keep_readable_now

    keep_readable_now()

    def changed(_palette: object) -> None:
        keep_readable_now()

    app.paletteChanged.connect(changed)

    def stop() -> None:
        app.paletteChanged.disconnect(changed)

    return stop


def open_campaign(locations: Locations, settings: Settings) -> Campaign:
    """The campaign the user had open last time, or the default one."""
    from composer.core.campaigns import CampaignError, default_campaign, find_campaign

    if settings.campaign:
        try:
            return find_campaign(settings.campaign, locations.campaigns_dir, locations.cache_dir)
        except (CampaignError, LookupError) as error:
            log.warning("last campaign %s not usable: %s", settings.campaign, error)
    return default_campaign(locations.campaigns_dir, locations.cache_dir)


def build_main_window(locations: Locations) -> MainWindow:
    """Load settings and the campaign and build the whole main window at once."""
    from composer.core.settings import load_settings
    from composer.gui.mainwindow import MainWindow

    settings = load_settings(locations.settings_file)
    return MainWindow(locations, settings, open_campaign(locations, settings))


def run_app(smoke: bool = False, locations: Locations | None = None) -> int:
    """Open the main window and run until it closes; returns the exit status."""
    from composer.core.settings import load_settings
    from composer.gui.crash import CrashHandler
    from composer.gui.mainwindow import MainWindow
    from composer.i18n import choose_language, install

    # Starting makes tens of thousands of objects that live as long as the window and
    # frees few: collecting garbage meanwhile (some 75 times, about 15 ms) finds nothing.
    # Once the window is finished they are set aside for good (gc.freeze), so that later
    # collections, while the user types, do not go through them again.
    collecting = gc.isenabled()
    gc.disable()
    locations = locations or Locations.default()
    settings = load_settings(locations.settings_file)
    install(choose_language(settings.language))  # before any widget or message is made
    ours = QApplication.instance() is None  # made here: the program ends when it returns
    app = create_application()
    stop_palette_watch = keep_palette_readable(app)
    crash = CrashHandler(str(locations.log_file))
    crash.install()
    window = MainWindow(locations, settings)
    crash.secrets = window.known_secrets  # a password typed for this session never reaches a report
    watch = _SmokeWatch(app, window) if smoke else None
    failed = False

    def finish() -> None:
        """Everything the frame's first paint did not need; the window becomes usable."""
        try:
            complete()
        finally:
            if collecting:
                if ours:  # not when a test runs the window inside its own process
                    gc.freeze()
                gc.enable()

    def complete() -> None:
        nonlocal failed
        from composer.core.drafts import salvage_drafts
        from composer.core.logs import setup_logging
        from composer.core.storage import check_storage

        setup_logging(locations.log_file)
        # Before anything opens the database: a damaged one is moved aside, unwritable
        # folders are found; the window tells the user (composer.gui.letter_keeper).
        storage_report = check_storage(locations, salvage=salvage_drafts)
        try:
            window.complete(open_campaign(locations, window.settings))
        except Exception as error:
            from PySide6.QtWidgets import QMessageBox

            failed = True
            log.exception("the window could not be built")
            QMessageBox.critical(
                window,
                _("Letter Composer cannot start"),
                _("{error}\n\nDetails are in {log_file}.").format(
                    error=error, log_file=locations.log_file
                ),
            )
            app.exit(1)
            return
        window.keeper.show_storage_report(storage_report)
        crash.before_report = window.keeper.save_for_crash  # the letter is saved before the report
        window.keeper.offer_recovery()  # letters a crash left open: a bar, nothing blocks
        if watch is not None:
            watch.watch_finished(window.splitter)
        elif window.settings.show_welcome:
            from composer.gui.welcome import show_welcome

            show_welcome(window, locations, window.settings)

    window.first_painted.connect(lambda: QTimer.singleShot(0, finish))
    # The time limit of --smoke is a timer of this run, stopped when the run ends: a
    # leftover one would later end whatever event loop is running in this process, and
    # every loop after it at once (Qt keeps "quit" set until the next exec()).
    limit = QTimer(singleShot=True, interval=SMOKE_TIMEOUT_MS)
    limit.timeout.connect(lambda: app.exit(3))
    if smoke:
        limit.start()
    window.show()
    status = app.exec()
    limit.stop()
    if collecting and not gc.isenabled():
        gc.enable()  # closed before the window was finished
    window.shutdown_background()  # the sending thread must end before Qt objects go away
    crash.uninstall()
    stop_palette_watch()
    if ours:
        # The process is about to end and the system takes back all its memory at once:
        # collecting the window's objects one by one first would only delay the exit
        # (about 30 ms).
        gc.freeze()
    if failed:
        return 1
    if watch is not None and not watch.ready:
        print(_("composer: the window did not finish within the time limit"), file=sys.stderr)
        return 3
    return status
