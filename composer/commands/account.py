"""``composer account``: the SMTP account letters are sent from, and its password.

The password goes to the system keyring only (``composer account password``);
nothing here writes it to a file or prints it.
"""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import json
import sys
from typing import Any, TextIO

from composer.commands.base import EXIT_FAILURE, EXIT_OK, CommandContext, CommandError
from composer.core.accounts import (
    AUTH_OAUTH2,
    AUTH_PASSWORD,
    OAUTH_PROVIDERS,
    PRESETS,
    SECURITY_CHOICES,
    SECURITY_LABELS,
    Account,
    AccountError,
    OAuthSettings,
    account_file,
    find_preset,
    load_account,
    preset_for_address,
    save_account,
)
from composer.core.credentials import (
    CredentialError,
    KeyringCredentials,
    KeyringState,
    KeyringStatus,
    PasswordSource,
    SessionPasswords,
)
from composer.core.fileio import StorageError
from composer.core.oauth import SIGN_IN_TIMEOUT, OAuthError, TokenSource, provider_name, sign_in
from composer.core.transport import DEFAULT_TIMEOUT, Credential, check_connection


def register(subparsers: Any) -> None:
    """Add ``account set|show|password|test|forget``."""
    account = subparsers.add_parser(
        "account", help="the e-mail account letters are sent from (SMTP) and its password"
    )
    actions = account.add_subparsers(dest="account_command", metavar="ACTION", required=True)

    presets = ", ".join(preset.key for preset in PRESETS)
    setting = actions.add_parser(
        "set",
        help="set up or change the account",
        description="Set up the SMTP account. Fields not given keep their saved value.",
    )
    setting.add_argument("--email", metavar="ADDR", help="the address you send from")
    setting.add_argument("--host", metavar="HOST", help="the SMTP server, e.g. smtp.example.org")
    setting.add_argument("--port", metavar="N", type=int, help="the SMTP port, e.g. 465 or 587")
    setting.add_argument(
        "--security",
        choices=SECURITY_CHOICES,
        help="ssl (implicit TLS), starttls, or plain-localhost (a server on this computer only)",
    )
    setting.add_argument("--user", metavar="NAME", help="the login name (default: the address)")
    setting.add_argument("--name", metavar="DISPLAY", help="your name as shown in From")
    setting.add_argument(
        "--preset", metavar="NAME", help=f"fill in server, port and security for: {presets}"
    )
    setting.add_argument(
        "--certificate",
        metavar="FILE",
        help="an extra certificate to trust (e.g. a local bridge's own); '' to remove",
    )
    setting.add_argument(
        "--auth",
        choices=(AUTH_PASSWORD, AUTH_OAUTH2),
        help="sign in with a password (or app password), or through the browser (oauth2)",
    )
    setting.add_argument(
        "--oauth-provider", choices=OAUTH_PROVIDERS, help="whose sign-in page to use for oauth2"
    )
    setting.add_argument(
        "--client-id", metavar="ID", help="the client ID registered for this program (oauth2)"
    )
    setting.add_argument(
        "--client-secret", metavar="TEXT", help="the desktop client's (not secret) secret, if any"
    )
    setting.add_argument("--authorize-url", metavar="URL", help="custom provider: sign-in page")
    setting.add_argument("--token-url", metavar="URL", help="custom provider: token address")
    setting.add_argument("--scope", metavar="TEXT", help="custom provider: permission to ask")
    setting.set_defaults(handler=run_set)

    signin = actions.add_parser(
        "signin",
        help="sign in through the browser (oauth2 accounts); prints the address if no "
        "browser opens",
    )
    signin.add_argument(
        "--timeout",
        type=float,
        default=SIGN_IN_TIMEOUT,
        metavar="SECONDS",
        help="how long to wait for the browser",
    )
    signin.set_defaults(handler=run_signin)

    show = actions.add_parser("show", help="show the account and whether a password is stored")
    show.add_argument("--json", action="store_true", help="print JSON instead of text")
    show.set_defaults(handler=run_show)

    password = actions.add_parser(
        "password",
        help="store the password in the system keyring (read from stdin when it is not a terminal)",
    )
    password.set_defaults(handler=run_password)

    test = actions.add_parser("test", help="connect, secure, sign in and report (sends nothing)")
    test.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS", help="per step"
    )
    test.set_defaults(handler=run_test)

    forget = actions.add_parser(
        "forget", help="remove the password (and any sign-in) from the system keyring"
    )
    forget.set_defaults(handler=run_forget)


