"""The SMTP account: saved as TOML without any password, checked, with provider presets."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from composer.core.accounts import (
    PRESETS,
    Account,
    AccountError,
    account_file,
    find_preset,
    is_loopback_host,
    load_account,
    preset_for_address,
    save_account,
)
from composer.core.locations import Locations


def _account(**overrides: object) -> Account:
    values: dict[str, object] = {
        "display_name": "Ada Example",
        "email": "ada@example.org",
        "host": "smtp.example.org",
        "port": 587,
        "security": "starttls",
    }
    values.update(overrides)
    return Account(**values)  # type: ignore[arg-type]


def test_save_and_load_round_trip(locations: Locations) -> None:
    path = account_file(locations.config_dir)
    assert path == locations.config_dir / "account.toml"
    saved = save_account(path, _account(username="ada", host=" SMTP.Example.org "))
    assert saved.host == "smtp.example.org"
    assert load_account(path) == saved
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text(encoding="utf-8")
    assert "password" not in text.lower()
    assert "version = 1" in text


def test_no_file_means_no_account(tmp_path: Path) -> None:
    assert load_account(tmp_path / "account.toml") is None


@pytest.mark.parametrize(
    "content",
    ["not toml [", "version = 1\n", '[account]\nport = "x"\n', "\xff\xfe"],
)
def test_damaged_file_is_reported_with_its_name(tmp_path: Path, content: str) -> None:
    path = tmp_path / "account.toml"
    path.write_bytes(content.encode("latin-1"))
    with pytest.raises(AccountError, match=r"account\.toml"):
        load_account(path)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": ""}, "From address"),
        ({"email": "not-an-address"}, "From address"),
        ({"host": ""}, "Server"),
        ({"host": "smtp://smtp.example.org"}, "Server"),
        ({"host": "smtp example.org"}, "Server"),
        ({"port": 0}, "Port"),
        ({"port": 70000}, "Port"),
        ({"security": "none"}, "Security"),
        ({"security": "plain-localhost", "host": "smtp.example.org"}, "only allowed to a server"),
        ({"display_name": "Ada\nBcc: x@example.net"}, "Display name"),
        ({"username": "ada\r\n"}, "User name"),
    ],
)
def test_invalid_fields_are_named(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(AccountError, match=message):
        _account(**overrides).validated()


def test_plain_localhost_is_allowed_for_loopback_only() -> None:
    assert _account(security="plain-localhost", host="localhost", port=25).validated()
    assert _account(security="plain-localhost", host="127.0.0.1", port=25).validated()
    assert _account(security="plain-localhost", host="::1", port=25).validated()
    assert is_loopback_host("127.1.2.3")
    assert not is_loopback_host("localhost.example.org")
    assert not is_loopback_host("10.0.0.1")


def test_login_name_and_keyring_key() -> None:
    account = _account()
    assert account.login_name == "ada@example.org"
    assert account.keyring_key == "smtp:ada@example.org@smtp.example.org:587"
    assert _account(username="ada").login_name == "ada"
    assert account.needs_login
    assert not _account(security="plain-localhost", host="localhost").needs_login
    assert _account(security="plain-localhost", host="localhost", username="u").needs_login


def test_sender_address_carries_the_display_name() -> None:
    assert str(_account().sender_address()) == "Ada Example <ada@example.org>"


def test_presets() -> None:
    gmail = find_preset("gmail")
    assert (gmail.host, gmail.port, gmail.security) == ("smtp.gmail.com", 465, "ssl")
    assert "app password" in gmail.notes
    bridge = find_preset("Proton Mail Bridge")
    assert (bridge.host, bridge.port, bridge.security) == ("127.0.0.1", 1025, "starttls")
    for key in ("gmail", "outlook", "microsoft365", "yahoo", "icloud", "fastmail", "protonbridge"):
        assert find_preset(key).key == key
    applied = gmail.apply(_account())
    assert (applied.host, applied.port, applied.security) == ("smtp.gmail.com", 465, "ssl")
    assert applied.email == "ada@example.org"
    with pytest.raises(AccountError, match="known presets: gmail"):
        find_preset("nope")
    assert preset_for_address("someone@GMAIL.com") is gmail
    assert preset_for_address("someone@example.org") is None
    for preset in PRESETS:
        assert _account(host=preset.host, port=preset.port, security=preset.security).validated()
