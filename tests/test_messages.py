"""Message templates: checked at load, filled in for each target, never with a broken mention."""

import datetime
from pathlib import Path

import pytest

from tests.test_folder import edit, problems_in
from urge.actions.messages import Context, choose, keep_reach, mention, render_for_target
from urge.actions.targets import StanceInfo, Target
from urge.campaigns.folder import read_campaign_folder
from urge.campaigns.models import MessageTemplate
from urge.campaigns.placeholders import TemplateSyntaxProblem, fields_in, fill
from urge.legislators.records import LegislatorRecord

CONTEXT = Context(
    bill="HKETO Certification Act (H.R. 2661)",
    bill_number="H.R. 2661",
    campaign_url="https://urge.example.org/c/hketo/",
    supporter_state="Washington",
)


def senator(**changes: object) -> LegislatorRecord:
    fields: dict[str, object] = {
        "bioguide": "M001111",
        "chamber": "senate",
        "name": "Patty Murray",
        "first_name": "Patty",
        "last_name": "Murray",
        "party": "Democrat",
        "state": "WA",
        "district": None,
        "state_rank": "senior",
        "phone": "202-224-2621",
        "office_address": "154 Russell Senate Office Building Washington DC 20510",
        "contact_form": "https://www.murray.senate.gov/write-to-patty/",
        "website": "https://www.murray.senate.gov",
        "term_start": datetime.date(2023, 1, 3),
        "term_end": datetime.date(2029, 1, 3),
        "twitter": "PattyMurray",
        "facebook": "",
        "youtube": "",
        "instagram": "",
        "mastodon": "",
        "offices": (),
        "flags": (),
    }
    fields.update(changes)
    return LegislatorRecord(**fields)  # type: ignore[arg-type]


def template(
    channel: str = "post", text: str = "{target_mention} please act.", **fields: object
) -> MessageTemplate:
    fields.setdefault("key", "t")
    return MessageTemplate(channel=channel, position=1, text=text, **fields)


def test_it_lists_placeholders_and_refuses_formats_that_could_leak() -> None:
    assert fields_in("Dear {target_title} {target_last_name}, {{literal}}") == [
        "target_title",
        "target_last_name",
    ]
    for bad in ("{target_name!r}", "{target_name:>30}", "{unclosed", "stray }"):
        with pytest.raises(TemplateSyntaxProblem):
            fields_in(bad)
    assert fill("{target_name} {{x}}", {"target_name": "A"}) == "A {x}"


def test_the_example_campaign_has_templates_for_every_channel() -> None:
    spec = read_campaign_folder(Path(__file__).resolve().parent.parent / "campaigns" / "hketo")
    channels = {(t.channel, t.key) for t in spec.messages}
    assert {channel for channel, _key in channels} == {"post", "email", "call"}
    assert all(t.rendering.get("zh-hant", {}).get("text") for t in spec.messages)


def test_load_names_the_file_template_and_unknown_placeholder(campaign_folder: Path) -> None:
    edit(
        campaign_folder / "messages.yaml",
        "{target_mention}, the House",
        "{senator_name}, the House",
    )
    assert problems_in(campaign_folder) == [
        f"{campaign_folder}/messages.yaml: post[0] (ask-for-a-vote).text: "
        "unknown placeholder {senator_name}"
    ]


def test_load_refuses_a_template_with_a_stray_brace(campaign_folder: Path) -> None:
    edit(campaign_folder / "messages.yaml", "this time. {campaign_url}", "this time. {campaign_url")
    [problem] = problems_in(campaign_folder)
    assert "post[0] (ask-for-a-vote).text:" in problem


def test_load_checks_stances_and_missing_renderings(campaign_folder: Path) -> None:
    edit(campaign_folder / "messages.yaml", "stances: [cosponsor, supports-vote]", "stances: [fan]")
    problems = problems_in(campaign_folder)
    assert problems[0].endswith(
        "post[2] (thank-you).stances: must be a list of: "
        "cosponsor, supports-vote, undecided, opposes, unknown"
    )


def test_a_mention_uses_the_handle_on_that_platform_or_else_the_name() -> None:
    with_handle = Target(senator(), StanceInfo())
    without = Target(senator(twitter=""), StanceInfo())
    assert mention(with_handle, "x") == "@PattyMurray"
    assert mention(without, "x") == "Senator Patty Murray"
    assert (
        mention(with_handle, "bluesky") == "Senator Patty Murray"
    )  # no Bluesky handles in the data
    on_mastodon = Target(senator(mastodon="@patty@mastodon.example"), StanceInfo())
    assert mention(on_mastodon, "mastodon") == "@patty@mastodon.example"


