"""A new referral code or preview image makes a new version of its campaign, so that every
process sees it at its next request (urge/core/memo.py, urge/campaigns/signals.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.db.models.signals import post_delete, post_save

from urge.campaigns.signals import touch
from urge.sharing.models import PreviewImage, ReferralCode

PARTS: tuple[type[Model], ...] = (ReferralCode, PreviewImage)


def _changed(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    touch(instance.campaign_id)


def connect() -> None:
    for part in PARTS:
        post_save.connect(_changed, sender=part, dispatch_uid=f"urge-version-{part.__name__}")
        post_delete.connect(_changed, sender=part, dispatch_uid=f"urge-version-del-{part.__name__}")
