"""Every setting, declared once with its type and default, stored in one JSON file."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from composer.core.fileio import atomic_write_text

log = logging.getLogger(__name__)

SETTINGS_VERSION = 1
PAPER_CHOICES = ("auto", "letter", "a4")
CHANNEL_CHOICES = ("print", "email")
LANGUAGE_CHOICES = ("auto", "en", "ru", "uk")

# Countries whose offices use US Letter paper; everyone else uses A4.
LETTER_COUNTRIES = frozenset(
    {"US", "CA", "MX", "PH", "CL", "CO", "VE", "GT", "PR", "CR", "SV", "PA", "DO", "NI", "BZ"}
)


ZOOM_MIN = 50  # percent
ZOOM_MAX = 300
MAX_PANES = 8


@dataclass
class Settings:
    """The user's preferences. Unknown or ill-typed values fall back to the defaults."""

    paper: str = "auto"
    fold_marks: bool = True
    default_channel: str = "print"
    autosave_seconds: int = 3
    spell_language: str = "en_US"
    show_welcome: bool = True
    campaign: str = ""
    # On-screen size of the letter and of the preview, in percent (View ▸ Zoom).
    editor_zoom: int = 100
    preview_zoom: int = 100
    # The window as the user left it: Qt's saved geometry and state (base64), the
    # widths of the three panes in pixels, and the folder of the last file opened,
    # saved or exported.
    window_geometry: str = ""
    window_state: str = ""
    splitter_sizes: list[int] = field(default_factory=list)
    last_folder: str = ""
    # The interface's language: "auto" (the system's), "en", "ru" or "uk". Letters stay
    # in English whatever it is (composer.i18n).
    language: str = "auto"

    def validated(self) -> Settings:
        """Return a copy with every out-of-range value replaced by its default."""
        defaults = Settings()
        clean = dataclasses.replace(self)
        if clean.paper not in PAPER_CHOICES:
            clean.paper = defaults.paper
        if clean.default_channel not in CHANNEL_CHOICES:
            clean.default_channel = defaults.default_channel
        if not 1 <= clean.autosave_seconds <= 600:
            clean.autosave_seconds = defaults.autosave_seconds
        if not ZOOM_MIN <= clean.editor_zoom <= ZOOM_MAX:
            clean.editor_zoom = defaults.editor_zoom
        if not ZOOM_MIN <= clean.preview_zoom <= ZOOM_MAX:
            clean.preview_zoom = defaults.preview_zoom
        if clean.language not in LANGUAGE_CHOICES:
            clean.language = defaults.language
        if not _pane_sizes(clean.splitter_sizes):
            clean.splitter_sizes = defaults.splitter_sizes
        return clean


def _pane_sizes(sizes: list[int]) -> bool:
    """Whether `sizes` can be pane widths: a few whole numbers, none negative, not all 0."""
    whole = all(type(size) is int and 0 <= size <= 100_000 for size in sizes)
    return whole and len(sizes) <= MAX_PANES and sum(sizes) > 0


def load_settings(path: Path) -> Settings:
    """Read the settings file; a missing or damaged file gives the defaults (and a log line)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, ValueError) as error:
        log.warning("Settings file %s could not be read (%s); using defaults", path, error)
        return Settings()
    if not isinstance(raw, dict):
        return Settings()
    values = raw.get("settings", {})
    if not isinstance(values, dict):
        return Settings()
    kept: dict[str, object] = {}
    for spec in dataclasses.fields(Settings):
        value = values.get(spec.name)
        default = getattr(Settings(), spec.name)
        # bool is a subclass of int: compare exact types.
        if value is not None and type(value) is type(default):
            kept[spec.name] = value
    return Settings(**kept).validated()  # type: ignore[arg-type]


def save_settings(path: Path, settings: Settings) -> None:
    """Write the settings atomically, with the format version for later migrations."""
    document = {"version": SETTINGS_VERSION, "settings": dataclasses.asdict(settings.validated())}
    atomic_write_text(path, json.dumps(document, indent=2, sort_keys=True) + "\n")


def paper_for_locale(locale_name: str | None = None) -> str:
    """Pick "letter" or "a4" from a locale name such as ``en_US.UTF-8`` or ``de-DE``."""
    if locale_name is None:
        locale_name = (
            os.environ.get("LC_PAPER") or os.environ.get("LC_ALL") or os.environ.get("LANG", "")
        )
    base = locale_name.split(".")[0].split("@")[0].replace("-", "_")
    parts = base.split("_")
    if len(parts) < 2 or not parts[1]:
        return "letter"
    return "letter" if parts[1].upper() in LETTER_COUNTRIES else "a4"


def effective_paper(settings: Settings, locale_name: str | None = None) -> str:
    """The paper size to use: the user's choice, or the locale's when set to auto."""
    return paper_for_locale(locale_name) if settings.paper == "auto" else settings.paper
