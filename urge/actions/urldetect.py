"""Finding links in a post as twitter-text does, for X's and Mastodon's counts."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

import regex

from urge.actions.tlds import _COUNTRY_TLDS, _GENERIC_TLDS


def url_spans(
    text: str, *, without_protocol: bool = True, as_javascript: bool = False
) -> list[tuple[int, int]]:
    """Where twitter-text finds links in `text`: [start, end) in code points.

    http(s) links, and with `without_protocol` (X counts them; Mastodon does not) bare
    domains such as example.com/path. Only the listed top-level domains make a link, and no
    label of the host may pass 63 characters once punycode-encoded.

    `as_javascript` gives the stretches that twitter-text's JavaScript (X's composer) weighs
    as links. It reads UTF-16, so a link without protocol may start in the second half of an
    emoji: "\U0001f600-example.org" links "-example.org", which no other link would. It
    measures the 4096 limit in UTF-16 units of the link as written. And it weighs a link
    without protocol as long as the link's text with the host cut down to its ASCII domain:
    "e.公司.香港/" is a link of 5 characters, "e.公司/", and then "香港/" weighs in full.
    """
    # Every link has a dot in its host: most texts are done here.
    if "." not in text:
        return []
    spans: list[tuple[int, int]] = []
    for candidate in _LinkScanner(text, as_javascript).candidates():
        url = text[candidate.start : candidate.end]
        domain = text[candidate.domain_start : candidate.domain_end]
        if candidate.before == _FIRST_HALF:
            # The host that JavaScript checks holds the emoji's second half only.
            domain = _second_half(domain[0]) + domain[1:]
        ascii_domain = _domain_to_ascii(domain)
        if ascii_domain is None:
            continue
        protocol_length = candidate.domain_start - candidate.start
        length = (protocol_length or len("https://")) + len(url) - len(domain) + len(ascii_domain)
        if as_javascript:
            # Its IDNA check hands back the host as written, not encoded.
            length = (protocol_length or len("https://")) + _utf16_length(url)
            if candidate.before == _FIRST_HALF:
                length -= 1  # the emoji's first half is not part of the link
        if length > _MAX_URL_LENGTH:
            continue
        if protocol_length:
            end = candidate.end
            # A t.co link ends with its slug: what follows belongs to the sentence.
            tco = _tco_pattern().match(url)
            if tco:
                if len(tco[1]) > _MAX_TCO_SLUG_LENGTH:
                    continue
                end = candidate.start + tco.end()
            spans.append((candidate.start, end))
        elif without_protocol and candidate.before not in _BAD_BEFORE_BARE:
            # Only the ASCII domains inside count ("日本語example.com" links example.com);
            # the last one carries the path.
            bare = _ascii_domains(text, candidate.domain_start, candidate.domain_end)
            if bare and candidate.has_path:
                start, ascii_end = bare[-1]
                end = candidate.end
                if as_javascript:
                    tail = text[candidate.domain_end : candidate.end]
                    end = _after_utf16(text, start, _utf16_length(text[start:ascii_end] + tail))
                bare[-1] = (start, end)
            spans += bare
    return spans


@dataclass(frozen=True)
class _Candidate:
    before: str  # the character before the link ("" at the start of the text)
    start: int
    domain_start: int  # after the protocol, if any
    domain_end: int
    end: int
    has_path: bool


class _LinkScanner:
    """twitter-text's link grammar, the greedy regular expression of its extractor, read in
    linear time: a regular expression engine takes quadratic time or worse to backtrack
    through text such as "a.a.a.a…" or long CJK runs before a dot.

    Grammar: (protocol)? (subdomain.)* domain. TLD (:port)? (/path)? (?query)? where a label
    is domain characters with - (and _ in subdomains) inside, and the TLD is one of the list
    followed by neither an ASCII letter or digit nor @ + -.
    """

    def __init__(self, text: str, as_javascript: bool = False) -> None:
        self.text = text
        self.as_javascript = as_javascript
        size = len(text)
        # Where the run of label characters (domain characters, - and _) from each index ends,
        # and where the next _ is: a domain name, unlike a subdomain, has none.
        self.run_end = [size] * (size + 1)
        self.next_underscore = [size] * (size + 1)
        for index in range(size - 1, -1, -1):
            char = text[index]
            self.run_end[index] = self.run_end[index + 1] if char not in _NOT_LABEL else index
            self.next_underscore[index] = index if char == "_" else self.next_underscore[index + 1]
        # The greedy end of a domain starting right after each dot, right to left, so that
        # each label is looked at once.
        self.after_dot: dict[int, int | None] = {}
        for index in range(size - 1, -1, -1):
            if text[index] == ".":
                self.after_dot[index + 1] = self._domain_end(index + 1)

    def candidates(self) -> list[_Candidate]:
        found: list[_Candidate] = []
        text = self.text
        position = 0
        while position < len(text):
            candidate = None
            if self.as_javascript and ord(text[position]) > 0xFFFF:
                # JavaScript tries each UTF-16 unit: the emoji's first half as the character
                # before the link, and the link from its second half, before what follows it.
                candidate = self._link_at(position, _FIRST_HALF)
            if candidate is None and text[position] not in _NOT_BEFORE:
                candidate = self._link_at(position + 1, text[position])
            if candidate is None and position == 0:
                candidate = self._link_at(0, "")
            if candidate is None:
                position += 1
            else:
                found.append(candidate)
                position = candidate.end
        return found

    def _link_at(self, start: int, before: str) -> _Candidate | None:
        domain_start = start
        protocol = _PROTOCOL.match(self.text, start)
        domain_end = None
        if protocol:
            domain_start = protocol.end()
            domain_end = self._domain_end_at(domain_start)
        if domain_end is None:
            domain_start = start
            domain_end = self._domain_end_at(start)
        if domain_end is None:
            return None
        tail = _tail_pattern(self.as_javascript).match(self.text, domain_end)
        assert tail is not None  # every part of the tail is optional
        return _Candidate(
            before, start, domain_start, domain_end, tail.end(), tail["path"] is not None
        )

    def _domain_end_at(self, start: int) -> int | None:
        if start in self.after_dot:
            return self.after_dot[start]
        return self._domain_end(start)

    def _domain_end(self, start: int) -> int | None:
        """The end of (subdomain.)* domain. TLD from `start`, taking as many labels as can be."""
        text = self.text
        end = self.run_end[start]
        if end == start or end >= len(text) or text[end] != ".":
            return None
        if text[start] in _DASHES or text[end - 1] in _DASHES:
            return None
        following = self.after_dot.get(end + 1)
        if following is not None:
            return following
        if self.next_underscore[start] < end:
            return None
        tld = _tld_length(text, end + 1, len(text))
        return end + 1 + tld if tld else None


def _ascii_domains(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The domains of ASCII (and accented Latin) labels within text[start:end], greedy."""
    run_end = [end] * (end - start + 1)
    for index in range(end - 1, start - 1, -1):
        if text[index] not in _ASCII_LABEL:
            run_end[index - start] = index
        else:
            run_end[index - start] = run_end[index - start + 1]
    after_dot: dict[int, int | None] = {}

    def domain_end(first: int) -> int | None:
        label_end = run_end[first - start]
        if label_end == first or label_end >= end or text[label_end] != ".":
            return None
        following = after_dot.get(label_end + 1)
        if following is not None:
            return following
        tld = _tld_length(text, label_end + 1, end)
        return label_end + 1 + tld if tld else None

    for index in range(end - 1, start - 1, -1):
        if text[index] == ".":
            after_dot[index + 1] = domain_end(index + 1)
    spans: list[tuple[int, int]] = []
    position = start
    while position < end:
        found = after_dot[position] if position in after_dot else domain_end(position)
        if found is None:
            position += 1
        else:
            spans.append((position, found))
            position = found
    return spans


