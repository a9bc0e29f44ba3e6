"""Named placeholders in message templates: `{target_name}`, never regexes over free text."""

from __future__ import annotations

from collections.abc import Mapping
from string import Formatter

from django.utils.translation import gettext_lazy as _

# Each placeholder and what it becomes, for the README and the admin.
PLACEHOLDERS = {
    "target_name": _("the legislator's full name, e.g. Patty Murray"),
    "target_last_name": _("the legislator's last name"),
    "target_title": _("Senator, Representative, Delegate or Resident Commissioner"),
    "target_mention": _("on a post: @handle on that platform, else title and name"),
    "target_handle": _("the same as target_mention"),
    "target_state": _("the legislator's state, e.g. Washington"),
    "supporter_state": _("the supporter's state, from the lookup"),
    "supporter_city": _(
        "in letters and call scripts, [your town] for the supporter to fill in on the page; "
        "in posts, their state"
    ),
    "bill": _("the bill's name and number, e.g. HKETO Certification Act (H.R. 2661)"),
    "bill_number": _("the bill's number, e.g. H.R. 2661"),
    "campaign_url": _("the campaign page's address"),
}


class TemplateSyntaxProblem(ValueError):
    pass


def fields_in(text: str) -> list[str]:
    """The placeholder names a template uses, in order; raises on `{x!r}`, `{x:>9}` or a
    stray brace, which would otherwise reach a legislator as garbage."""
    names = []
    try:
        parsed = list(Formatter().parse(text))
    except ValueError as error:
        raise TemplateSyntaxProblem(f"{error} (write a literal brace as {{{{ or }}}})") from None
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if spec or conversion:
            raise TemplateSyntaxProblem(f"{{{name}}} may not carry a format or conversion")
        names.append(name)
    return names


def unknown_fields(text: str) -> list[str]:
    return [name for name in fields_in(text) if name not in PLACEHOLDERS]


def fill(text: str, values: Mapping[str, str]) -> str:
    """The template with every placeholder replaced; only known names are ever looked up."""
    parts = []
    for literal, name, _spec, _conversion in Formatter().parse(text):
        parts.append(literal)
        if name is not None:
            parts.append(values[name])
    return "".join(parts)