def _fail(message: str, status: int = EXIT_FAILURE) -> CommandError:
    return CommandError(f"composer account: {message}", status)


def require_account(context: CommandContext) -> Account:
    """The saved account, or a clear error saying how to set one up.

    Raises:
        CommandError: no account, or the saved one is damaged.
    """
    try:
        account = load_account(account_file(context.locations.config_dir))
    except AccountError as error:
        raise _fail(str(error)) from None
    if account is None:
        raise _fail(
            "no e-mail account is set up. Run: composer account set --email ADDR "
            "--host HOST --port N --security starttls|ssl (or --preset NAME)"
        )
    return account


def keyring_advice(status: KeyringStatus) -> str:
    """What the user can do about a keyring problem, for the command line."""
    if status.state is KeyringState.NO_BACKEND:
        return (
            "This computer has no keyring (password store) that Letter Composer can use, "
            "and the password is never written to a file. Install and start one (for "
            "example gnome-keyring, or KWallet), or send from the window, which asks for "
            "the password and keeps it in memory only."
        )
    return status.message


def read_password(prompt: str, stdin: TextIO | None = None) -> str:
    """A password from the terminal (asked twice), or the first line of stdin otherwise.

    Raises:
        CommandError: empty, or the two typed passwords differ.
    """
    stream = stdin if stdin is not None else sys.stdin
    if stream.isatty():
        first = getpass.getpass(prompt)
        again = getpass.getpass("Again, to be sure: ")
        if first != again:
            raise _fail("the two passwords differ; nothing was stored.")
        password = first
    else:
        password = stream.readline().removesuffix("\n").removesuffix("\r")
    if not password:
        raise _fail("the password is empty; nothing was stored.")
    return password


def session_password(
    account: Account, context: CommandContext, source: PasswordSource | None = None
) -> tuple[Credential | None, str]:
    """The account's password for one run: keyring, else asked on a terminal (kept in memory).

    For an account that signs in through the browser, its OAuth2 token source
    (which reads the sign-in from the keyring when it first needs it).

    Returns the credential (or None) and a note explaining why there is none ("" if found).
    """
    if account.oauth is not None:
        return TokenSource(account, KeyringCredentials()), ""
    source = source or PasswordSource(KeyringCredentials(), SessionPasswords())
    found = source.lookup(account.keyring_key)
    if found.password:
        return found.password, ""
    if sys.stdin.isatty():
        if found.keyring is not None:
            context.note(keyring_advice(found.keyring))
        typed = getpass.getpass(f"Password for {account.login_name} at {account.host}: ")
        if typed:
            source.session.store(account.keyring_key, typed)
            return typed, ""
    if found.keyring is not None:
        return None, keyring_advice(found.keyring)
    return None, "No password is stored for this account: run “composer account password”."


def run_set(args: argparse.Namespace, context: CommandContext) -> int:
    """Create or change the account; fields not given keep their saved value."""
    path = account_file(context.locations.config_dir)
    try:
        existing = load_account(path)
    except AccountError:
        existing = None  # a damaged file is replaced by what is given now
    preset = None
    if args.preset:
        try:
            preset = find_preset(args.preset)
        except AccountError as error:
            raise _fail(str(error), 2) from None
    elif args.email and existing is None and not args.host:
        preset = preset_for_address(args.email)
    base = existing or Account(display_name="", email="", host="", port=0)
    if preset is not None:
        wanted = None if args.auth is None else args.auth == AUTH_OAUTH2
        if wanted is None and existing is not None and existing.host == preset.host:
            # Choosing the provider again keeps the way of signing in already set up.
            wanted = existing.oauth is not None
        base = preset.apply(base, oauth=wanted)
    base = _with_sign_in(base, args)
    if not base.display_name and not args.name:
        from composer.core.profile import load_saved_sender

        sender = load_saved_sender(context.locations.profile_file)
        if sender is not None:
            base = dataclasses.replace(base, display_name=sender.name)
    changes = {
        "email": args.email,
        "host": args.host,
        "port": args.port,
        "security": args.security,
        "username": args.user,
        "display_name": args.name,
        "certificate_file": args.certificate,
    }
    account = dataclasses.replace(base, **{k: v for k, v in changes.items() if v is not None})
    missing = [
        flag
        for flag, value in (
            ("--email", account.email),
            ("--host", account.host),
            ("--port", account.port),
        )
        if not value
    ]
    if missing:
        raise _fail(f"missing {', '.join(missing)} (or use --preset NAME for a known provider).", 2)
    try:
        saved = save_account(path, account)
    except AccountError as error:
        raise _fail(str(error), 2) from None
    except StorageError as error:
        raise _fail(str(error)) from None
    context.say(f"Saved the account: {_describe(saved)}.")
    if preset is not None:
        context.say(f"{preset.name}: {preset.notes}")
    if existing is not None and _move_secret(existing, saved, context):
        return EXIT_OK
    if saved.oauth is not None:
        context.say(
            f"Now sign in with {provider_name(saved.oauth)} through your browser: "
            "composer account signin"
        )
    elif saved.needs_login:
        context.say("Now store the password in the keyring: composer account password")
    return EXIT_OK


