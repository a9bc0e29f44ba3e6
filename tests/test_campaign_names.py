"""A campaign's title and a co-host's name in a language: the one fallback rule."""

from urge.campaigns.models import Campaign
from urge.campaigns.names import campaign_title, cohost_name, cohost_names

ENGLISH = "Bring the HKETO Certification Act to a vote in the Senate"
CHINESE = "促請參議院表決《香港經濟貿易辦事處認證法案》"


def test_it_gives_the_title_in_the_language_asked_for(hketo: Campaign) -> None:
    assert campaign_title(hketo, "en") == ENGLISH
    assert campaign_title(hketo, "zh-hant") == CHINESE


def test_it_falls_back_to_the_sites_language_then_any_then_the_slug(hketo: Campaign) -> None:
    assert campaign_title(hketo, "fr") == ENGLISH
    hketo.texts.filter(language="en").delete()
    assert campaign_title(hketo, "fr") == CHINESE
    hketo.texts.all().delete()
    assert campaign_title(hketo, "fr") == "hketo"


def test_it_names_a_cohost_by_the_same_rule(hketo: Campaign) -> None:
    cohost = hketo.cohosts.get(slug="hkdc")
    assert cohost_name(cohost, "zh-hant") == "香港民主委員會"
    assert cohost_name(cohost, "fr") == "Hong Kong Democracy Council"
    cohost.names.filter(language="en").delete()
    assert cohost_name(cohost, "fr") == "香港民主委員會"
    cohost.names.all().delete()
    assert cohost_name(cohost, "en") == "hkdc"


def test_it_lists_every_cohosts_name_in_position_order(hketo: Campaign) -> None:
    assert cohost_names(hketo, "zh-hant") == {
        "dc4hk": "DC4HK",
        "fight-for-freedom": "重光團隊",
        "hkdc": "香港民主委員會",
        "cfhk": "香港自由委員會基金會",
    }
    assert list(cohost_names(hketo, "en")) == ["dc4hk", "fight-for-freedom", "hkdc", "cfhk"]
