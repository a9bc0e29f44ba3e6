"""A campaign as loaded from its folder: language-neutral facts plus per-language text."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from urge.campaigns.markdown import render_markdown
from urge.campaigns.origins import validate_embed_origins

LANGUAGE_CHOICES = settings.LANGUAGES


class Campaign(models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    is_default = models.BooleanField(
        _("default campaign"), default=False, help_text=_("Shown at the site's front page.")
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    targets_senate = models.BooleanField(_("targets senators"), default=True)
    targets_house = models.BooleanField(_("targets representatives"), default=True)
    target_states = models.JSONField(
        _("only in these states"), default=list, blank=True, help_text=_('e.g. ["WA", "OR"]')
    )
    target_committee = models.CharField(
        _("only members of this committee"), max_length=10, blank=True, help_text=_("e.g. SSFR")
    )
    bill_number = models.CharField(_("bill number"), max_length=40)
    bill_congress = models.PositiveSmallIntegerField(_("Congress"))
    bill_url = models.URLField(_("bill page"))
    bill_status_as_of = models.DateField(_("bill status as of"))
    bill_status_source = models.URLField(_("bill status source"))
    # Sites whose pages may show the action in a frame: each an exact origin, listed in the
    # embed pages' Content-Security-Policy frame-ancestors (urge/pages/embed.py).
    embed_origins = models.JSONField(
        _("sites that may embed the action"),
        default=list,
        # Kept in the database too: the release before this one inserts rows without it.
        db_default=[],
        blank=True,
        validators=[validate_embed_origins],
        help_text=_('Exact origins, e.g. ["https://www.example.org"]: https, no path.'),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="one_default_campaign",
            )
        ]

    def __str__(self) -> str:
        return self.slug

    def languages(self) -> list[str]:
        return sorted(
            {text.language for text in self.texts.all()},
            key=[code for code, _name in LANGUAGE_CHOICES].index,
        )

    def is_open(self, today: date | None = None) -> bool:
        """Whether the campaign takes sign-ups on `today` (the site's date by default)."""
        today = today or timezone.localdate()
        return self.opens_on <= today and (self.closes_on is None or today <= self.closes_on)


class CampaignText(models.Model):
    """The campaign's short texts in one language."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=10, choices=LANGUAGE_CHOICES)
    title = models.CharField(_("title"), max_length=200)
    ask = models.TextField(_("ask"))
    bill_name = models.CharField(_("bill name"), max_length=200)
    bill_status = models.TextField(_("bill status"))

    class Meta:
        verbose_name = _("campaign text")
        verbose_name_plural = _("campaign texts")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "language"], name="one_text_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.campaign.slug} ({self.language})"


class Step(models.Model):
    """One of the numbered things a supporter is asked to do, in one language."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="steps")
    language = models.CharField(_("language"), max_length=10, choices=LANGUAGE_CHOICES)
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=120)
    detail = models.TextField(_("detail"), blank=True)

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "language", "position"], name="one_step_per_position"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Section(models.Model):
    """A long explainer written in Markdown, in one language."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="sections")
    language = models.CharField(_("language"), max_length=10, choices=LANGUAGE_CHOICES)
    key = models.SlugField(_("key"))
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=200)
    body_markdown = models.TextField(_("body (Markdown)"))
    body_html = models.TextField(_("body (HTML)"), editable=False)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "language", "key"], name="one_section_per_key"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        self.body_html = render_markdown(self.body_markdown)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class CoHost(models.Model):
    """An organisation that runs the campaign; supporters choose which may contact them."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="cohosts")
    slug = models.SlugField(_("slug"))
    url = models.URLField(_("website"))
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        verbose_name = _("co-host")
        verbose_name_plural = _("co-hosts")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "slug"], name="one_cohost_per_slug")
        ]

    def __str__(self) -> str:
        return self.slug


class CoHostName(models.Model):
    cohost = models.ForeignKey(CoHost, on_delete=models.CASCADE, related_name="names")
    language = models.CharField(_("language"), max_length=10, choices=LANGUAGE_CHOICES)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("co-host name")
        verbose_name_plural = _("co-host names")
        constraints = [
            models.UniqueConstraint(fields=["cohost", "language"], name="one_name_per_language")
        ]

    def __str__(self) -> str:
        return self.name


class ExtraTarget(models.Model):
    """A legislator every supporter is asked to contact, whoever represents them."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="extra_targets")
    bioguide = models.CharField(_("Bioguide ID"), max_length=10)
    position = models.PositiveSmallIntegerField(_("position"))
    note = models.JSONField(_("why (per language)"), default=dict)

    class Meta:
        verbose_name = _("extra target")
        verbose_name_plural = _("extra targets")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "bioguide"], name="one_extra_per_member")
        ]

    def __str__(self) -> str:
        return self.bioguide


class StanceKind(models.Model):
    """A stance a campaign defines beyond the four every campaign has (Stance.CHOICES), e.g.
    "leads the Senate bill": its own group on the scoreboard, worded on the action page like
    the built-in stance it follows (thanked like a cosponsor, pressed like the undecided)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="stance_kinds")
    slug = models.SlugField(_("slug"), max_length=20)
    label = models.JSONField(_("label (per language)"), default=dict)
    follows = models.CharField(_("worded like"), max_length=20)
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        verbose_name = _("stance kind")
        verbose_name_plural = _("stance kinds")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "slug"], name="one_stance_kind_per_slug")
        ]

    def __str__(self) -> str:
        return self.slug


