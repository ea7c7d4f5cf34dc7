"""Where the program keeps its files: one object, handed to whoever needs it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

APP_NAME = "letter-composer"


@dataclass(frozen=True)
class Locations:
    """The folders for settings, user data (drafts, outbox, packs) and logs.

    Build it once with :meth:`default` (the platform's folders, which honour
    the XDG variables on Linux) and pass it on; tests build it from a
    temporary folder with :meth:`under`.
    """

    config_dir: Path
    data_dir: Path
    state_dir: Path
    cache_dir: Path

    @classmethod
    def default(cls) -> Locations:
        """The platform's standard folders for this application."""
        import platformdirs

        return cls(
            config_dir=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
            data_dir=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
            state_dir=Path(platformdirs.user_state_dir(APP_NAME, appauthor=False)),
            cache_dir=Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
        )

    @classmethod
    def under(cls, root: Path) -> Locations:
        """All four folders below one root (for tests and portable use)."""
        return cls(
            config_dir=root / "config",
            data_dir=root / "data",
            state_dir=root / "state",
            cache_dir=root / "cache",
        )

    @property
    def settings_file(self) -> Path:
        """The settings file (JSON, versioned)."""
        return self.config_dir / "settings.json"

    @property
    def profile_file(self) -> Path:
        """The sender profile (TOML, the same format ``--sender`` reads)."""
        return self.config_dir / "sender.toml"

    @property
    def database_file(self) -> Path:
        """The SQLite database holding drafts, the outbox and history."""
        return self.data_dir / "letters.sqlite3"

    @property
    def campaigns_dir(self) -> Path:
        """Where imported campaign packs live."""
        return self.data_dir / "campaigns"

    @property
    def directory_dir(self) -> Path:
        """Where the imported recipient directory is kept for offline use."""
        return self.data_dir / "directory"

    @property
    def log_file(self) -> Path:
        """The log file (errors and crash reports; never passwords)."""
        return self.state_dir / "composer.log"
