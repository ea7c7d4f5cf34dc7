"""The letter model: addresses, greetings and dates as a letter prints them."""

from __future__ import annotations

import datetime as dt

from composer.core.models import Sender, custom_recipient, format_date, white_house


def test_sender_block_skips_empty_fields() -> None:
    sender = Sender(
        name="Ana Ruiz",
        street="12 Elm St\nApt 3",
        city="Seattle",
        state="WA",
        postal_code="98105",
        email="ana@example.org",
    )
    assert sender.block_lines() == [
        "Ana Ruiz",
        "12 Elm St",
        "Apt 3",
        "Seattle, WA 98105",
        "ana@example.org",
    ]
    assert Sender(name="Bo").block_lines() == ["Bo"]


def test_sender_missing_for_post_names_fields() -> None:
    assert Sender(name="Ana").missing_for_post() == ["street", "city"]
    assert Sender(name="A", street="1 B St", city="C").missing_for_post() == []


def test_sender_round_trip_ignores_unknown_and_non_text() -> None:
    sender = Sender(name="Ana", city="Seattle")
    data = {**sender.as_dict(), "unknown": "x", "phone": 5}
    assert Sender.from_dict(data) == Sender(name="Ana", city="Seattle")


def test_white_house_form() -> None:
    president = white_house()
    assert president.salutation == "Dear Mr. President:"
    assert president.address_lines[-2:] == ("1600 Pennsylvania Avenue NW", "Washington, DC 20500")


def test_custom_recipient_puts_name_first_and_makes_a_greeting() -> None:
    recipient = custom_recipient("Mayor Jane Doe", "City Hall\n600 4th Ave\nSeattle, WA 98104")
    assert recipient.address_lines[0] == "Mayor Jane Doe"
    assert recipient.salutation == "Dear Mayor Jane Doe:"
    assert custom_recipient("", "").salutation == "Dear Sir or Madam:"
    assert custom_recipient("X", "X\nY", "Hello:").address_lines == ("X", "Y")


def test_dates_follow_the_language() -> None:
    day = dt.date(2026, 3, 5)
    assert format_date(day, "en-US") == "March 5, 2026"
    assert format_date(day, "en-GB") == "5 March 2026"
