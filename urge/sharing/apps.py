"""Sharing: referral codes and their counts, link previews, and the "share this" step.

Its own app, between campaigns and the apps that count (actions, supporters), because every
one of those counts referrals: the campaign page's lookup, the action page's sends and the
confirmed sign-ups all add to the same counters, and none of those apps may import another.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    name = "urge.sharing"
    label = "sharing"
    verbose_name = _("Sharing and referrals")

    def ready(self) -> None:
        from urge.sharing import signals

        signals.connect()