def test_a_post_that_starts_with_a_mention_keeps_its_public_reach() -> None:
    assert keep_reach("@PattyMurray please act.") == ".@PattyMurray please act."
    assert keep_reach("Thank you @PattyMurray") == "Thank you @PattyMurray"
    target = Target(senator(), StanceInfo())
    assert render_for_target(template(), target, CONTEXT, "en", "x").text == (
        ".@PattyMurray please act."
    )
    no_handle = Target(senator(twitter=""), StanceInfo())
    assert render_for_target(template(), no_handle, CONTEXT, "en", "x").text == (
        "Senator Patty Murray please act."
    )


def test_messages_stay_english_with_a_rendering_for_the_page_language() -> None:
    letter = template(
        "email",
        "Dear {target_title} {target_last_name}, I live in {supporter_state}. {bill}",
        subject="About {bill_number}",
        rendering={"zh-hant": {"subject": "關於 {bill_number}", "text": "{target_last_name} 您好"}},
    )
    message = render_for_target(letter, Target(senator(), StanceInfo()), CONTEXT, "zh-hant")
    assert message.text == (
        "Dear Senator Murray, I live in Washington. HKETO Certification Act (H.R. 2661)"
    )
    assert message.subject == "About H.R. 2661"
    assert (message.rendering_subject, message.rendering_text) == ("關於 H.R. 2661", "Murray 您好")
    assert (
        render_for_target(letter, Target(senator(), StanceInfo()), CONTEXT, "en").rendering_text
        == ""
    )


def test_templates_are_chosen_by_stance_and_page_language() -> None:
    ask = template(key="ask", stances=["undecided", "unknown"])
    thank = template(key="thank", stances=["cosponsor"])
    chinese_only = template(key="zh", languages=["zh-hant"])
    every = [ask, thank, chinese_only]
    assert choose(every, "post", "unknown", "en") == [ask]
    assert choose(every, "post", "cosponsor", "en") == [thank]
    assert choose(every, "post", "cosponsor", "zh-hant") == [thank, chinese_only]
    assert choose(every, "email", "unknown", "en") == []


def test_a_mention_uses_an_organisers_bluesky_or_threads_handle() -> None:
    added = Target(senator(bluesky="pattymurray.bsky.social", threads="pattymurray"), StanceInfo())
    assert mention(added, "bluesky") == "@pattymurray.bsky.social"
    assert mention(added, "threads") == "@pattymurray"
    assert mention(
        Target(senator(mastodon="patty@mastodon.example"), StanceInfo()), "mastodon"
    ) == ("@patty@mastodon.example")


@pytest.mark.parametrize(
    ("platform", "odd"),
    [
        ("x", {"twitter": "Patty Murray"}),
        ("x", {"twitter": "https://x.com/PattyMurray"}),
        ("bluesky", {"bluesky": "pattymurray"}),
        ("threads", {"threads": "patty..murray"}),
        ("mastodon", {"mastodon": "@patty@"}),
    ],
)
def test_a_handle_that_is_not_valid_on_its_platform_is_never_mentioned(
    platform: str, odd: dict[str, str]
) -> None:
    assert mention(Target(senator(**odd), StanceInfo()), platform) == "Senator Patty Murray"


def test_the_example_posts_read_as_a_sentence_with_or_without_a_handle() -> None:
    """Issue 13: "Senator Patty Murray The House passed..." read as one broken sentence."""
    spec = read_campaign_folder(Path(__file__).resolve().parent.parent / "campaigns" / "hketo")
    [ask] = [t for t in spec.messages if t.channel == "post" and t.key == "ask-for-a-vote"]
    post = MessageTemplate(channel="post", key=ask.key, position=1, text=ask.text)
    named = render_for_target(post, Target(senator(twitter=""), StanceInfo()), CONTEXT, "en", "x")
    assert named.text.startswith("Senator Patty Murray, the House passed the HKETO")
    handled = render_for_target(post, Target(senator(), StanceInfo()), CONTEXT, "en", "x")
    assert handled.text.startswith(".@PattyMurray, the House passed the HKETO")
