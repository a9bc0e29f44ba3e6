"""What the action page shows for each target: posts per platform, the letter, the call."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from django.utils.translation import gettext_lazy as _

from urge.actions.lengths import LIMITS, post_length
from urge.actions.links import gmail_compose, is_safe_length, mailto, outlook_compose
from urge.actions.messages import PLATFORMS, Context, Message, choose, render_for_target
from urge.actions.targets import Target
from urge.campaigns.models import MessageTemplate

PLATFORM_NAMES = {"x": "X", "bluesky": "Bluesky", "threads": "Threads", "mastodon": "Mastodon"}


@dataclass(frozen=True)
class Post:
    platform: str
    name: str
    text: str
    length: int
    limit: int

    @property
    def fits(self) -> bool:
        return self.length <= self.limit


@dataclass(frozen=True)
class Phone:
    label: str
    number: str


@dataclass(frozen=True)
class Panel:
    target: Target
    post_variants: list[str] = field(default_factory=list)
    post_key: str = ""
    posts: list[Post] = field(default_factory=list)
    post_rendering: str = ""
    email_variants: list[str] = field(default_factory=list)
    email: Message | None = None
    compose_links: list[str] = field(default_factory=list)  # mailto, gmail, outlook: safe ones
    call_variants: list[str] = field(default_factory=list)
    call: Message | None = None
    phones: list[Phone] = field(default_factory=list)


def build_panel(
    target: Target,
    templates: Sequence[MessageTemplate],
    context: Context,
    language: str,
    chosen: Mapping[str, str],
) -> Panel:
    stance = target.stance.stance
    posts = choose(templates, MessageTemplate.POST, stance, language)
    emails = choose(templates, MessageTemplate.EMAIL, stance, language)
    calls = choose(templates, MessageTemplate.CALL, stance, language)
    post = _pick(posts, chosen.get("post", ""))
    email = _pick(emails, chosen.get("email", ""))
    call = _pick(calls, chosen.get("call", ""))
    panel = Panel(
        target=target,
        post_variants=[template.key for template in posts],
        email_variants=[template.key for template in emails],
        call_variants=[template.key for template in calls],
        phones=_phones(target),
    )
    if post is not None:
        rendered = {
            platform: render_for_target(post, target, context, language, platform)
            for platform in PLATFORMS
        }
        panel = replace(
            panel,
            post_key=post.key,
            posts=[
                Post(
                    platform,
                    PLATFORM_NAMES[platform],
                    message.text,
                    post_length(platform, message.text),
                    LIMITS[platform].maximum,
                )
                for platform, message in rendered.items()
            ],
            post_rendering=rendered["x"].rendering_text,
        )
    if email is not None:
        letter = render_for_target(email, target, context, language)
        panel = replace(panel, email=letter, compose_links=_safe_compose(letter))
    if call is not None:
        panel = replace(panel, call=render_for_target(call, target, context, language))
    return panel


def _pick(templates: list[MessageTemplate], key: str) -> MessageTemplate | None:
    for template in templates:
        if template.key == key:
            return template
    return templates[0] if templates else None


def _safe_compose(letter: Message) -> list[str]:
    """The compose links whose URL stays short enough for every mail client to keep whole."""
    builders = {"mailto": mailto, "gmail": gmail_compose, "outlook": outlook_compose}
    return [
        kind
        for kind, build in builders.items()
        if is_safe_length(build(letter.subject, letter.text))
    ]


def _phones(target: Target) -> list[Phone]:
    member = target.member
    phones = [Phone(str(_("Washington, DC office")), member.phone)] if member.phone else []
    phones.extend(Phone(office.city, office.phone) for office in member.offices if office.phone)
    return phones
