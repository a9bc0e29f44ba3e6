"""Whether a campaign takes sign-ups: from the day it opens to the day it closes, both included."""

from datetime import date

from urge.campaigns.models import Campaign


def test_it_is_open_from_its_first_day_to_its_last() -> None:
    campaign = Campaign(opens_on=date(2026, 11, 21), closes_on=date(2027, 1, 3))
    assert not campaign.is_open(date(2026, 11, 20))
    assert campaign.is_open(date(2026, 11, 21))
    assert campaign.is_open(date(2027, 1, 3))
    assert not campaign.is_open(date(2027, 1, 4))


def test_it_stays_open_without_a_closing_day() -> None:
    campaign = Campaign(opens_on=date(2026, 11, 21), closes_on=None)
    assert campaign.is_open(date(2099, 1, 1))