class Stance(models.Model):
    """A legislator's public position on the campaign's ask, as organisers found it."""

    COSPONSOR = "cosponsor"
    SUPPORTS_VOTE = "supports-vote"
    UNDECIDED = "undecided"
    OPPOSES = "opposes"
    CHOICES = [
        (COSPONSOR, _("cosponsor")),
        (SUPPORTS_VOTE, _("publicly supports a vote")),
        (UNDECIDED, _("undecided")),
        (OPPOSES, _("opposes")),
    ]

    # Where the stance was last recorded. One recorded in the dashboard wins over the
    # folder's: `urge load` keeps it, and only `urge load --force` replaces it.
    FROM_FOLDER = "folder"
    FROM_DASHBOARD = "dashboard"
    # A cosponsorship `urge track` read from Congress.gov (urge/bills). It never replaces a
    # dashboard stance; `urge load` keeps it, `urge load --force` replaces it.
    FROM_TRACKER = "tracker"
    ORIGINS = [
        (FROM_FOLDER, _("campaign folder")),
        (FROM_DASHBOARD, _("dashboard")),
        (FROM_TRACKER, _("Congress.gov, read by urge track")),
    ]

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="stances")
    bioguide = models.CharField(_("Bioguide ID"), max_length=10)
    # One of CHOICES or of the campaign's own StanceKind slugs, hence no `choices` here:
    # campaign.yaml and the dashboard's form check it against the campaign's kinds.
    stance = models.CharField(_("stance"), max_length=20)
    source = models.URLField(_("source"))
    date = models.DateField(_("as of"))
    origin = models.CharField(_("recorded in"), max_length=10, choices=ORIGINS, default=FROM_FOLDER)

    class Meta:
        verbose_name = _("stance")
        verbose_name_plural = _("stances")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "bioguide"], name="one_stance_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.bioguide}: {self.stance}"


class StanceChange(models.Model):
    """One change to a legislator's recorded stance: who made it, when, what it was before
    and what it became. Never edited or deleted: it is the stances' audit log."""

    BY_DASHBOARD = "dashboard"
    BY_LOAD = "load"
    BY_FORCED_LOAD = "load-force"
    BY_TRACKER = "track"  # `urge track` (urge/bills)
    WAYS = [
        (BY_DASHBOARD, _("dashboard")),
        (BY_LOAD, _("urge load")),
        (BY_FORCED_LOAD, _("urge load --force")),
        (BY_TRACKER, _("urge track")),
    ]

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="stance_changes")
    bioguide = models.CharField(_("Bioguide ID"), max_length=10)
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    # Nobody for a change `urge load` made; an account that made changes cannot be deleted.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="urge_stance_changes",
    )
    via = models.CharField(_("made with"), max_length=10, choices=WAYS)
    # Empty (and no date) where there was no stance before, or is none after.
    old_stance = models.CharField(_("old stance"), max_length=20, blank=True)
    old_source = models.URLField(_("old source"), blank=True)
    old_date = models.DateField(_("old date"), null=True, blank=True)
    new_stance = models.CharField(_("new stance"), max_length=20, blank=True)
    new_source = models.URLField(_("new source"), blank=True)
    new_date = models.DateField(_("new date"), null=True, blank=True)

    class Meta:
        verbose_name = _("stance change")
        verbose_name_plural = _("stance changes")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.bioguide}: {self.old_stance or '-'} -> {self.new_stance or '-'}"


class MessageTemplate(models.Model):
    POST = "post"
    EMAIL = "email"
    CALL = "call"
    CHANNELS = [(POST, _("post")), (EMAIL, _("email")), (CALL, _("call script"))]

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="templates")
    channel = models.CharField(_("channel"), max_length=5, choices=CHANNELS)
    key = models.SlugField(_("id"))
    position = models.PositiveSmallIntegerField(_("position"))
    subject = models.CharField(_("email subject"), max_length=300, blank=True)
    text = models.TextField(_("text (English)"))
    stances = models.JSONField(_("only for these stances"), default=list, blank=True)
    languages = models.JSONField(_("only on pages in"), default=list, blank=True)
    rendering = models.JSONField(_("renderings for other languages"), default=dict, blank=True)

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        ordering = ["channel", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "channel", "key"], name="one_template_per_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel}: {self.key}"
