"""A real Secret Service for tests: a private D-Bus session bus with gnome-keyring on it.

Nothing touches the user's own bus or keyring: the bus listens on a socket in
a temporary folder, and gnome-keyring keeps its files under a temporary HOME.
The login keyring is created and unlocked with a test password, so no prompt
is ever shown.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

UNLOCK_PASSWORD = "keyring-unlock-for-tests"


class KeyringSessionUnavailable(RuntimeError):
    """dbus-daemon or gnome-keyring-daemon is missing or would not start."""


@dataclass
class KeyringSession:
    """A running private bus + gnome-keyring.

    Attributes:
        address: the bus address (for ``DBUS_SESSION_BUS_ADDRESS``).
        home: the temporary HOME where gnome-keyring keeps its files.
    """

    address: str
    home: Path
    _processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def keyring_dir(self) -> Path:
        """Where gnome-keyring writes its (encrypted) keyring files."""
        return self.home / ".local" / "share" / "keyrings"

    def stop(self) -> None:
        """Stop gnome-keyring, then the bus; waits for both to exit."""
        for process in reversed(self._processes):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(5)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(5)
            for stream in (process.stdout, process.stderr, process.stdin):
                if stream is not None:
                    stream.close()
        self._processes.clear()


def _service_ready(address: str) -> bool:
    from jeepney import DBusAddress, new_method_call
    from jeepney.io.blocking import open_dbus_connection

    bus = DBusAddress(
        "/org/freedesktop/DBus", bus_name="org.freedesktop.DBus", interface="org.freedesktop.DBus"
    )
    try:
        with open_dbus_connection(address) as connection:
            reply = connection.send_and_get_reply(
                new_method_call(bus, "NameHasOwner", "s", ("org.freedesktop.secrets",)), timeout=2
            )
    except (OSError, ConnectionError, TimeoutError):
        return False
    return bool(reply.body[0])


def start_keyring_session(root: Path, timeout: float = 10.0) -> KeyringSession:
    """Start a private bus and an unlocked gnome-keyring below `root`.

    Raises:
        KeyringSessionUnavailable: the programs are missing or did not come up in time.
    """
    dbus = shutil.which("dbus-daemon")
    keyring_daemon = shutil.which("gnome-keyring-daemon")
    if dbus is None or keyring_daemon is None:
        raise KeyringSessionUnavailable(
            "dbus-daemon and gnome-keyring-daemon are needed (Debian: apt-get install dbus gnome-keyring)"
        )
    home = root / "home"
    runtime = root / "run"
    for folder in (home, runtime):
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o700)
    address = f"unix:path={root / 'bus'}"
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_RUNTIME_DIR": str(runtime),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "LANG": "C.UTF-8",
    }
    session = KeyringSession(address=address, home=home)
    bus = subprocess.Popen(
        [dbus, "--session", "--nofork", "--nopidfile", f"--address={address}"],
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    session._processes.append(bus)
    try:
        deadline = time.monotonic() + timeout
        while not (root / "bus").exists():
            if bus.poll() is not None or time.monotonic() > deadline:
                raise KeyringSessionUnavailable("the private D-Bus daemon did not start")
            time.sleep(0.02)
        daemon = subprocess.Popen(
            [keyring_daemon, "--unlock", "--components=secrets", "--foreground"],
            env={**environment, "DBUS_SESSION_BUS_ADDRESS": address},
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        session._processes.append(daemon)
        assert daemon.stdin is not None
        # --unlock reads the login keyring's password from stdin, up to end of file.
        daemon.stdin.write(UNLOCK_PASSWORD.encode())
        daemon.stdin.close()
        while not _service_ready(address):
            if daemon.poll() is not None or time.monotonic() > deadline:
                raise KeyringSessionUnavailable("gnome-keyring-daemon did not come up on the bus")
            time.sleep(0.05)
    except BaseException:
        session.stop()
        raise
    return session


def delete_items(session: KeyringSession, service: str) -> None:
    """Remove every item filed under `service` (so each test starts empty)."""
    import secretstorage

    connection = secretstorage.dbus_init()
    try:
        collection = secretstorage.get_default_collection(connection)
        for item in collection.search_items({"service": service}):
            item.delete()
    finally:
        connection.close()


def lock_default_collection(session: KeyringSession) -> None:
    """Lock the login keyring, as a screen lock or a fresh login would."""
    import secretstorage

    connection = secretstorage.dbus_init()
    try:
        secretstorage.get_default_collection(connection).lock()
    finally:
        connection.close()


def collect_leaked_connections() -> None:
    """Collect D-Bus connections the keyring library leaves open when a keyring is locked.

    keyring's SecretService backend opens a connection and raises
    ``KeyringLocked`` (or an init error) without closing it; the socket is
    only closed by the garbage collector, which warns. Tests that provoke
    those paths call this so the warning does not surface in a later test.
    """
    import gc
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()
