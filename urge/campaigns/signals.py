"""Any change to a part of a campaign makes a new version of the campaign (urge/core/memo.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from urge.campaigns.models import (
    Campaign,
    CampaignText,
    CoHost,
    CoHostName,
    ExtraTarget,
    MessageTemplate,
    Section,
    Stance,
    StanceKind,
    Step,
)

PARTS: tuple[type[Model], ...] = (
    CampaignText,
    Step,
    Section,
    CoHost,
    ExtraTarget,
    Stance,
    StanceKind,
    MessageTemplate,
)


def touch(campaign_id: int | None) -> None:
    if campaign_id is not None:
        Campaign.objects.filter(pk=campaign_id).update(updated_at=timezone.now())


def _part_changed(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    touch(instance.campaign_id)


def _name_changed(sender: type[Model], instance: CoHostName, **kwargs: Any) -> None:
    campaign_id = CoHost.objects.filter(pk=instance.cohost_id).values_list("campaign_id").first()
    touch(campaign_id[0] if campaign_id else None)


def connect() -> None:
    for part in PARTS:
        post_save.connect(_part_changed, sender=part, dispatch_uid=f"urge-version-{part.__name__}")
        post_delete.connect(
            _part_changed, sender=part, dispatch_uid=f"urge-version-del-{part.__name__}"
        )
    post_save.connect(_name_changed, sender=CoHostName, dispatch_uid="urge-version-cohostname")
    post_delete.connect(_name_changed, sender=CoHostName, dispatch_uid="urge-version-del-name")
