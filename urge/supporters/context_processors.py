"""What the sign-up form and its notices say about time limits and checks."""

from django.conf import settings
from django.http import HttpRequest


def signup(request: HttpRequest) -> dict[str, int]:
    return {
        "retention_days": settings.URGE_RETENTION_DAYS,
        "unconfirmed_days": settings.URGE_UNCONFIRMED_DAYS,
        "link_days": settings.URGE_CONFIRM_LINK_DAYS,
        "pow_bits": settings.URGE_SIGNUP_POW_BITS,
    }
