"""The lookup form: a ZIP code, optionally a street address, and the choices a ZIP may need."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from urge.legislators.answers import TooManyAddresses, configured_geocoder
from urge.legislators.index import LookupIndex
from urge.legislators.lookup import (
    AddressQuery,
    Answer,
    Query,
    QueryError,
    Status,
    ZipQuery,
    lookup,
    parse_query,
)

ADDRESS_HELP = _("Number and street. Only needed when a ZIP code spans several House districts.")
GEOCODER_NOTICE = _(
    "To find your district, it is sent to the US Census Bureau's geocoder; this site keeps no copy."
)
LOCAL_NOTICE = _("It is matched by its ZIP code on this site, and never leaves it.")

ERRORS = {
    "empty": _("Enter your ZIP code."),
    "bad-zip": _("A ZIP code has 5 digits, like 20500, or 9 digits with ZIP+4, like 20500-0003."),
    "not-an-address": _(
        "Enter a street address with its number and street, "
        "like 1600 Pennsylvania Ave NW, Washington, DC 20500."
    ),
    "too-long": _("That address is too long: enter just the street, city and ZIP code."),
    "address-not-found": _(
        "We could not place that address. Add its ZIP code, or look up by ZIP code alone."
    ),
    "too-many-addresses": _(
        "Too many street addresses have been looked up from your connection in the last "
        "while. Try again later, or look up by ZIP code alone."
    ),
}


class LookupForm(forms.Form):
    zip = forms.CharField(
        label=_("ZIP code"),
        max_length=20,
        required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "postal-code", "size": "10"}
        ),
    )
    address = forms.CharField(
        label=_("Street address (optional)"),
        help_text=ADDRESS_HELP,
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    state = forms.CharField(max_length=2, required=False)
    district = forms.IntegerField(min_value=0, max_value=99, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Said before anything is sent: where a street address goes, and that none is kept.
        where = GEOCODER_NOTICE if settings.URGE_GEOCODER else LOCAL_NOTICE
        self.fields["address"].help_text = format_lazy("{} {}", ADDRESS_HELP, where)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        zip_text: str = data.get("zip", "")
        address: str = data.get("address", "")
        try:
            self.query = _query(zip_text, address)
        except QueryError as error:
            field = "address" if address and error.code != "bad-zip" else "zip"
            self.add_error(field, ERRORS[error.code])
        return data

    # Set by answer() when this visitor is over the limit of address lookups.
    too_many_addresses = False

    def answer(self, index: LookupIndex, client: str) -> Answer | None:
        """The answer for a valid form, or None with the reason added to the form's errors.
        `client` is the visitor's keyed hash, which street addresses are counted against."""
        try:
            answer = lookup(
                index,
                self.query,
                state=self.cleaned_data.get("state", "").upper(),
                district=self.cleaned_data.get("district"),
                geocode=configured_geocoder(client),
            )
        except QueryError as error:
            self.add_error("address", ERRORS[error.code])
            return None
        except TooManyAddresses:
            self.too_many_addresses = True
            self.add_error("address", ERRORS["too-many-addresses"])
            return None
        if answer.status == Status.UNKNOWN_ZIP:
            self.add_error(
                "zip",
                _("We do not know the ZIP code %(zip)s. Check it, or enter your street address.")
                % {"zip": answer.zip5},
            )
            return None
        return answer


def _query(zip_text: str, address: str) -> Query:
    if address.strip():
        query = parse_query(address)
        if isinstance(query, ZipQuery):
            return query
        if zip_text.strip() and zip_text.strip() not in address:
            return AddressQuery(f"{query.address} {zip_text.strip()}")
        return query
    return parse_query(zip_text)
