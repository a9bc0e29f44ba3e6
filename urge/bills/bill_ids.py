"""Naming a bill: Congress, type and number, as the Congress.gov API and its pages spell them."""

from __future__ import annotations

import re
from dataclasses import dataclass

# The API's lower-case type codes, with the words Congress.gov's pages use in their addresses
# and the label people read.
TYPES: dict[str, tuple[str, str]] = {
    "hr": ("house-bill", "H.R."),
    "s": ("senate-bill", "S."),
    "hjres": ("house-joint-resolution", "H.J.Res."),
    "sjres": ("senate-joint-resolution", "S.J.Res."),
    "hconres": ("house-concurrent-resolution", "H.Con.Res."),
    "sconres": ("senate-concurrent-resolution", "S.Con.Res."),
    "hres": ("house-resolution", "H.Res."),
    "sres": ("senate-resolution", "S.Res."),
}
SPELLED = re.compile(r"^(\d{1,3})/([a-z]+)/(\d{1,5})$")


@dataclass(frozen=True, order=True)
class BillId:
    congress: int
    type: str  # a key of TYPES
    number: int

    @classmethod
    def parse(cls, text: str) -> BillId:
        """`119/hr/2661` (Congress/type/number), as `urge track --add` takes it."""
        match = SPELLED.match(text.strip().lower())
        if not match or match[2] not in TYPES or int(match[1]) < 1 or int(match[3]) < 1:
            known = ", ".join(TYPES)
            raise ValueError(
                f"{text!r} is not a bill: write CONGRESS/TYPE/NUMBER, e.g. 119/hr/2661, "
                f"with TYPE one of {known}."
            )
        return cls(int(match[1]), match[2], int(match[3]))

    def __str__(self) -> str:
        return f"{self.congress}/{self.type}/{self.number}"

    @property
    def label(self) -> str:
        """As people write it: `H.R. 2661`."""
        return f"{TYPES[self.type][1]} {self.number}"

    @property
    def api_path(self) -> str:
        return f"/v3/bill/{self.congress}/{self.type}/{self.number}"

    @property
    def page_url(self) -> str:
        """The bill's page on Congress.gov: the source of every stance the tracker records."""
        return (
            f"https://www.congress.gov/bill/{ordinal(self.congress)}-congress/"
            f"{TYPES[self.type][0]}/{self.number}"
        )


def ordinal(number: int) -> str:
    """119 -> 119th, 121 -> 121st, 112 -> 112th."""
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"