def _tld_length(text: str, start: int, end: int) -> int:
    """How long the top-level domain at `start` is (0: none), looking no further than `end`."""
    ascii_names, lengths, other_names = _tlds()
    # Internationalised names (a few, like vermögensberater, start with ASCII letters).
    for length in lengths:
        stop = start + length
        if (
            stop <= end
            and text[start:stop].lower() in other_names
            and (stop == end or text[stop] not in _TLD_STOP)
        ):
            return length
    # An ASCII name is the whole run of letters and digits.
    index = start
    while index < end and text[index] in _ASCII_ALNUM:
        index += 1
    if index == start:
        return 0
    if (index == end or text[index] not in "@+-") and text[start:index].lower() in ascii_names:
        return index - start
    # A name spelt in punycode.
    if text[start : start + 4].lower() == "xn--":
        index = start + 4
        while index < end and text[index] in _PUNYCODE:
            index += 1
        return index - start if index > start + 4 else 0
    return 0


def _utf16_length(text: str) -> int:
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def _after_utf16(text: str, start: int, units: int) -> int:
    """Where `units` UTF-16 units from text[start] end, in code points. An end inside a
    character beyond the BMP stops before it: JavaScript then weighs its second half, which
    weighs what the whole character would."""
    index = start
    while units > 0 and index < len(text):
        units -= 2 if ord(text[index]) > 0xFFFF else 1
        if units < 0:
            break
        index += 1
    return index


