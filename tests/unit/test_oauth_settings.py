"""OAuth2 settings without a network: presets, client IDs, the command line's choices."""

from __future__ import annotations

import io

import pytest

from composer.cli import main
from composer.core.accounts import (
    Account,
    OAuthSettings,
    account_file,
    find_preset,
    load_account,
)
from composer.core.credentials import SERVICE
from composer.core.locations import Locations
from composer.core.oauth import OAuthError, TokenSource, resolve_client
from tests.helpers.memory_keyring import MemoryKeyring, install_memory_keyring


@pytest.fixture
def memory(monkeypatch: pytest.MonkeyPatch) -> MemoryKeyring:
    return install_memory_keyring(monkeypatch)


def test_presets_say_how_each_provider_signs_in() -> None:
    methods = {key: find_preset(key).method for key in ("gmail", "outlook", "microsoft365")}
    assert methods == {"gmail": "oauth2", "outlook": "oauth2", "microsoft365": "oauth2"}
    assert find_preset("fastmail").method == "app-password"
    assert find_preset("protonbridge").method == "bridge-password"
    base = Account("Ada", "ada@outlook.com", "", 0)
    chosen = find_preset("outlook").apply(base)
    assert chosen.oauth == OAuthSettings("microsoft") and chosen.auth == "oauth2"
    assert find_preset("gmail").apply(base, oauth=False).oauth is None
    assert find_preset("fastmail").apply(chosen).oauth is None


def test_the_client_id_comes_from_the_settings_or_the_packager() -> None:
    with pytest.raises(OAuthError, match="No client ID is set for signing in with Microsoft"):
        resolve_client(OAuthSettings("microsoft"), environ={})
    packaged = resolve_client(
        OAuthSettings("microsoft"), environ={"COMPOSER_OAUTH_CLIENT_ID_MICROSOFT": "pkg-id"}
    )
    assert packaged.client_id == "pkg-id"
    assert packaged.token_url.startswith("https://login.microsoftonline.com/")
    own = resolve_client(
        OAuthSettings("google", client_id="own-id"),
        environ={"COMPOSER_OAUTH_CLIENT_ID_GOOGLE": "pkg-id"},
    )
    assert own.client_id == "own-id" and own.scope == "https://mail.google.com/"
    assert own.extra["access_type"] == "offline"


def test_sign_in_addresses_must_be_encrypted_unless_local() -> None:
    with pytest.raises(OAuthError, match="not encrypted"):
        resolve_client(
            OAuthSettings(
                "custom",
                client_id="x",
                authorize_url="http://auth.example.org/authorize",
                token_url="https://auth.example.org/token",
                scope="mail",
            ),
            environ={},
        )
    local = OAuthSettings(
        "custom",
        client_id="x",
        authorize_url="http://127.0.0.1:8080/authorize",
        token_url="http://127.0.0.1:8080/token",
        scope="mail",
    )
    assert resolve_client(local, environ={}).authorize_url.startswith("http://127.0.0.1")


def test_no_stored_sign_in_asks_to_sign_in(memory: MemoryKeyring) -> None:
    from composer.core.credentials import KeyringCredentials
    from composer.core.oauth import SignInNeeded

    account = Account(
        "Ada", "ada@outlook.com", "smtp.office365.com", 587,
        oauth=OAuthSettings("microsoft", client_id="id"),
    )  # fmt: skip
    source = TokenSource(account, KeyringCredentials())
    with pytest.raises(SignInNeeded, match="composer account signin"):
        source.access_token()


def test_command_line_chooses_the_sign_in(
    memory: MemoryKeyring, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = account_file(Locations.default().config_dir)
    assert main(["account", "set", "--preset", "outlook", "--email", "ada@outlook.com"]) == 0
    out = capsys.readouterr().out
    assert "composer account signin" in out and "account password" not in out
    saved = load_account(path)
    assert saved is not None and saved.oauth == OAuthSettings("microsoft")

    assert main(["account", "set", "--client-id", "registered-id"]) == 0
    saved = load_account(path)
    assert saved is not None and saved.oauth == OAuthSettings("microsoft", "registered-id")
    assert main(["account", "show"]) == 0
    assert "Not signed in with Microsoft yet" in capsys.readouterr().out

    monkeypatch.setattr("sys.stdin", io.StringIO("app-password\n"))
    assert main(["account", "password"]) == 1
    assert "composer account signin" in capsys.readouterr().err

    # A refresh token kept for the sign-in is never used as a password afterwards.
    memory.passwords[(SERVICE, saved.keyring_key)] = "refresh-token-from-the-provider"
    assert main(["account", "set", "--auth", "password"]) == 0
    assert "The stored sign-in was removed" in capsys.readouterr().out
    assert memory.passwords == {}
    saved = load_account(path)
    assert saved is not None and saved.oauth is None
    assert main(["account", "signin"]) == 1
    assert "signs in with a password" in capsys.readouterr().err

    assert main(["account", "set", "--client-id", "x"]) == 2
    assert "--oauth-provider" in capsys.readouterr().err


def test_choosing_the_same_provider_again_keeps_an_app_password(
    memory: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    gmail = ["account", "set", "--preset", "gmail", "--email", "ada@gmail.com"]
    assert main([*gmail, "--auth", "password"]) == 0
    path = account_file(Locations.default().config_dir)
    saved = load_account(path)
    assert saved is not None and saved.oauth is None
    memory.passwords[(SERVICE, saved.keyring_key)] = "app-password"
    assert main(gmail) == 0
    saved = load_account(path)
    assert saved is not None and saved.oauth is None
    assert memory.passwords == {(SERVICE, saved.keyring_key): "app-password"}