def _with_sign_in(account: Account, args: argparse.Namespace) -> Account:
    """The account with the way of signing in the options ask for.

    Raises:
        CommandError: OAuth2 options without a provider to use them with.
    """
    if args.auth == AUTH_PASSWORD:
        return dataclasses.replace(account, oauth=None)
    changes = {
        "client_id": args.client_id,
        "client_secret": args.client_secret,
        "authorize_url": args.authorize_url,
        "token_url": args.token_url,
        "scope": args.scope,
    }
    given = {name: value for name, value in changes.items() if value is not None}
    settings = account.oauth
    if args.oauth_provider is not None and (
        settings is None or settings.provider != args.oauth_provider
    ):
        settings = OAuthSettings(args.oauth_provider)
    if settings is None and (args.auth == AUTH_OAUTH2 or given):
        raise _fail(
            "choose whose sign-in page to use: --oauth-provider google|microsoft|custom "
            "(or --preset NAME).",
            2,
        )
    if settings is not None:
        settings = dataclasses.replace(settings, **given)
    return dataclasses.replace(account, oauth=settings)


def _move_secret(old: Account, new: Account, context: CommandContext) -> bool:
    """Move the stored secret to the account's new keyring entry; True if one was moved.

    A secret of the other kind (a password when the account now signs in through
    the browser, or a sign-in when it now uses a password) is removed instead: it
    must never be sent as the other.
    """
    same_kind = old.auth == new.auth
    if same_kind and old.keyring_key == new.keyring_key:
        return False
    credentials = KeyringCredentials()
    try:
        if not same_kind:
            removed = credentials.forget_all(
                tuple(dict.fromkeys((old.keyring_key, new.keyring_key)))
            )
            if removed:
                what = "password" if old.oauth is None else "sign-in"
                context.say(
                    f"The stored {what} was removed: this account now signs in another way."
                )
            return False
        moved = credentials.move(old.keyring_key, new.keyring_key)
    except CredentialError as error:
        context.note(
            "The stored password could not be moved to the new settings. "
            f"{keyring_advice(error.status)}"
        )
        return False
    if moved:
        what = "sign-in" if new.oauth is not None else "password"
        context.say(f"The stored {what} now goes with the new settings.")
    return moved


_SHORT_SECURITY = {
    "ssl": "SSL/TLS",
    "starttls": "STARTTLS",
    "plain-localhost": "unencrypted, local",
}


def _describe(account: Account) -> str:
    sender = f"{account.display_name} <{account.email}>" if account.display_name else account.email
    return (
        f"{sender} via {account.host}:{account.port} "
        f"({_SHORT_SECURITY.get(account.security, account.security)}), "
        f"user {account.login_name}"
    )


def _password_state(account: Account) -> tuple[str, str]:
    credentials = KeyringCredentials()
    try:
        stored = credentials.get(account.keyring_key)
    except CredentialError as error:
        return error.status.state.value, keyring_advice(error.status)
    if account.oauth is not None:
        name = provider_name(account.oauth)
        if stored:
            return "signed-in", f"Signed in with {name}; the sign-in is kept in the system keyring."
        return "signed-out", f"Not signed in with {name} yet: run “composer account signin”."
    if stored:
        return "stored", "The password is stored in the system keyring."
    return "missing", "No password stored yet: run “composer account password”."