def _second_half(char: str) -> str:
    """The low surrogate of a character beyond the BMP, as JavaScript holds it."""
    return chr(0xDC00 + ((ord(char) - 0x10000) & 0x3FF))


def _domain_to_ascii(domain: str) -> str | None:
    """The punycode form of a link's host, or None when a label is empty or over 63."""
    if domain.startswith("xn--") and not _ascii_domains(domain, 0, len(domain)):
        return None
    labels: list[str] = []
    for label in domain.split("."):
        # Ideographic full stops separate labels too, once encoded (as in IDNA); twitter-text
        # only checks the encoded label's length, so "\u3002example" passes, as ".example".
        parts = _IDEOGRAPHIC_STOPS.split(label)
        try:
            encoded = ".".join(
                part if part.isascii() else "xn--" + part.encode("punycode").decode("ascii")
                for part in parts
            )
        except UnicodeError:
            return None
        if not 1 <= len(encoded) <= _MAX_LABEL_LENGTH:
            return None
        labels.append(encoded)
    return ".".join(labels)


# twitter-text's limits and character classes for links.
_MAX_URL_LENGTH = 4096
_MAX_LABEL_LENGTH = 63
_MAX_TCO_SLUG_LENGTH = 40


def _chars(*ranges: tuple[int, int]) -> frozenset[str]:
    return frozenset(chr(code) for first, last in ranges for code in range(first, last + 1))


