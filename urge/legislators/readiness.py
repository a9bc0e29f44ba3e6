"""This app's part of /readyz (urge/core/health.py): a legislator data release is active."""

from urge.core.health import Part
from urge.legislators.models import DataRelease


def data_release() -> Part:
    release = DataRelease.objects.filter(is_active=True).values_list("pk", flat=True).first()
    if release is None:
        return Part("data release", False, "none active")
    return Part("data release", True, f"ok, #{release} active")
