"""State names on pages in the reader's language; English in what goes to the offices."""

import re
from html import unescape

from django.test import Client

from urge.campaigns.models import Campaign
from urge.legislators.models import DataRelease
from urge.legislators.state_labels import ZH_HANT_STATE_NAMES, state_label
from urge.legislators.states import STATE_NAMES


def test_every_state_and_territory_has_a_traditional_chinese_name() -> None:
    assert set(ZH_HANT_STATE_NAMES) == set(STATE_NAMES)
    assert state_label("WA", "zh-hant") == "華盛頓州"
    assert state_label("WA", "en") == "Washington"
    assert state_label("ZZ", "zh-hant") == "ZZ"


def test_the_lookup_answer_in_chinese_names_the_place_in_chinese(
    client: Client, hketo: Campaign, release: DataRelease
) -> None:
    html = client.post("/zh-hant/", {"zip": "20500"}).content.decode()
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
    assert "華盛頓哥倫比亞特區" in text
    assert "District of Columbia" not in text
