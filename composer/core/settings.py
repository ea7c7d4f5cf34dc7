"""Every setting, declared once with its type and default, stored in one JSON file."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from composer.core.fileio import atomic_write_text
from composer.i18n import LANGUAGES, SYSTEM

log = logging.getLogger(__name__)

SETTINGS_VERSION = 1
PAPER_CHOICES = ("auto", "letter", "a4")
CHANNEL_CHOICES = ("print", "email")
LANGUAGE_CHOICES = (SYSTEM, *LANGUAGES)  # "auto", then every language the interface speaks

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
    # A combined PDF of letters to several officials is printed on both sides: a blank
    # page follows each letter with an odd page count (File ▸ Export PDF remembers it).
    merge_duplex: bool = True

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


# Country names (as people type them in the profile, in lower case) of the countries
# that use US Letter; any other country given uses A4.
_LETTER_COUNTRY_NAMES = frozenset(
    {
        "us", "usa", "u.s.", "u.s.a.", "united states", "united states of america", "america",
        "сша", "соединённые штаты", "соединенные штаты", "сполучені штати",
        "canada", "канада", "mexico", "méxico", "мексика", "philippines",
        "chile", "colombia", "venezuela", "guatemala", "puerto rico", "costa rica",
        "el salvador", "panama", "panamá", "dominican republic", "república dominicana",
        "nicaragua", "belize",
    }
)  # fmt: skip


def paper_for_country(country: str) -> str | None:
    """ "letter" or "a4" for a country as typed in the sender profile (a name or a
    two-letter code); None when no country is given."""
    name = " ".join(country.split()).lower()
    if not name:
        return None
    if name in _LETTER_COUNTRY_NAMES or name.upper() in LETTER_COUNTRIES:
        return "letter"
    return "a4"


def auto_paper(country: str = "", lc_paper: str | None = None) -> tuple[str, str]:
    """The paper "auto" stands for, and where it comes from.

    The sender's country decides (US Letter in the United States, Canada, Mexico and
    the other countries of :data:`LETTER_COUNTRIES`, A4 everywhere else); without a
    country, the system's paper setting (``LC_PAPER``); without that, US Letter. The
    interface's language never decides: a Russian interface may write from Ohio.

    Args:
        country: the country of the sender profile ("" when none is given).
        lc_paper: the paper locale; None reads ``LC_PAPER`` from the environment.

    Returns:
        The paper ("letter" or "a4") and its source: "country", "system" or "default".
    """
    by_country = paper_for_country(country)
    if by_country is not None:
        return by_country, "country"
    if lc_paper is None:
        lc_paper = os.environ.get("LC_PAPER", "")
    if lc_paper.strip() and lc_paper.strip() not in ("C", "POSIX"):
        return paper_for_locale(lc_paper.strip()), "system"
    return "letter", "default"


def effective_paper(settings: Settings, country: str = "", lc_paper: str | None = None) -> str:
    """The paper size to use: the user's choice, or :func:`auto_paper`'s when set to auto.

    Args:
        settings: the settings (their `paper`).
        country: the sender profile's country ("" when none is given).
        lc_paper: the paper locale; None reads ``LC_PAPER`` from the environment.
    """
    if settings.paper != "auto":
        return settings.paper
    return auto_paper(country, lc_paper)[0]
