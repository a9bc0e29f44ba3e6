"""Template helpers for showing legislators: names of states and parties, phone links."""

import re

from django import template
from django.utils.translation import gettext_lazy as _

from urge.legislators import phones
from urge.legislators.state_labels import state_label

register = template.Library()

PARTIES = {
    "Democrat": _("Democrat"),
    "Republican": _("Republican"),
    "Independent": _("Independent"),
}


@register.filter
def state(code: str) -> str:
    """The state's name in the page's language."""
    return state_label(code)


@register.filter
def party(name: str) -> str:
    return str(PARTIES.get(name, name))


@register.filter
def tel(phone: str) -> str:
    """A tel: address for a phone number as the data writes it (202-224-3441)."""
    try:
        return phones.tel(phone)
    except ValueError:
        # Not a US number the link builder accepts: let the phone try the digits as given.
        return "tel:" + re.sub(r"\D", "", phone)
