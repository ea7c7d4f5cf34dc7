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
    PRESETS,
    SECURITY_CHOICES,
    SECURITY_LABELS,
    Account,
    AccountError,
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
from composer.core.transport import DEFAULT_TIMEOUT, check_connection


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
    setting.set_defaults(handler=run_set)

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
) -> tuple[str | None, str]:
    """The account's password for one run: keyring, else asked on a terminal (kept in memory).

    Returns the password (or None) and a note explaining why there is none ("" if found).
    """
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
        base = preset.apply(base)
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
    if saved.needs_login:
        context.say("Now store the password in the keyring: composer account password")
    return EXIT_OK


def _move_secret(old: Account, new: Account, context: CommandContext) -> bool:
    """Move the stored secret to the account's new keyring entry; True if one was moved."""
    if old.keyring_key == new.keyring_key:
        return False
    try:
        moved = KeyringCredentials().move(old.keyring_key, new.keyring_key)
    except CredentialError as error:
        context.note(
            "The stored password could not be moved to the new settings. "
            f"{keyring_advice(error.status)}"
        )
        return False
    if moved:
        context.say("The stored password now goes with the new settings.")
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
        context.say(f"Password:  {explanation}")
    return EXIT_OK


def run_password(args: argparse.Namespace, context: CommandContext) -> int:
    """Store the account's password in the keyring (stdin when not a terminal)."""
    account = require_account(context)
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
