"""The sign-up form: who the person is, and which co-hosts may contact them."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from urge.legislators.lookup import QueryError, ZipQuery, parse_query
from urge.supporters import bots
from urge.supporters.signup import Submission, Wording

PHONE_CHARACTERS = set("0123456789+-(). ")


@dataclass(frozen=True)
class CoHostChoice:
    slug: str
    name: str


def consent_wording(cohost_name: str) -> str:
    """The words beside a co-host's checkbox; stored with each consent exactly as shown."""
    return gettext("%(cohost)s may email me about this campaign and its related work.") % {
        "cohost": cohost_name
    }


def _clean_text(value: str) -> str:
    return " ".join(unicodedata.normalize("NFC", value).split())


class SignupForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    zip_code = forms.CharField(
        label=_("ZIP code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "postal-code", "inputmode": "numeric", "size": "10"}
        ),
    )
    phone = forms.CharField(
        label=_("Phone (optional)"),
        help_text=_("Only if you would like the co-hosts you choose to be able to call you."),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    stamp = forms.CharField(widget=forms.HiddenInput, required=False)
    work = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)
    ref = forms.SlugField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, cohosts: list[CoHostChoice], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cohosts = cohosts
        for cohost in cohosts:
            self.fields[self.cohost_field(cohost)] = forms.BooleanField(
                label=consent_wording(cohost.name), required=False
            )
        if not self.is_bound:
            self.initial.setdefault("stamp", bots.new_stamp())
        self.error_messages = {
            "required": {
                "first_name": _("Enter your first name."),
                "last_name": _("Enter your last name."),
                "email": _("Enter your email address."),
                "zip_code": _("Enter your ZIP code."),
            }
        }
        for name, message in self.error_messages["required"].items():
            self.fields[name].error_messages["required"] = message
        self.fields["email"].error_messages["invalid"] = _(
            "Enter an email address like name@example.org."
        )

    @staticmethod
    def cohost_field(cohost: CoHostChoice) -> str:
        return f"cohost_{cohost.slug}"

    def cohost_fields(self) -> list[forms.BoundField]:
        return [self[self.cohost_field(cohost)] for cohost in self.cohosts]

    def clean_first_name(self) -> str:
        return _clean_text(self.cleaned_data["first_name"])

    def clean_last_name(self) -> str:
        return _clean_text(self.cleaned_data["last_name"])

    def clean_zip_code(self) -> str:
        try:
            query = parse_query(self.cleaned_data["zip_code"])
        except QueryError:
            query = None
        if not isinstance(query, ZipQuery):
            raise forms.ValidationError(
                _("A ZIP code has 5 digits, like 20500, or 9 digits with ZIP+4, like 20500-0003.")
            )
        return query.zip5 + (f"-{query.plus4}" if query.plus4 else "")

    def clean_phone(self) -> str:
        phone = _clean_text(unicodedata.normalize("NFKC", self.cleaned_data["phone"]))
        digits = sum(ch.isdigit() for ch in phone)
        if phone and (set(phone) - PHONE_CHARACTERS or not 7 <= digits <= 15):
            raise forms.ValidationError(
                _("Enter a phone number with its area code, like 202-555-0123, or leave it empty.")
            )
        return phone

    def submission(self, language: str) -> Submission:
        data = self.cleaned_data
        chosen = [
            Wording(cohost=c.slug, text=consent_wording(c.name), language=language)
            for c in self.cohosts
            if data.get(self.cohost_field(c))
        ]
        return Submission(
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            zip_code=data["zip_code"],
            phone=data["phone"],
            language=language,
            chosen=chosen,
            referral=data.get("ref", ""),
        )
