"""Starting the window: the application object, the crash handler, and ``--smoke``."""

from __future__ import annotations

import logging
import os
import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from composer import __version__
from composer.core.locations import Locations

APP_ID = "io.github.letter_composer.LetterComposer"
SMOKE_TIMEOUT_MS = 20_000

log = logging.getLogger(__name__)


class _FirstPaint(QObject):
    """Quits the application once the watched window has painted (for ``--smoke``)."""

    def __init__(self, app: QApplication) -> None:
        super().__init__()
        self.app = app
        self.painted = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.painted:
            self.painted = True
            if os.environ.get("COMPOSER_SMOKE_TIMESTAMP"):  # bench/startup.py reads this
                print(f"first-paint {time.time():.6f}", flush=True)
            QTimer.singleShot(0, self.app.quit)
        return False


def create_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication with the program's names set (reused if one exists)."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    assert isinstance(app, QApplication)
    from composer.gui.refcount_guard import protect_singletons

    protect_singletons()  # PySide6 6.12 on Python < 3.12 would otherwise abort the program
    app.setApplicationName("Letter Composer")
    app.setApplicationDisplayName("Letter Composer")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("Letter Composer")
    app.setDesktopFileName(APP_ID)
    if app.windowIcon().isNull():
        from composer.gui.theme import app_icon

        app.setWindowIcon(app_icon())
    return app


def build_main_window(locations: Locations):
    """Load settings and the campaign and build the main window, or explain why not."""
    from composer.core.campaigns import CampaignError, default_campaign, find_campaign
    from composer.core.settings import load_settings
    from composer.gui.mainwindow import MainWindow

    settings = load_settings(locations.settings_file)
    campaign = None
    if settings.campaign:
        try:
            campaign = find_campaign(settings.campaign, locations.campaigns_dir)
        except (CampaignError, LookupError) as error:
            log.warning("last campaign %s not usable: %s", settings.campaign, error)
    if campaign is None:
        campaign = default_campaign(locations.campaigns_dir)
    return MainWindow(locations, settings, campaign)


def run_app(smoke: bool = False, locations: Locations | None = None) -> int:
    """Open the main window and run until it closes; returns the exit status."""
    from composer.core.logs import setup_logging
    from composer.gui.crash import CrashHandler

    locations = locations or Locations.default()
    app = create_application()
    # The log file (and its rotation module) can wait until the window is up.
    QTimer.singleShot(0, lambda: setup_logging(locations.log_file))
    crash = CrashHandler(str(locations.log_file))
    crash.install()
    from composer.core.storage import check_storage

    # Before anything opens the database: a damaged one is moved aside, unwritable
    # folders are found; the window tells the user (composer.gui.recovery).
    storage_report = check_storage(locations)
    try:
        window = build_main_window(locations)
    except Exception as error:
        log.exception("the window could not be built")
        QMessageBox.critical(
            None, "Letter Composer cannot start", f"{error}\n\nDetails are in {locations.log_file}."
        )
        return 1
    window.keeper.show_storage_report(storage_report)
    crash.before_report = window.keeper.save_for_crash  # the letter is saved before the report
    watcher = None
    if smoke:
        watcher = _FirstPaint(app)
        window.installEventFilter(watcher)
        QTimer.singleShot(SMOKE_TIMEOUT_MS, lambda: app.exit(3))
    window.show()
    window.keeper.offer_recovery()  # letters a crash left open: a bar, nothing blocks
    if not smoke and window.settings.show_welcome:
        from composer.gui.welcome import show_welcome

        show_welcome(window, locations, window.settings)
    status = app.exec()
    window.shutdown_background()  # the sending thread must end before Qt objects go away
    crash.uninstall()
    if smoke and watcher is not None and not watcher.painted:
        print("composer: the window did not paint within the time limit", file=sys.stderr)
        return 3
    return status
