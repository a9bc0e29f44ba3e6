"""One row per action taken: campaign, channel, target, wording and hour. Never who, and never
by which referral link (urge/sharing/counting.py counts those apart, by day)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from urge.campaigns.models import Campaign


class Channel(models.TextChoices):
    POST_X = "post-x", _("post on X")
    POST_BLUESKY = "post-bluesky", _("post on Bluesky")
    POST_THREADS = "post-threads", _("post on Threads")
    POST_MASTODON = "post-mastodon", _("post on Mastodon")
    EMAIL_FORM = "email-form", _("contact form opened")
    EMAIL_MAILTO = "email-mailto", _("email app opened")
    EMAIL_GMAIL = "email-gmail", _("Gmail opened")
    EMAIL_OUTLOOK = "email-outlook", _("Outlook opened")
    EMAIL_COPY = "email-copy", _("letter copied (office without a contact form)")
    CALL_REACHED = "call-reached", _("call: reached staff")
    CALL_VOICEMAIL = "call-voicemail", _("call: left voicemail")
    CALL_BUSY = "call-busy", _("call: busy or mailbox full")
    CALL_SKIPPED = "call-skipped", _("call: skipped")
    # Sharing the campaign (urge/sharing/share.py): counted, never an action on a legislator,
    # so these rows have no target, wording or state.
    SHARE_X = "share-x", _("shared on X")
    SHARE_BLUESKY = "share-bluesky", _("shared on Bluesky")
    SHARE_THREADS = "share-threads", _("shared on Threads")
    SHARE_MASTODON = "share-mastodon", _("shared on Mastodon")
    SHARE_FACEBOOK = "share-facebook", _("shared on Facebook")
    SHARE_WHATSAPP = "share-whatsapp", _("shared on WhatsApp")
    SHARE_TELEGRAM = "share-telegram", _("shared on Telegram")
    SHARE_EMAIL = "share-email", _("shared by email")
    SHARE_COPY = "share-copy", _("link copied")

    @property
    def kind(self) -> str:
        return self.value.split("-", 1)[0]


# Counted apart from the actions on legislators: the public totals, the scoreboard and the
# results' action charts leave these out.
SHARES = frozenset(channel for channel in Channel if channel.kind == "share")


class ActionEvent(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="events")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    target = models.CharField(_("target (Bioguide ID)"), max_length=10)
    variant = models.CharField(_("wording"), max_length=50)
    target_state = models.CharField(_("target's state"), max_length=2)
    # Truncated to the hour: enough for a chart, too coarse to single anybody out.
    hour = models.DateTimeField(_("hour"))

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        indexes = [models.Index(fields=["campaign", "hour"])]

    def __str__(self) -> str:
        return f"{self.channel} {self.target} {self.hour:%Y-%m-%d %H:00}"
