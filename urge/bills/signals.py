"""A check of a tracked bill makes a new version of its campaign, so the page shows it."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from urge.bills.models import TrackedBill
from urge.campaigns.signals import touch


def _bill_changed(sender: type[TrackedBill], instance: TrackedBill, **kwargs: Any) -> None:
    touch(instance.campaign_id)


def connect() -> None:
    post_save.connect(_bill_changed, sender=TrackedBill, dispatch_uid="urge-version-trackedbill")
    post_delete.connect(
        _bill_changed, sender=TrackedBill, dispatch_uid="urge-version-del-trackedbill"
    )
