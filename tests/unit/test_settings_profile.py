"""Settings and the sender profile survive a round trip; damaged files give defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from composer.core.locations import Locations
from composer.core.models import Sender
from composer.core.profile import ProfileError, load_saved_sender, load_sender, save_sender
from composer.core.settings import (
    Settings,
    auto_paper,
    effective_paper,
    load_settings,
    paper_for_country,
    paper_for_locale,
    save_settings,
)


def test_settings_round_trip(locations: Locations) -> None:
    settings = Settings(paper="a4", fold_marks=False, autosave_seconds=10)
    save_settings(locations.settings_file, settings)
    assert load_settings(locations.settings_file) == settings


def test_damaged_or_ill_typed_settings_fall_back(locations: Locations) -> None:
    locations.config_dir.mkdir(parents=True)
    locations.settings_file.write_text("{not json", encoding="utf-8")
    assert load_settings(locations.settings_file) == Settings()
    locations.settings_file.write_text(
        '{"version": 1, "settings": {"paper": "tabloid", "fold_marks": 1, "autosave_seconds": 5}}',
        encoding="utf-8",
    )
    loaded = load_settings(locations.settings_file)
    assert (loaded.paper, loaded.fold_marks, loaded.autosave_seconds) == ("auto", True, 5)


def test_window_state_round_trip(locations: Locations) -> None:
    settings = Settings(
        window_geometry="AdnQywADAAA=",
        window_state="AAAA/wAAAAD9",
        splitter_sizes=[300, 420, 380],
        last_folder="/home/ana/Letters",
    )
    save_settings(locations.settings_file, settings)
    assert load_settings(locations.settings_file) == settings


@pytest.mark.parametrize(
    "sizes",
    ['"300,400"', '["a", 1]', "[-5, 400, 300]", "[true, 400, 300]", "[0, 0, 0]", "[1.5, 2]"],
)
def test_pane_sizes_that_are_not_widths_fall_back(locations: Locations, sizes: str) -> None:
    locations.config_dir.mkdir(parents=True)
    locations.settings_file.write_text(
        f'{{"version": 1, "settings": {{"splitter_sizes": {sizes}, "editor_zoom": 150}}}}',
        encoding="utf-8",
    )
    loaded = load_settings(locations.settings_file)
    assert (loaded.splitter_sizes, loaded.editor_zoom) == ([], 150)


@pytest.mark.parametrize(
    ("name", "paper"),
    [
        ("en_US.UTF-8", "letter"),
        ("de_DE.UTF-8", "a4"),
        ("fr-CA", "letter"),
        ("C", "letter"),
        ("en_GB", "a4"),
    ],
)
def test_paper_from_locale(name: str, paper: str) -> None:
    assert paper_for_locale(name) == paper


@pytest.mark.parametrize(
    ("country", "paper"),
    [
        ("USA", "letter"),
        ("United States", "letter"),
        ("us", "letter"),
        (" Canada ", "letter"),
        ("MX", "letter"),
        ("Mexico", "letter"),
        ("Germany", "a4"),
        ("Russia", "a4"),
        ("UA", "a4"),
        ("United Kingdom", "a4"),
        ("", None),
        ("   ", None),
    ],
)
def test_paper_from_the_profile_country(country: str, paper: str | None) -> None:
    assert paper_for_country(country) == paper


def test_automatic_paper_follows_the_country_then_lc_paper_then_letter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    auto = Settings(paper="auto")
    # The interface's language never decides: a Russian desktop writing from the US.
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    monkeypatch.setenv("LC_ALL", "ru_RU.UTF-8")
    monkeypatch.delenv("LC_PAPER", raising=False)
    assert effective_paper(auto, "USA") == "letter"
    assert effective_paper(auto, "") == "letter"
    assert auto_paper("") == ("letter", "default")
    # The country wins over the system's paper setting ...
    monkeypatch.setenv("LC_PAPER", "de_DE.UTF-8")
    assert auto_paper("United States") == ("letter", "country")
    assert auto_paper("Canada", "en_GB.UTF-8") == ("letter", "country")
    # ... which decides only when the profile names no country.
    assert auto_paper("") == ("a4", "system")
    assert effective_paper(auto, "") == "a4"
    assert effective_paper(auto, "Germany", lc_paper="en_US.UTF-8") == "a4"
    monkeypatch.setenv("LC_PAPER", "en_US.UTF-8")
    assert effective_paper(auto, "Ukraine") == "a4"
    assert effective_paper(auto, "") == "letter"
    # A size chosen by hand is kept whatever the country.
    assert effective_paper(Settings(paper="a4"), "USA") == "a4"
    assert effective_paper(Settings(paper="letter"), "Germany") == "letter"


@pytest.mark.parametrize(
    ("sender", "country"),
    [
        (Sender(state="WA", postal_code="98105"), "US"),  # a US address leaves the country empty
        (Sender(city="Berlin", postal_code="10115", country="Germany"), "Germany"),
        (Sender(name="Ana Ruiz"), ""),  # nothing to go by
    ],
)
def test_the_sender_writes_from_a_country(sender: Sender, country: str) -> None:
    assert sender.home_country() == country


def test_a_us_address_without_a_country_gets_letter_whatever_the_system_says() -> None:
    sender = Sender(street="1 Main St", city="Seattle", state="WA", postal_code="98105")
    assert effective_paper(Settings(), sender.home_country(), lc_paper="de_DE.UTF-8") == "letter"
    assert effective_paper(Settings(), sender.country, lc_paper="de_DE.UTF-8") == "a4"


def test_profile_round_trip(locations: Locations) -> None:
    sender = Sender(
        name="Ana Ruiz",
        street="12 Elm St\nApt 3",
        city="Seattle",
        state="WA",
        postal_code="98105",
        email="ana@example.org",
        phone="+1 206 555 0100",
    )
    save_sender(locations.profile_file, sender)
    assert load_sender(locations.profile_file) == sender


def test_profile_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "sender.toml"
    bad.write_text("name = ", encoding="utf-8")
    with pytest.raises(ProfileError, match=r"sender\.toml: not valid TOML"):
        load_sender(bad)
    with pytest.raises(ProfileError, match="no such sender file"):
        load_sender(tmp_path / "missing.toml")
    assert load_saved_sender(bad) is None
