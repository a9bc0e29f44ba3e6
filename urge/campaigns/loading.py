"""Writing a checked campaign folder into the database, replacing what it said before."""

from dataclasses import dataclass

from django.db import transaction

from urge.campaigns.folder import CampaignSpec
from urge.campaigns.models import (
    Campaign,
    CampaignText,
    CoHost,
    CoHostName,
    ExtraTarget,
    MessageTemplate,
    Section,
    StanceKind,
    Step,
)
from urge.campaigns.stances import load_folder_stances


@dataclass(frozen=True)
class LoadResult:
    campaign: Campaign
    created: bool
    stances_kept: int = 0  # recorded in the dashboard, so kept (urge/campaigns/stances.py)


@transaction.atomic
def save_campaign(spec: CampaignSpec, force: bool = False) -> LoadResult:
    """Create or update the campaign with `spec.slug`; the folder is the source of truth,
    except for stances recorded in the dashboard, which it replaces only with `force`."""
    if spec.default:
        Campaign.objects.filter(is_default=True).exclude(slug=spec.slug).update(is_default=False)
    campaign, created = Campaign.objects.update_or_create(
        slug=spec.slug,
        defaults={
            "is_default": spec.default,
            "opens_on": spec.opens,
            "closes_on": spec.closes,
            "targets_senate": "senate" in spec.targets.chambers,
            "targets_house": "house" in spec.targets.chambers,
            "target_states": list(spec.targets.states),
            "target_committee": spec.targets.committee,
            "bill_number": spec.bill.number,
            "bill_congress": spec.bill.congress,
            "bill_url": spec.bill.url,
            "bill_status_as_of": spec.bill.status_as_of,
            "bill_status_source": spec.bill.status_source,
            "embed_origins": list(spec.embed_origins),
        },
    )
    _save_texts(campaign, spec)
    _save_steps(campaign, spec)
    _save_sections(campaign, spec)
    _save_cohosts(campaign, spec)
    _save_targets(campaign, spec)
    _save_stance_kinds(campaign, spec)
    kept = load_folder_stances(campaign, spec.stances, force)
    _save_templates(campaign, spec)
    return LoadResult(campaign=campaign, created=created, stances_kept=kept)


def _save_texts(campaign: Campaign, spec: CampaignSpec) -> None:
    campaign.texts.exclude(language__in=spec.languages).delete()
    for language in spec.languages:
        CampaignText.objects.update_or_create(
            campaign=campaign,
            language=language,
            defaults={
                "title": spec.title[language],
                "ask": spec.ask[language],
                "bill_name": spec.bill.name[language],
                "bill_status": spec.bill.status[language],
            },
        )


def _save_steps(campaign: Campaign, spec: CampaignSpec) -> None:
    campaign.steps.all().delete()
    Step.objects.bulk_create(
        Step(
            campaign=campaign,
            language=language,
            position=position,
            title=step.title[language],
            detail=step.detail[language],
        )
        for position, step in enumerate(spec.steps, start=1)
        for language in spec.languages
    )


def _save_sections(campaign: Campaign, spec: CampaignSpec) -> None:
    campaign.sections.all().delete()
    for position, section in enumerate(spec.sections, start=1):
        for language in spec.languages:
            # One by one, not in bulk: save() renders the Markdown.
            Section(
                campaign=campaign,
                language=language,
                key=section.key,
                position=position,
                title=section.title[language],
                body_markdown=section.body[language],
            ).save()


def _save_cohosts(campaign: Campaign, spec: CampaignSpec) -> None:
    # Co-hosts keep their rows (supporters' consents will point at them): update by slug.
    campaign.cohosts.exclude(slug__in=[cohost.slug for cohost in spec.cohosts]).delete()
    for position, item in enumerate(spec.cohosts, start=1):
        cohost, _created = CoHost.objects.update_or_create(
            campaign=campaign, slug=item.slug, defaults={"url": item.url, "position": position}
        )
        cohost.names.exclude(language__in=spec.languages).delete()
        for language in spec.languages:
            CoHostName.objects.update_or_create(
                cohost=cohost, language=language, defaults={"name": item.name[language]}
            )


def _save_targets(campaign: Campaign, spec: CampaignSpec) -> None:
    campaign.extra_targets.all().delete()
    ExtraTarget.objects.bulk_create(
        ExtraTarget(campaign=campaign, bioguide=extra.bioguide, position=position, note=extra.note)
        for position, extra in enumerate(spec.targets.extra, start=1)
    )


def _save_stance_kinds(campaign: Campaign, spec: CampaignSpec) -> None:
    campaign.stance_kinds.all().delete()
    StanceKind.objects.bulk_create(
        StanceKind(
            campaign=campaign,
            slug=kind.slug,
            label=kind.label,
            follows=kind.follows,
            position=position,
        )
        for position, kind in enumerate(spec.stance_kinds, start=1)
    )


def _save_templates(campaign: Campaign, spec: CampaignSpec) -> None:
    campaign.templates.all().delete()
    MessageTemplate.objects.bulk_create(
        MessageTemplate(
            campaign=campaign,
            channel=template.channel,
            key=template.key,
            position=position,
            subject=template.subject,
            text=template.text,
            stances=list(template.stances),
            languages=list(template.languages),
            rendering=template.rendering,
        )
        for position, template in enumerate(spec.messages, start=1)
    )
