"""``composer account`` and ``composer outbox`` without a network: settings, keyring, listing."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from composer.cli import main
from composer.core.accounts import account_file, load_account
from composer.core.credentials import SERVICE
from composer.core.locations import Locations
from composer.core.mail import build_message, parse_address
from composer.core.outbox import Outbox
from tests.helpers.memory_keyring import MemoryKeyring, install_memory_keyring, install_no_keyring

SET = [
    "account",
    "set",
    "--email",
    "ada@example.org",
    "--host",
    "smtp.example.org",
    "--port",
    "587",
    "--security",
    "starttls",
    "--name",
    "Ada Example",
]


@pytest.fixture
def app() -> Locations:
    return Locations.default()


@pytest.fixture
def memory(monkeypatch: pytest.MonkeyPatch) -> MemoryKeyring:
    return install_memory_keyring(monkeypatch)


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def test_set_show_password_forget(
    app: Locations,
    memory: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(SET) == 0
    out = capsys.readouterr().out
    assert (
        "Saved the account: Ada Example <ada@example.org> via smtp.example.org:587 (STARTTLS)"
        in out
    )
    assert "composer account password" in out
    account = load_account(account_file(app.config_dir))
    assert account is not None and account.port == 587

    _stdin(monkeypatch, "s3cret with spaces \n")
    assert main(["account", "password"]) == 0
    assert memory.passwords == {(SERVICE, account.keyring_key): "s3cret with spaces "}
    assert "s3cret" not in capsys.readouterr().out

    assert main(["account", "show", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["password"] == "stored" and shown["host"] == "smtp.example.org"
    assert "s3cret" not in json.dumps(shown)

    assert main(["account", "forget"]) == 0
    assert memory.passwords == {}
    assert "Removed the password" in capsys.readouterr().out
    assert main(["account", "forget"]) == 0
    assert "nothing to remove" in capsys.readouterr().out
    assert "s3cret" not in account_file(app.config_dir).read_text()


def test_set_changes_only_what_is_given(app: Locations, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(SET) == 0
    assert main(["account", "set", "--port", "465", "--security", "ssl"]) == 0
    account = load_account(account_file(app.config_dir))
    assert account is not None
    assert (account.email, account.host, account.port, account.security) == (
        "ada@example.org",
        "smtp.example.org",
        465,
        "ssl",
    )


def test_preset_fills_in_the_server_and_says_what_it_needs(
    app: Locations, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["account", "set", "--email", "ada@gmail.com", "--name", "Ada"]) == 0
    out = capsys.readouterr().out
    assert "smtp.gmail.com:465 (SSL/TLS)" in out and "app password" in out
    assert main(["account", "set", "--preset", "protonbridge", "--email", "ada@proton.me"]) == 0
    account = load_account(account_file(app.config_dir))
    assert account is not None and (account.host, account.port) == ("127.0.0.1", 1025)


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        (["account", "set", "--email", "ada@example.org"], "missing --host, --port"),
        ([*SET[:-2], "--name", "Ada\nBcc: x@example.net"], "Display name"),
        (["account", "set", "--preset", "nope", "--email", "a@example.org"], "known presets"),
        ([*SET[:8], "--security", "plain-localhost"], "only allowed to a server on this computer"),
    ],
)
def test_bad_settings_are_one_clear_line(
    app: Locations, capsys: pytest.CaptureFixture[str], arguments: list[str], words: str
) -> None:
    assert main(arguments) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1 and "Traceback" not in err


def test_no_account_yet(memory: MemoryKeyring, capsys: pytest.CaptureFixture[str]) -> None:
    for action in ("show", "password", "test"):
        assert main(["account", action]) == 1
        assert "no e-mail account is set up" in capsys.readouterr().err
    # Forget still clears whatever an earlier account left in the keyring.
    memory.passwords[(SERVICE, "smtp:ada@example.org@smtp.example.org:587")] = "left over"
    assert main(["account", "forget"]) == 0
    assert memory.passwords == {}
    assert "Removed the password" in capsys.readouterr().out


def test_password_without_a_keyring_explains_why(
    app: Locations, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    install_no_keyring(monkeypatch)
    assert main(SET) == 0
    capsys.readouterr()
    _stdin(monkeypatch, "s3cret\n")
    assert main(["account", "password"]) == 1
    err = capsys.readouterr().err
    assert "no keyring" in err and "never written to a file" in err
    assert "s3cret" not in err
    assert err.count("\n") == 1
    for path in app.config_dir.rglob("*"):
        assert not path.is_file() or b"s3cret" not in path.read_bytes()


def test_empty_password_is_refused(
    app: Locations,
    memory: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(SET) == 0
    _stdin(monkeypatch, "\n")
    assert main(["account", "password"]) == 1
    assert "empty" in capsys.readouterr().err
    assert memory.passwords == {}


def test_outbox_list_cancel_export(
    app: Locations, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outbox = Outbox(app.database_file)
    message = build_message(
        sender=parse_address("Ada <ada@example.org>", "From"),
        to=[parse_address("The President <president@whitehouse.gov>", "To")],
        subject="Protect them",
        text="t",
        html="<p>t</p>",
    )
    entry_id = outbox.enqueue(message)
    outbox.close()
    assert main(["outbox"]) == 0
    assert f"#{entry_id}  queued   “Protect them” to The President" in capsys.readouterr().out
    assert main(["outbox", "list", "--json"]) == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert listed["state"] == "queued" and listed["envelope_to"] == ["president@whitehouse.gov"]
    target = tmp_path / "letter.eml"
    assert main(["outbox", "export", str(entry_id), str(target)]) == 0
    assert target.read_bytes() == message.raw
    assert main(["outbox", "cancel", str(entry_id)]) == 0
    assert "Cancelled letter" in capsys.readouterr().out
    assert main(["outbox", "cancel", str(entry_id)]) == 1
    assert "no longer in the outbox" in capsys.readouterr().err
    assert main(["outbox", "list", "--sent"]) == 0
    assert "Nothing has been sent yet." in capsys.readouterr().out


def test_flush_without_account(app: Locations, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["outbox", "flush"]) == 1
    assert "no e-mail account is set up" in capsys.readouterr().err


def test_flush_of_an_empty_outbox(app: Locations, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(SET) == 0
    capsys.readouterr()
    assert main(["outbox", "flush", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["exit_status"] == 0 and document["results"] == []
