"""The argument picker shows when a campaign's facts were checked, and warns when that is old."""

from __future__ import annotations

import dataclasses
import datetime as dt

from pytestqt.qtbot import QtBot

from composer.core.campaigns import Campaign, find_campaign
from composer.gui.argument_picker import ArgumentPicker

REVIEWED = dt.date(2026, 12, 3)


def _picker(qtbot: QtBot) -> ArgumentPicker:
    picker = ArgumentPicker()
    qtbot.addWidget(picker)
    picker.show()
    qtbot.waitExposed(picker)
    return picker


def _bundled() -> Campaign:
    campaign = find_campaign("protect-russian-defectors")
    assert campaign.reviewed == REVIEWED
    return campaign


def test_a_fresh_review_is_shown_without_a_warning(qtbot: QtBot) -> None:
    picker = _picker(qtbot)
    campaign = _bundled()
    picker.set_campaign(campaign, list(campaign.default_arguments), today=REVIEWED)
    assert "Facts reviewed 2026-12-03" in picker.title.text()
    assert not picker.review.isVisible()


def test_a_review_over_a_year_old_is_flagged(qtbot: QtBot) -> None:
    picker = _picker(qtbot)
    campaign = _bundled()
    picker.set_campaign(campaign, [], today=REVIEWED + dt.timedelta(days=366))
    assert picker.review.isVisible()
    assert "last reviewed on 2026-12-03" in picker.review.text()
    assert "more than a year ago" in picker.review.text()
    # Back to a current pack: the warning goes away.
    picker.set_campaign(campaign, [], today=REVIEWED + dt.timedelta(days=365))
    assert not picker.review.isVisible()


def test_a_pack_without_a_review_date_is_flagged(qtbot: QtBot) -> None:
    picker = _picker(qtbot)
    undated = dataclasses.replace(_bundled(), reviewed=None)
    picker.set_campaign(undated, [], today=REVIEWED)
    assert picker.review.isVisible()
    assert "does not say when" in picker.review.text()
    assert "Facts reviewed" not in picker.title.text()


def test_each_argument_shows_how_current_its_facts_are(qtbot: QtBot) -> None:
    picker = _picker(qtbot)
    campaign = _bundled()
    picker.set_campaign(campaign, [], today=REVIEWED)
    argument = campaign.argument("refugee-ceiling-history")
    assert "facts as of 2026-12-03" in picker.details_html(argument)
    undated = dataclasses.replace(argument, facts_as_of=None)
    assert "facts as of" not in picker.details_html(undated)
