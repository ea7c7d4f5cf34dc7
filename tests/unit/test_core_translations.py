"""The core's messages speak the interface's language; letters stay in English.

Real failures of the Qt-free core (a malformed sender profile, a broken
campaign pack, a file that is not a letter, a wrong account, a server that
refuses) give their message in Russian or Ukrainian once that language is
installed. A letter rendered from the bundled campaign, its e-mail and its
envelope address are the same bytes whatever the interface speaks.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from composer import i18n
from composer.core.accounts import SECURITY_STARTTLS, Account, AccountError
from composer.core.address import fitted_address, shortened_forms
from composer.core.campaigns import CampaignError, bundled_campaign_roots, find_campaign
from composer.core.compose import routed_letter
from composer.core.directory import Official, secretary_of_homeland_security
from composer.core.letterfile import LetterFileError, read_letter_file
from composer.core.mail import build_letter_messages, parse_address, read_message
from composer.core.models import Recipient, Sender, custom_recipient, white_house
from composer.core.packs import PackError, check_pack, import_pack
from composer.core.postal import delivery_lines
from composer.core.profile import ProfileError, checked_sender, load_sender
from composer.core.render import Renderer
from composer.core.transport import classify_error

CAMPAIGN_ID = "protect-russian-defectors"


@pytest.fixture
def speak() -> Iterator[object]:
    """Install a language for one test; English again afterwards, whatever happens."""
    yield i18n.install
    i18n.install("en")


# --- messages in the interface's language -------------------------------------------------

# (language, words the message must hold) for each failure below.
PROFILE = {
    "ru": ("Штат", "— не штат США", "Почтовый индекс", "— не номер телефона"),
    "uk": ("Штат", "— не штат США", "Поштовий індекс", "— не номер телефону"),
}


@pytest.mark.parametrize("language", ["ru", "uk"])
def test_a_malformed_sender_profile_is_explained_in_the_interface_language(
    speak, language: str
) -> None:
    assert speak(language) == language
    state, not_a_state, zip_label, not_a_phone = PROFILE[language]
    _tidy, problems = checked_sender(
        Sender(name="Ana", state="Narnia", postal_code="12", email="ana@", phone="call me")
    )
    shown = {problem.field: problem for problem in problems}
    assert set(shown) == {"state", "postal_code", "email", "phone"}
    assert shown["state"].label == state
    assert str(shown["state"]).startswith(f"{state}: «Narnia» {not_a_state}")
    assert shown["postal_code"].label == zip_label
    assert not_a_phone in shown["phone"].message
    # The address check in the mail module speaks the same language.
    assert "ana@" in shown["email"].message
    assert "@" in shown["email"].message and "address" not in shown["email"].message
    # English again once English is installed again.
    speak("en")
    _tidy, problems = checked_sender(Sender(phone="call me"))
    assert problems[0].label == "Phone"
    assert problems[0].message.startswith("“call me” is not a phone number.")


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ru", "недопустимый TOML"), ("uk", "неприпустимий TOML")],
    ids=["ru", "uk"],
)
def test_a_broken_sender_file_is_explained_in_the_interface_language(
    speak, tmp_path: Path, language: str, expected: str
) -> None:
    path = tmp_path / "sender.toml"
    path.write_text("name = 'Ana\n", encoding="utf-8")
    speak(language)
    with pytest.raises(ProfileError) as caught:
        load_sender(path)
    assert str(caught.value).startswith(f"{path}: {expected}: ")


def _broken_pack(tmp_path: Path) -> Path:
    """The bundled campaign copied, with an id no pack may have and a theme it lacks."""
    [bundled] = [root for root in bundled_campaign_roots() if root.name == CAMPAIGN_ID]
    pack = tmp_path / "pack"
    shutil.copytree(Path(str(bundled)), pack)
    toml = pack / "campaign.toml"
    text = toml.read_text(encoding="utf-8")
    assert f'id = "{CAMPAIGN_ID}"' in text
    toml.write_text(text.replace(f'id = "{CAMPAIGN_ID}"', 'id = "Not An Id!"', 1), "utf-8")
    return pack


@pytest.mark.parametrize(
    ("language", "expected", "missing"),
    [
        (
            "ru",
            "'Not An Id!' — недопустимый идентификатор: используйте строчные латинские буквы",
            "такого файла или папки нет",
        ),
        (
            "uk",
            "'Not An Id!' — неприпустимий ідентифікатор: використовуйте малі латинські літери",
            "такого файлу чи теки немає",
        ),
    ],
    ids=["ru", "uk"],
)
def test_a_broken_campaign_pack_is_explained_in_the_interface_language(
    speak, tmp_path: Path, language: str, expected: str, missing: str
) -> None:
    pack = _broken_pack(tmp_path)
    speak(language)
    campaign, problems = check_pack(pack)
    assert campaign is None
    assert [p.field for p in problems] == ["id"]
    assert problems[0].message.startswith(expected)
    with pytest.raises(CampaignError) as refused:
        import_pack(pack, tmp_path / "campaigns")
    assert expected in str(refused.value)
    assert not (tmp_path / "campaigns" / "Not An Id!").exists()
    with pytest.raises(PackError) as caught:
        check_pack(tmp_path / "nowhere")
    assert str(caught.value) == f"{tmp_path / 'nowhere'}: {missing}"


@pytest.mark.parametrize(
    ("language", "not_json", "newer"),
    [
        ("ru", "это не файл письма (недопустимый JSON)", "записан более новой версией"),
        ("uk", "це не файл листа (неприпустимий JSON)", "записано новішою версією"),
    ],
    ids=["ru", "uk"],
)
def test_a_wrong_letter_file_is_explained_in_the_interface_language(
    speak, tmp_path: Path, language: str, not_json: str, newer: str
) -> None:
    damaged = tmp_path / "damaged.letter"
    damaged.write_text("{ this is not JSON", encoding="utf-8")
    future = tmp_path / "future.letter"
    future.write_text(
        '{"format": "letter-composer-letter", "version": 99, "letter": {}}', encoding="utf-8"
    )
    speak(language)
    with pytest.raises(LetterFileError) as caught:
        read_letter_file(damaged)
    assert str(caught.value).startswith(f"damaged.letter: {not_json}")
    with pytest.raises(LetterFileError) as caught:
        read_letter_file(future)
    assert newer in str(caught.value) and "99" in str(caught.value)


@pytest.mark.parametrize(
    ("language", "port", "refused"),
    [
        ("ru", "Порт: 0 — не номер порта (1–65535).", "отклонил соединение"),
        ("uk", "Порт: 0 — не номер порту (1–65535).", "відхилив з'єднання"),
    ],
    ids=["ru", "uk"],
)
def test_account_and_server_failures_are_explained_in_the_interface_language(
    speak, language: str, port: str, refused: str
) -> None:
    account = Account(
        display_name="Ana", email="ana@example.org", host="smtp.example.org", port=0,
        security=SECURITY_STARTTLS,
    )  # fmt: skip
    speak(language)
    with pytest.raises(AccountError) as caught:
        account.validated()
    assert str(caught.value) == port
    failure = classify_error(ConnectionRefusedError(), account, "connect")
    assert refused in failure.message
    assert "smtp.example.org:0" in failure.message


# --- letters stay in English ---------------------------------------------------------------


def _recipients() -> list[Recipient]:
    senator = Recipient(
        id="S000001",
        name="Sen. Pat Sample",
        title="Senator",
        salutation="Dear Senator Sample:",
        address_lines=("Sen. Pat Sample", "1 Senate Office Building", "Washington, DC 20510"),
        kind="senator",
        email="senator@example.org",
        state="IL",
    )
    return [
        white_house(),
        secretary_of_homeland_security().recipient(),
        senator,
        custom_recipient("Mayor Lee Park", "City Hall\n100 Main Street\nSpringfield, IL 62701"),
        custom_recipient("", "Office of the Clerk\n1 Court Square\nSpringfield, IL 62701"),
    ]


def _everything_a_letter_produces() -> list[object]:
    """Every copy of a letter from the bundled campaign: printed, e-mailed, addressed."""
    campaign = find_campaign(CAMPAIGN_ID)
    recipients = _recipients()
    sender = Sender(
        name="Ana Writer",
        street="12 Elm Street",
        city="Springfield",
        state="IL",
        postal_code="62704",
        email="ana@example.org",
        phone="(217) 555-0143",
    )
    letter = routed_letter(campaign, recipients, sender=sender, date=dt.date(2026, 3, 9))
    renderer = Renderer(campaign.templates)
    produced: list[object] = []
    emails = []
    for recipient in recipients:
        for template in (campaign.template, campaign.email_template):
            produced.append(renderer.render(letter, recipient, template))
        emails.append(renderer.render(letter, recipient, campaign.email_template))
        # The envelope: the address as printed, posted at home and from abroad, and shortened.
        produced.append(fitted_address(recipient.address_lines, lambda lines: len(lines) < 9))
        produced.append(shortened_forms(recipient.address_lines))
        produced.append(delivery_lines(recipient.address_lines, abroad=True))
    messages = build_letter_messages(
        emails,
        sender=parse_address("Ana Writer <ana@example.org>", "From"),
        to=[[parse_address("office@example.gov", "To")] for _ in emails],
        cc=[],
        copy_to_sender=True,
    )
    # Message-IDs, dates and MIME boundaries differ from run to run; nothing else may.
    for message in messages:
        content = read_message(message.raw)
        produced += [content.from_, content.to, content.cc, content.subject]
        produced += [content.text, content.html, message.envelope_to, message.subject]
    produced += [sender.block_lines(), sender.address_lines()]
    return produced


@pytest.mark.parametrize("language", ["ru", "uk"])
def test_a_letter_from_the_bundled_campaign_stays_english(speak, language: str) -> None:
    english = _everything_a_letter_produces()
    assert speak(language) == language
    # The interface does speak the language now…
    assert i18n._("Untitled letter") != "Untitled letter"
    # …and yet every letter, e-mail and address is exactly the English one.
    assert _everything_a_letter_produces() == english


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ru", "Сенатор Pat Sample: по данным справочника, срок полномочий истёк 03.01.2027"),
        ("uk", "Сенатор Pat Sample: за даними довідника, строк повноважень завершився 03.01.2027"),
    ],
    ids=["ru", "uk"],
)
def test_a_term_warning_names_the_office_and_the_date_in_the_interface_language(
    speak, language: str, expected: str
) -> None:
    senator = Official(
        id="S000001",
        kind="senator",
        name="Pat Sample",
        surname="Sample",
        title="United States Senator",
        salutation="Dear Senator Sample:",
        addressee="The Honorable Pat Sample",
        washington_heading=("United States Senate", "Washington, DC 20510"),
        term_end=dt.date(2027, 1, 3),
    )
    speak(language)
    warning = senator.term_warning(dt.date(2027, 1, 10))
    assert warning.startswith(expected)
    # The letter to the same senator is addressed as ever.
    recipient = senator.recipient()
    assert recipient.salutation == "Dear Senator Sample:"
    assert recipient.address_lines[0] == "The Honorable Pat Sample"
