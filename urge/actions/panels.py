"""What the action page shows for each target: posts per platform, the letter, the call."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from django.utils.translation import gettext_lazy as _

from urge.actions.lengths import LIMITS, post_length
from urge.actions.messages import PLATFORMS, Context, Message, choose, render_for_target, signed
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
    # Signed with blanks for the supporter's name and town. No compose links: offices publish
    # no email address, and a compose window with an empty To: leads nowhere.
    email: Message | None = None
    call_variants: list[str] = field(default_factory=list)
    call: Message | None = None
    phones: list[Phone] = field(default_factory=list)
    next_target: Target | None = None  # the one below this on the page, if any


def in_order(panels: list[Panel]) -> list[Panel]:
    """The panels, each knowing the next one, so the page can lead on from one to the next."""
    return [
        replace(panel, next_target=following.target)
        for panel, following in itertools.pairwise(panels)
    ] + panels[-1:]


def build_panel(
    target: Target,
    templates: Sequence[MessageTemplate],
    context: Context,
    language: str,
    chosen: Mapping[str, str],
) -> Panel:
    stance, follows = target.stance.stance, target.stance.follows
    posts = choose(templates, MessageTemplate.POST, stance, language, follows)
    emails = choose(templates, MessageTemplate.EMAIL, stance, language, follows)
    calls = choose(templates, MessageTemplate.CALL, stance, language, follows)
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
        letter = signed(
            render_for_target(email, target, context, language), target, context, language
        )
        panel = replace(panel, email=letter)
    if call is not None:
        panel = replace(panel, call=render_for_target(call, target, context, language))
    return panel


def _pick(templates: list[MessageTemplate], key: str) -> MessageTemplate | None:
    for template in templates:
        if template.key == key:
            return template
    return templates[0] if templates else None


def _phones(target: Target) -> list[Phone]:
    member = target.member
    phones = [Phone(str(_("Washington, DC office")), member.phone)] if member.phone else []
    phones.extend(Phone(office.city, office.phone) for office in member.offices if office.phone)
    return phones
