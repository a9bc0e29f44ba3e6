"""Load-time check: no post template may run over a platform's limit for any current target."""

from __future__ import annotations

from collections import defaultdict

from urge.actions.lengths import LIMITS, post_length
from urge.actions.messages import PLATFORMS, Context, render_for_target
from urge.actions.panels import PLATFORM_NAMES
from urge.actions.targets import Rules, every_possible_target
from urge.campaigns.folder import CampaignSpec
from urge.campaigns.models import MessageTemplate
from urge.legislators.index import LookupIndex

# How many over-long targets a problem names before it says "and N more".
NAMED = 5


def post_length_problems(spec: CampaignSpec, index: LookupIndex, site_url: str) -> list[str]:
    """One line per post template and platform that is too long for some target."""
    rules = Rules(
        senate="senate" in spec.targets.chambers,
        house="house" in spec.targets.chambers,
        states=frozenset(spec.targets.states),
        committee=spec.targets.committee,
        extra=tuple((extra.bioguide, extra.note) for extra in spec.targets.extra),
    )
    targets = every_possible_target(rules, index)
    context = Context(
        bill=f"{spec.bill.name.get('en', '')} ({spec.bill.number})",
        bill_number=spec.bill.number,
        campaign_url=f"{site_url.rstrip('/')}/c/{spec.slug}/",
    )
    posts = [template for template in spec.messages if template.channel == "post"]
    problems = []
    for position, post in enumerate(posts):
        model = MessageTemplate(
            channel="post",
            key=post.key,
            position=position,
            text=post.text,
            stances=list(post.stances),
        )
        too_long: dict[str, list[str]] = defaultdict(list)
        for target in targets:
            if post.stances and target.stance.stance not in post.stances:
                continue
            for platform in PLATFORMS:
                text = render_for_target(model, target, context, "en", platform).text
                length = post_length(platform, text)
                if length > LIMITS[platform].maximum:
                    too_long[platform].append(f"{target.title} {target.member.name} ({length})")
        for platform, names in too_long.items():
            more = f" and {len(names) - NAMED} more" if len(names) > NAMED else ""
            problems.append(
                f"messages.yaml: post[{position}] ({post.key}): longer than "
                f"{PLATFORM_NAMES[platform]}'s {LIMITS[platform].maximum} for "
                f"{len(names)} target(s): {', '.join(names[:NAMED])}{more}"
            )
    return problems
