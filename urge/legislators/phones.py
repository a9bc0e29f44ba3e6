"""Phone numbers as the legislator data writes them, turned into tel: links."""

from __future__ import annotations

import re


def tel(phone: str) -> str:
    """A tel: link for a US number as the data writes it: "(202) 224-3441 ext 5" gives
    tel:+12022243441 (an extension cannot be dialled from a link, so it is left out).

    ValueError for anything but a 10-digit North American number, with or without the
    leading 1: letters, too few or too many digits, an area code or exchange starting
    with 0 or 1.
    """
    number = _EXTENSION.sub("", phone)
    if not _PHONE.fullmatch(number):
        raise ValueError(f"{phone!r} is not a US phone number")
    digits = "".join(char for char in number if char in "0123456789")
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10 or digits[0] in "01" or digits[3] in "01":
        raise ValueError(f"{phone!r} is not a US phone number")
    return f"tel:+1{digits}"


_EXTENSION = re.compile(r"\s*(?:ext\.?|extension|x|#|,|;)\s*[0-9]+\s*\Z", re.IGNORECASE)
_PHONE = re.compile(r"\s*\+?[0-9().\-\s]+")
