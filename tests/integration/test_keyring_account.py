"""One keyring entry per account, in a real Secret Service, seen through ``secret-tool`` too."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot

from composer.core.accounts import Account, account_file, load_account, save_account
from composer.core.credentials import SERVICE, KeyringCredentials, PasswordSource, SessionPasswords
from composer.gui.account_dialog import AccountDialog
from tests.helpers.cli import run_composer
from tests.helpers.keyring_session import KeyringSession

SECRET = "Kennwort-ß-пароль-42"
FIRST = Account("Ada Example", "ada@example.org", "smtp.example.org", 587, "starttls")


def _secret_tool() -> str:
    tool = shutil.which("secret-tool")
    if tool is None:
        pytest.fail("secret-tool (Debian: libsecret-tools) is needed to check the keyring")
    return tool


def _lookup(key: str) -> str | None:
    found = subprocess.run(
        [_secret_tool(), "lookup", "service", SERVICE, "username", key],
        capture_output=True,
        env=os.environ,
    )
    return found.stdout.decode("utf-8") if found.returncode == 0 else None


def _entries() -> list[str]:
    """The user names of every entry filed under the program's service, per secret-tool."""
    found = subprocess.run(
        [_secret_tool(), "search", "--all", "service", SERVICE],
        capture_output=True,
        env=os.environ,
    )
    return sorted(
        line.split(" = ", 1)[1]
        for line in found.stdout.decode("utf-8").splitlines() + found.stderr.decode().splitlines()
        if line.startswith("attribute.username = ")
    )


def _run(*args: str, stdin: str | None = None) -> str:
    result = run_composer(*args, input_text=stdin)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _set_first() -> None:
    _run(
        "account", "set", "--email", FIRST.email, "--host", FIRST.host,
        "--port", str(FIRST.port), "--security", "starttls", "--name", FIRST.display_name,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("change", "moved"),
    [
        (("--port", "465", "--security", "ssl"), (FIRST.host, 465, "")),
        (("--host", "mail.example.net"), ("mail.example.net", 587, "")),
        (("--user", "ada.example"), (FIRST.host, 587, "ada.example")),
    ],
)
def test_the_entry_follows_the_account(
    real_keyring: KeyringSession, change: tuple[str, ...], moved: tuple[str, int, str]
) -> None:
    _set_first()
    _run("account", "password", stdin=SECRET + "\n")
    assert _lookup(FIRST.keyring_key) == SECRET

    out = _run("account", "set", *change)
    assert "stored password now goes with the new settings" in out
    host, port, user = moved
    now = Account(FIRST.display_name, FIRST.email, host, port, username=user)
    assert _lookup(now.keyring_key) == SECRET
    assert _lookup(FIRST.keyring_key) is None
    assert _entries() == [now.keyring_key]
    assert '"password": "stored"' in _run("account", "show", "--json")

    out = _run("account", "forget")
    assert "Removed the password" in out
    assert _entries() == []


def test_forget_removes_entries_left_under_earlier_settings(
    real_keyring: KeyringSession,
) -> None:
    _set_first()
    _run("account", "password", stdin=SECRET + "\n")
    # What earlier versions left behind when the port or server changed.
    orphans = ("smtp:ada@example.org@smtp.example.org:25", "smtp:ada@example.org@old.example:465")
    for key in orphans:
        KeyringCredentials().store(key, SECRET + key)
    assert len(_entries()) == 3

    out = _run("account", "forget")
    assert "Removed 3 entries" in out
    assert _entries() == []
    assert _lookup(FIRST.keyring_key) is None
    assert "nothing to remove" in _run("account", "forget")


def test_the_account_dialog_moves_the_entry_when_the_port_changes(
    real_keyring: KeyringSession, qtbot: QtBot, tmp_path: Path
) -> None:
    path = account_file(tmp_path)
    save_account(path, FIRST)
    KeyringCredentials().store(FIRST.keyring_key, SECRET)
    pool = QThreadPool()
    dialog = AccountDialog(
        path, PasswordSource(KeyringCredentials(), SessionPasswords()), pool=pool
    )
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loaded, timeout=10000):
        dialog.show()
    assert dialog.forget_button.isEnabled()
    dialog.port.setValue(2525)
    with qtbot.waitSignal(dialog.saved, timeout=10000):
        dialog.save()
    saved = load_account(path)
    assert saved is not None and saved.port == 2525
    assert _lookup(saved.keyring_key) == SECRET
    assert _entries() == [saved.keyring_key]
    pool.waitForDone()