_ASCII_ALNUM = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_DASHES = frozenset("-_")
_PUNCTUATION = frozenset("!'#%&()*+,\\-./:;<=>?@[]^_{|}~$")
_SPACES = _chars((0x9, 0xD), (0x20, 0x20), (0x85, 0x85), (0xA0, 0xA0), (0x1680, 0x1680))
_SPACES |= _chars((0x180E, 0x180E), (0x2000, 0x200A), (0x2028, 0x2029), (0x202F, 0x202F))
_SPACES |= _chars((0x205F, 0x205F), (0x3000, 0x3000))
_INVALID = frozenset("\ufffe\ufeff\uffff")
_DIRECTIONAL_MARKS = _chars((0x61C, 0x61C), (0x200E, 0x200F), (0x202A, 0x202E), (0x2066, 0x2069))
# What may not be in a host name label; - and _ may, but not at either end.
_NOT_LABEL = (_PUNCTUATION | _SPACES | _INVALID | _DIRECTIONAL_MARKS) - _DASHES
# A link does not start right after a letter, digit, @, $ or # (a word, mention, cashtag, tag).
_NOT_BEFORE = _ASCII_ALNUM | frozenset("@\uff20$#\uff03") | _INVALID
_LATIN_ACCENTS = _chars(
    (0xC0, 0xD6), (0xD8, 0xF6), (0xF8, 0xFF), (0x100, 0x24F), (0x253, 0x254), (0x256, 0x257)
) | _chars(
    (0x259, 0x259), (0x25B, 0x25B), (0x263, 0x263), (0x268, 0x268), (0x26F, 0x26F),
    (0x272, 0x272), (0x289, 0x289), (0x28B, 0x28B), (0x2BB, 0x2BB), (0x300, 0x36F),
    (0x1E00, 0x1EFF),
)  # fmt: skip
_ASCII_LABEL = _ASCII_ALNUM | frozenset("-") | _LATIN_ACCENTS
_PUNYCODE = frozenset("-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_TLD_STOP = _ASCII_ALNUM | frozenset("@+-")
# A link without protocol right after one of these is a file name or a path, not a link.
_BAD_BEFORE_BARE = frozenset("-_./")
# The "character before" a link that starts in the second half of an emoji (as_javascript).
_FIRST_HALF = "\ud800"
_IDEOGRAPHIC_STOPS = regex.compile(r"[\u3002\uff0e\uff61]")
_PROTOCOL = regex.compile(r"https?://", regex.IGNORECASE | regex.ASCII)
_LATIN_ACCENT_CLASS = (
    r"\xc0-\xd6\xd8-\xf6\xf8-\xff\u0100-\u024f\u0253\u0254\u0256\u0257\u0259\u025b\u0263"
    r"\u0268\u026f\u0272\u0289\u028b\u02bb\u0300-\u036f\u1e00-\u1eff"
)
_PATH_CHAR = rf"[a-z\u0400-\u04ff0-9!*';:=+,.$/%#\[\]\-\u2013_~@|&{_LATIN_ACCENT_CLASS}]"
# Balanced parentheses, one level deep: wikipedia.org/wiki/Primer_(film)
_PARENS = rf"\((?:{_PATH_CHAR}+|(?:{_PATH_CHAR}*\({_PATH_CHAR}+\){_PATH_CHAR}*))\)"
# A path does not end with punctuation that belongs to the sentence.
_PATH_END = rf"(?:[+\-a-z\u0400-\u04ff0-9=_#/{_LATIN_ACCENT_CLASS}]|{_PARENS})"
_PATH = rf"(?:(?:{_PATH_CHAR}*(?:{_PARENS}{_PATH_CHAR}*)*{_PATH_END})|(?:@{_PATH_CHAR}+/))"
# The JavaScript library splices the ending characters in as text, so their "or" splits the
# whole path in two: characters ending in a letter or the like, or parentheses alone. A
# segment such as ".(a)" is no path there, and "example.com/.(a)" links "example.com/" only.
_JAVASCRIPT_PATH_END = rf"[+\-a-z\u0400-\u04ff0-9=_#/{_LATIN_ACCENT_CLASS}]"
_JAVASCRIPT_PATH = (
    rf"(?:{_PATH_CHAR}*(?:{_PARENS}{_PATH_CHAR}*)*{_JAVASCRIPT_PATH_END}|{_PARENS}"
    rf"|@{_PATH_CHAR}+/)"
)
_QUERY = r"\?[a-z0-9!?*'@();:&=+$/%#\[\]\-_.,~|]*[a-z0-9\-_&=#/]"


@cache
def _tail_pattern(as_javascript: bool = False) -> regex.Pattern[str]:
    # Only ASCII letters match case-insensitively, as in twitter-text's JavaScript.
    path = _JAVASCRIPT_PATH if as_javascript else _PATH
    return regex.compile(
        rf"(?::[0-9]+)?(?P<path>/{path}*)?(?:{_QUERY})?", regex.IGNORECASE | regex.ASCII
    )


@cache
def _tco_pattern() -> regex.Pattern[str]:
    return regex.compile(r"https?://t\.co/([a-z0-9]+)(?:" + _QUERY + ")?", regex.I | regex.A)


@cache
def _tlds() -> tuple[frozenset[str], tuple[int, ...], frozenset[str]]:
    """ASCII TLDs; the lengths of the others, longest first; the others (lower case)."""
    names = {
        unicodedata.normalize("NFC", name[4:].encode("ascii").decode("punycode")).lower()
        if name.startswith("xn--")
        else name
        for name in (_GENERIC_TLDS + _COUNTRY_TLDS).split()
    }
    ascii_names = frozenset(name for name in names if name.isascii())
    others = frozenset(names - ascii_names)
    return ascii_names, tuple(sorted({len(n) for n in others}, reverse=True)), others
