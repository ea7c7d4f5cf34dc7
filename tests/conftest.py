"""Fixtures shared by every test: no test ever touches the real user's files."""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

# Qt must never try to open a real display unless a test asks for Xvfb itself.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from composer.core.locations import Locations
from tests.helpers.cups import use_private_scheduler

# Under CI a test that cannot reach its real part fails instead of skipping.
pytest_plugins = ["tests.helpers.ci_policy", "pytester"]

_cups_root: Path | None = None


def pytest_configure(config: pytest.Config) -> None:
    """Point every CUPS client of this run at the run's own scheduler, never the machine's.

    The interface speaks English in the tests whatever the machine's language (a test
    that wants Russian or Ukrainian says so, with the setting or composer.i18n.install).
    """
    global _cups_root
    os.environ["LANGUAGE"] = "en"
    _cups_root = use_private_scheduler()


@pytest.hookimpl(hookwrapper=True, trylast=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """Destroy the widgets a test closed before the next test starts.

    pytest-qt closes a test's widgets and leaves their deletion to the next turn of
    the event loop, which is then the next test's. Destroying a window whose Python
    subclass overrides a virtual takes Qt's connection lock and then the GIL, while a
    worker thread of the next test that holds the GIL may be waiting for that lock
    (QTextDocument made on the pool): both wait for ever. Deleting them here, while no
    worker runs, keeps each test's objects inside the test.
    """
    yield
    import sys

    if "PySide6.QtCore" not in sys.modules:
        return
    from PySide6.QtCore import QCoreApplication, QEvent

    if QCoreApplication.instance() is not None:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove the private scheduler's folder (the scheduler has stopped by now)."""
    if _cups_root is not None:
        shutil.rmtree(_cups_root, ignore_errors=True)


SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Point every XDG folder at a fresh temporary folder for each test."""
    root = tmp_path_factory.mktemp("home")
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        folder = root / name.lower()
        folder.mkdir()
        monkeypatch.setenv(name, str(folder))
    yield root


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    """The program's log set up in a temporary folder; its handler is removed afterwards."""
    from composer.core.logs import setup_logging

    path = tmp_path / "state" / "composer.log"
    before = list(logging.getLogger().handlers)
    assert setup_logging(path)
    yield path
    for handler in logging.getLogger().handlers:
        if handler not in before:
            logging.getLogger().removeHandler(handler)
            handler.close()


@pytest.fixture
def locations(tmp_path: Path) -> Locations:
    """A Locations object below a temporary folder."""
    return Locations.under(tmp_path / "app")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The public-domain datasets kept beside the project (never copied into it)."""
    folder = SHARED / "data"
    if not folder.is_dir():
        pytest.fail(f"the shared data folder {folder} is missing")
    return folder
