"""Where the bill stands on the campaign page: Congress.gov's latest action once `urge track`
has read it, else the organisers' own words, and the page says which, in both languages."""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone, translation
from django.utils.formats import date_format

from tests.congress_answers import SECRET_KEY, serve_both_bills
from tests.httpserver import LocalServer
from urge.bills.models import TrackedBill
from urge.campaigns.models import Campaign
from urge.legislators.models import DataRelease


def today() -> str:
    """Today as the English page writes dates."""
    with translation.override("en"):
        return date_format(timezone.localdate(), "DATE_FORMAT")


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as running:
        serve_both_bills(running)
        yield running


def track(server: LocalServer, *args: str) -> None:
    with override_settings(URGE_CONGRESS_API_KEY=SECRET_KEY, URGE_CONGRESS_API_URL=server.base_url):
        call_command("track", *args, stdout=io.StringIO())


def status_box(client: Client, url: str) -> str:
    html = client.get(url).content.decode()
    return re.split(r'<div class="status[^"]*">', html, maxsplit=1)[1].split("</div>", 1)[0]


def test_it_shows_the_organisers_words_and_says_so(client: Client, hketo: Campaign) -> None:
    box = status_box(client, "/")
    assert "Introduced in the House on April 7, 2025" in box
    assert "As of April 7, 2025, as written by the organisers" in box
    assert "Latest action" not in box

    box = status_box(client, "/zh-hant/")
    assert "2025年4月7日在眾議院提出" in box
    assert "由主辦團體撰寫" in box


def test_it_shows_each_tracked_bills_latest_action_once_read(
    client: Client, hketo: Campaign, server: LocalServer
) -> None:
    track(server, "--campaign", "hketo", "--add", "119/hr/2661", "--add", "119/s/900")
    # Chosen but not yet read: still the organisers' words.
    assert "as written by the organisers" in status_box(client, "/")

    track(server, "--commit")

    box = status_box(client, "/")
    assert (
        '<a href="https://www.congress.gov/bill/119th-congress/senate-bill/900">S. 900</a>: '
        'Latest action on June 12, 2025: <span lang="en">Committee on Foreign Relations. '
        f"Ordered to be reported without amendment favorably.</span> (checked {today()})"
    ) in box
    assert "H.R. 2661</a>: Latest action on April 7, 2025: " in box
    assert box.index("H.R. 2661") < box.index("S. 900")  # in the order they were added
    assert "From the record on Congress.gov, which this site reads every day." in box
    assert "as written by the organisers" not in box

    box = status_box(client, "/zh-hant/")
    assert "S. 900</a>: 最新進展（2025年6月12日）：" in box  # noqa: RUF001
    assert '<span lang="en">Committee on Foreign Relations.' in box
    assert "（本站於" in box  # noqa: RUF001
    assert "Congress.gov 的官方紀錄" in box


def test_a_later_check_shows_at_once(client: Client, hketo: Campaign, server: LocalServer) -> None:
    track(server, "--campaign", "hketo", "--add", "119/s/900")
    track(server, "--commit")
    assert "June 12, 2025" in status_box(client, "/")
    bill = TrackedBill.objects.get(campaign=hketo)
    # As a later check would: a new action, saved through the model like the tracker saves.
    bill.latest_action_date = datetime.date(2025, 7, 30)
    bill.latest_action_text = "Placed on Senate Legislative Calendar under General Orders."
    bill.save()

    assert "Latest action on July 30, 2025" in status_box(client, "/")


def test_the_action_page_says_where_the_bill_stands_as_the_campaign_page_does(
    client: Client, hketo: Campaign, server: LocalServer, release: DataRelease
) -> None:
    act = "/c/hketo/act/?t=S000001"
    box = status_box(client, act)
    assert "Introduced in the House on April 7, 2025" in box
    assert "As of April 7, 2025, as written by the organisers" in box
    assert "由主辦團體撰寫" in status_box(client, "/zh-hant" + act)

    track(server, "--campaign", "hketo", "--add", "119/hr/2661")
    track(server, "--commit")

    box = status_box(client, act)
    assert "H.R. 2661</a>: Latest action on April 7, 2025: " in box
    assert f"(checked {today()})" in box
    assert "as written by the organisers" not in box
    assert box == status_box(client, "/")  # the very words of the campaign page
    chinese = status_box(client, "/zh-hant" + act)
    assert "H.R. 2661</a>: 最新進展（2025年4月7日）：" in chinese  # noqa: RUF001
    assert chinese == status_box(client, "/zh-hant/")
