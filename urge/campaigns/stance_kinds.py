"""The stances a campaign's legislators can hold: the four every campaign has (Stance.CHOICES)
plus any the campaign defines under `stance_kinds` in campaign.yaml, each worded on the action
page like the built-in stance it follows."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation

from urge.campaigns.models import Campaign, Stance
from urge.core.memo import per_version

BUILT_IN = tuple(slug for slug, _label in Stance.CHOICES)


@dataclass(frozen=True)
class Kind:
    """A stance the campaign defined: its slug, its label per language (Django language
    codes), and the built-in stance whose wording and place it takes."""

    slug: str
    follows: str
    labels: tuple[tuple[str, str], ...]

    def label(self) -> str:
        """The label in the active language, else in English, else the slug."""
        labels = dict(self.labels)
        return labels.get(translation.get_language() or "") or labels.get("en") or self.slug


@dataclass(frozen=True)
class Kinds:
    """Every stance one campaign knows, built-in and its own."""

    custom: tuple[Kind, ...] = ()

    def slugs(self) -> tuple[str, ...]:
        """Each built-in stance followed by the campaign's kinds that follow it: the order
        of the scoreboard's groups and of the dashboard's choices."""
        return tuple(
            slug
            for built_in in BUILT_IN
            for slug in (built_in, *(kind.slug for kind in self.custom if kind.follows == built_in))
        )

    def _custom(self, slug: str) -> Kind | None:
        return next((kind for kind in self.custom if kind.slug == slug), None)

    def label(self, slug: str) -> str:
        """What the page calls `slug` in the active language; an unknown slug as it is."""
        kind = self._custom(slug)
        if kind is not None:
            return kind.label()
        return str(dict(Stance.CHOICES).get(slug, slug))

    def follows(self, slug: str) -> str:
        """The built-in stance whose wording `slug` takes ("" for a built-in or unknown one)."""
        kind = self._custom(slug)
        return kind.follows if kind is not None else ""

    def choices(self) -> list[tuple[str, str]]:
        return [(slug, self.label(slug)) for slug in self.slugs()]


BUILT_IN_ONLY = Kinds()


@per_version
def kinds_of(campaign: Campaign) -> Kinds:
    return Kinds(
        tuple(
            Kind(kind.slug, kind.follows, tuple(sorted(kind.label.items())))
            for kind in campaign.stance_kinds.all()
        )
    )