def run_show(args: argparse.Namespace, context: CommandContext) -> int:
    """Print the account (never the password) and whether its password is stored."""
    account = require_account(context)
    state, explanation = _password_state(account) if account.needs_login else ("unneeded", "")
    if args.json:
        document = dataclasses.asdict(account)
        document["login_name"] = account.login_name
        document["auth"] = account.auth
        document["password"] = state
        context.say(json.dumps(document, indent=2, ensure_ascii=False))
        return EXIT_OK
    context.say(f"From:      {account.display_name} <{account.email}>")
    context.say(f"Server:    {account.host}:{account.port}")
    context.say(f"Security:  {SECURITY_LABELS.get(account.security, account.security)}")
    context.say(f"User name: {account.login_name}")
    if account.certificate_file:
        context.say(f"Also trusts the certificate in {account.certificate_file}")
    if explanation:
        label = "Sign-in:  " if account.oauth is not None else "Password: "
        context.say(f"{label} {explanation}")
    return EXIT_OK


def run_password(args: argparse.Namespace, context: CommandContext) -> int:
    """Store the account's password in the keyring (stdin when not a terminal)."""
    account = require_account(context)
    if account.oauth is not None:
        raise _fail(
            f"this account signs in with {provider_name(account.oauth)} through the browser: "
            "run “composer account signin” (or “composer account set --auth password” "
            "to use an app password)."
        )
    credentials = KeyringCredentials()
    status = credentials.status()
    if not status.usable:
        raise _fail(f"the password cannot be stored. {keyring_advice(status)}")
    password = read_password(f"Password for {account.login_name} at {account.host}: ")
    try:
        credentials.store(account.keyring_key, password)
    except CredentialError as error:
        raise _fail(f"the password was not stored. {keyring_advice(error.status)}") from None
    context.say(f"Stored the password for {account.login_name} in the system keyring.")
    return EXIT_OK


def run_test(args: argparse.Namespace, context: CommandContext) -> int:
    """Connect, secure the connection and sign in; one line with the answer."""
    account = require_account(context)
    password, why = session_password(account, context) if account.needs_login else (None, "")
    if account.needs_login and password is None:
        raise _fail(f"cannot test the sign-in without a password. {why}")
    result = check_connection(account, password, timeout=args.timeout)
    if result.ok:
        context.say(result.message)
        return EXIT_OK
    raise _fail(result.message)


def run_forget(args: argparse.Namespace, context: CommandContext) -> int:
    """Remove every password and sign-in this program kept in the keyring."""
    try:
        account = load_account(account_file(context.locations.config_dir))
    except AccountError:
        account = None  # a damaged account file must not keep secrets in the keyring
    keys = (account.keyring_key,) if account is not None else ()
    try:
        removed = KeyringCredentials().forget_all(keys)
    except CredentialError as error:
        raise _fail(f"the keyring could not be changed. {keyring_advice(error.status)}") from None
    whose = f" for {account.login_name}" if account is not None else ""
    if removed == 1:
        context.say(f"Removed the password{whose} from the system keyring.")
    elif removed:
        context.say(
            f"Removed {removed} entries{whose} from the system keyring "
            "(some were kept under earlier server settings)."
        )
    else:
        context.say(f"No password{whose} was stored; nothing to remove.")
    return EXIT_OK


def run_signin(args: argparse.Namespace, context: CommandContext) -> int:
    """Sign in through the system browser and keep the sign-in in the keyring."""
    account = require_account(context)
    if account.oauth is None:
        raise _fail(
            "this account signs in with a password. To sign in through the browser, run: "
            "composer account set --auth oauth2 (with --preset gmail, outlook or "
            "microsoft365, or --oauth-provider)."
        )
    credentials = KeyringCredentials()
    status = credentials.status()
    if not status.usable:
        raise _fail(f"the sign-in cannot be kept. {keyring_advice(status)}")
    name = provider_name(account.oauth)

    def show_url(url: str) -> None:
        print(
            f"No browser could be opened. Open this address in a browser to sign in "
            f"with {name}:\n{url}",
            file=context.stdout,
            flush=True,
        )

    context.say(f"Opening your browser to sign in with {name} as {account.email}…")
    try:
        sign_in(account, credentials, show_url=show_url, timeout=args.timeout)
    except OAuthError as error:
        raise _fail(str(error)) from None
    context.say(
        f"Signed in with {name} as {account.login_name}; the sign-in is kept in the "
        "system keyring. Letters can be sent now."
    )
    return EXIT_OK
