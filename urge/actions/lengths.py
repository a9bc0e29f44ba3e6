"""Counting a post's length the way X, Bluesky, Threads and Mastodon count it."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import regex


@dataclass(frozen=True)
class Limit:
    """The longest post a platform takes, in the platform's own unit (see post_length)."""

    platform: str  # "x", "bluesky", "threads", "mastodon"
    maximum: int


LIMITS: dict[str, Limit] = {
    limit.platform: limit
    for limit in (
        Limit("x", 280),
        Limit("bluesky", 300),
        Limit("threads", 500),
        # Mastodon's own limit; some instances raise it.
        Limit("mastodon", 500),
    )
}


@dataclass(frozen=True)
class WeightRange:
    """Code points start..end (inclusive) weigh `weight` (before dividing by the scale)."""

    start: int
    end: int
    weight: int


@dataclass(frozen=True)
class WeightConfig:
    """One of twitter-text's published weighting configs (config/v2.json, config/v3.json)."""

    version: int
    max_weighted_tweet_length: int
    scale: int
    default_weight: int
    emoji_parsing_enabled: bool
    transformed_url_length: int
    ranges: tuple[WeightRange, ...]

    def weight(self, char: str) -> int:
        code = ord(char)
        for weight_range in self.ranges:
            if weight_range.start <= code <= weight_range.end:
                return weight_range.weight
        return self.default_weight

    def as_json(self) -> dict[str, object]:
        """The config with the key names of twitter-text's JSON files."""
        return {
            "version": self.version,
            "maxWeightedTweetLength": self.max_weighted_tweet_length,
            "scale": self.scale,
            "defaultWeight": self.default_weight,
            "emojiParsingEnabled": self.emoji_parsing_enabled,
            "transformedURLLength": self.transformed_url_length,
            "ranges": [{"start": r.start, "end": r.end, "weight": r.weight} for r in self.ranges],
        }


# Latin, Greek, Cyrillic, Hebrew, Arabic and the other alphabets below U+1100, and some spaces
# and punctuation, weigh half of everything else (CJK, emoji, symbols).
_LIGHT = (
    WeightRange(0, 4351, 100),
    WeightRange(8192, 8205, 100),
    WeightRange(8208, 8223, 100),
    WeightRange(8242, 8247, 100),
)
CONFIG_V2 = WeightConfig(2, 280, 100, 200, False, 23, _LIGHT)
# What X counts with now: v2, except that an emoji sequence (ZWJ family, skin tone, flag,
# keycap) weighs as one character.
CONFIG_V3 = WeightConfig(3, 280, 100, 200, True, 23, _LIGHT)


def weighted_length(text: str, config: WeightConfig = CONFIG_V3) -> int:
    """X's count: a link weighs transformedURLLength, an emoji the default weight, any other
    character the weight of its range; the sum is divided by the scale."""
    text = unicodedata.normalize("NFC", _unify_line_breaks(text))
    urls = dict(url_spans(text))
    emoji = dict(_emoji_spans(text)) if config.emoji_parsing_enabled else {}
    total = 0
    index = 0
    while index < len(text):
        if index in urls:
            total += config.transformed_url_length * config.scale
            index = urls[index]
        elif index in emoji:
            total += config.default_weight
            index = emoji[index]
        else:
            total += config.weight(text[index])
            index += 1
    return total // config.scale


def grapheme_length(text: str) -> int:
    """Bluesky's count: extended grapheme clusters (a flag, a family emoji or e + accent is 1)."""
    return len(_GRAPHEME.findall(text))


def post_length(platform: str, text: str) -> int:
    """The length of `text` as `platform` counts it against LIMITS[platform]."""
    counter = _COUNTERS.get(platform)
    if counter is None:
        raise ValueError(f"Unknown platform {platform!r}; expected one of {', '.join(LIMITS)}")
    return counter(text)


def fits(platform: str, text: str) -> bool:
    """Whether `text` is short enough for `platform` (only the length: an empty text fits)."""
    return post_length(platform, text) <= LIMITS[platform].maximum


def url_spans(text: str, *, without_protocol: bool = True) -> list[tuple[int, int]]:
    """Where twitter-text finds links in `text`: [start, end) in code points.

    http(s) links, and with `without_protocol` (X counts them; Mastodon does not) bare
    domains such as example.com/path. Only the listed top-level domains make a link, and no
    label of the host may pass 63 characters once punycode-encoded.
    """
    # Every link has a dot in its host: most texts are done here.
    if "." not in text:
        return []
    spans: list[tuple[int, int]] = []
    for candidate in _LinkScanner(text).candidates():
        url = text[candidate.start : candidate.end]
        domain = text[candidate.domain_start : candidate.domain_end]
        ascii_domain = _domain_to_ascii(domain)
        if ascii_domain is None:
            continue
        protocol_length = candidate.domain_start - candidate.start
        length = (protocol_length or len("https://")) + len(url) - len(domain) + len(ascii_domain)
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
                bare[-1] = (bare[-1][0], candidate.end)
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

    def __init__(self, text: str) -> None:
        self.text = text
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
            if text[position] not in _NOT_BEFORE:
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
        tail = _tail_pattern().match(self.text, domain_end)
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


def _domain_to_ascii(domain: str) -> str | None:
    """The punycode form of a link's host, or None when a label is empty or over 63."""
    if domain.startswith("xn--") and not _ascii_domains(domain, 0, len(domain)):
        return None
    labels: list[str] = []
    for label in domain.split("."):
        # Ideographic full stops separate labels too, once encoded (as in IDNA).
        parts = _IDEOGRAPHIC_STOPS.split(label)
        if not all(parts):
            return None
        try:
            encoded = ".".join(
                part if part.isascii() else "xn--" + part.encode("punycode").decode("ascii")
                for part in parts
            )
        except UnicodeError:
            return None
        if len(encoded) > _MAX_LABEL_LENGTH:
            return None
        labels.append(encoded)
    return ".".join(labels)


def _emoji_spans(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in _emoji_pattern().finditer(text)]


def _unify_line_breaks(text: str) -> str:
    # Browsers send a textarea's line breaks as CRLF; the composer a post lands in holds LF.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _threads_length(text: str) -> int:
    """Threads: characters, an emoji as its UTF-8 byte count (Threads API, "Posts")."""
    text = _unify_line_breaks(text)
    emoji = dict(_emoji_spans(text))
    total = 0
    index = 0
    while index < len(text):
        if index in emoji:
            total += len(text[index : emoji[index]].encode("utf-8"))
            index = emoji[index]
        else:
            total += 1
            index += 1
    return total


def _mastodon_length(text: str) -> int:
    """Mastodon (StatusLengthValidator): grapheme clusters, an http(s) link as 23 and a remote
    mention as its @user part; a link without protocol counts in full."""
    text = _unify_line_breaks(text)
    entities = [
        (start, end, "x" * _MASTODON_URL_LENGTH)
        for start, end in url_spans(text, without_protocol=False)
    ]
    entities += [(m.start(), m.end(), "@" + m[1]) for m in _MASTODON_MENTION.finditer(text)]
    pieces: list[str] = []
    position = 0
    # Of overlapping entities the one that starts first counts, as in Mastodon.
    for start, end, replacement in sorted(entities):
        if start < position:
            continue
        pieces += [text[position:start], replacement]
        position = end
    pieces.append(text[position:])
    return grapheme_length("".join(pieces))


_COUNTERS: dict[str, Callable[[str], int]] = {
    "x": weighted_length,
    # The Bluesky app counts a long link as the shortened form it shows; counting links in
    # full may over-count, but never lets through a post the app would refuse.
    "bluesky": grapheme_length,
    "threads": _threads_length,
    "mastodon": _mastodon_length,
}

_GRAPHEME = regex.compile(r"\X")
_MASTODON_URL_LENGTH = 23
# Mastodon's Account::MENTION_RE: @user or @user@domain, not inside a word or a link path.
_MASTODON_MENTION = regex.compile(
    r"(?<![=/\w])@([a-z0-9_]+(?:[.-]+[a-z0-9_]+)*)(?:@\w+(?:[.-]+\w+)*)?", regex.IGNORECASE
)

# Emoji as X groups them (twemoji-parser): a keycap, a flag, a subdivision flag, or up to
# four pictographs joined by ZWJ (no standard sequence has more), each with an optional skin
# tone or emoji presentation selector.
# A lone pictograph weighs the default weight either way, except (c) and (r), whose code
# points are light: they are emoji only with the presentation selector U+FE0F.
_PICTOGRAPH = r"(?:(?![\xa9\xae])[\p{Extended_Pictographic}\p{Emoji_Presentation}])"
_EMOJI_ELEMENT = (
    r"(?:\p{Emoji_Modifier_Base}\p{Emoji_Modifier}|" + _PICTOGRAPH + r"\ufe0f?|[\xa9\xae]\ufe0f)"
)
_EMOJI = (
    r"[#*0-9]\ufe0f?\u20e3"
    r"|\p{Regional_Indicator}{2}"
    r"|\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f"
    r"|" + _EMOJI_ELEMENT + r"(?:\u200d" + _EMOJI_ELEMENT + r"){0,3}"
)


@cache
def _emoji_pattern() -> regex.Pattern[str]:
    return regex.compile(_EMOJI)


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
_QUERY = r"\?[a-z0-9!?*'@();:&=+$/%#\[\]\-_.,~|]*[a-z0-9\-_&=#/]"


@cache
def _tail_pattern() -> regex.Pattern[str]:
    # Only ASCII letters match case-insensitively, as in twitter-text's JavaScript.
    return regex.compile(
        rf"(?::[0-9]+)?(?P<path>/{_PATH}*)?(?:{_QUERY})?", regex.IGNORECASE | regex.ASCII
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


# The top-level domains twitter-text 3 recognises (its conformance/tld_lib.yml; Apache-2.0),
# internationalised ones in their xn-- form: text under any other TLD is not a link on X.
_GENERIC_TLDS = """
aaa aarp abarth abb abbott abbvie abc able abogado abudhabi academy accenture accountant
accountants aco active actor adac ads adult aeg aero aetna afamilycompany afl africa agakhan
agency aig aigo airbus airforce airtel akdn alfaromeo alibaba alipay allfinanz allstate ally
alsace alstom americanexpress americanfamily amex amfam amica amsterdam analytics android anquan
anz aol apartments app apple aquarelle arab aramco archi army arpa art arte asda asia associates
athleta attorney auction audi audible audio auspost author auto autos avianca aws axa azure baby
baidu banamex bananarepublic band bank bar barcelona barclaycard barclays barefoot bargains
baseball basketball bauhaus bayern bbc bbt bbva bcg bcn beats beauty beer bentley berlin best
bestbuy bet bharti bible bid bike bing bingo bio biz black blackfriday blanco blockbuster blog
bloomberg blue bms bmw bnl bnpparibas boats boehringer bofa bom bond boo book booking boots
bosch bostik boston bot boutique box bradesco bridgestone broadway broker brother brussels
budapest bugatti build builders business buy buzz bzh cab cafe cal call calvinklein cam camera
camp cancerresearch canon capetown capital capitalone car caravan cards care career careers cars
cartier casa case caseih cash casino cat catering catholic cba cbn cbre cbs ceb center ceo cern
cfa cfd chanel channel charity chase chat cheap chintai chloe christmas chrome chrysler church
cipriani circle cisco citadel citi citic city cityeats claims cleaning click clinic clinique
clothing cloud club clubmed coach codes coffee college cologne com comcast commbank community
company compare computer comsec condos construction consulting contact contractors cooking
cookingchannel cool coop corsica country coupon coupons courses cpa credit creditcard
creditunion cricket crown crs cruise cruises csc cuisinella cymru cyou dabur dad dance data date
dating datsun day dclk dds deal dealer deals degree delivery dell deloitte delta democrat dental
dentist desi design dev dhl diamonds diet digital direct directory discount discover dish diy
dnp docs doctor dodge dog doha domains doosan dot download drive dtv dubai duck dunlop duns
dupont durban dvag dvr earth eat eco edeka edu education email emerck energy engineer
engineering enterprises epost epson equipment ericsson erni esq estate esurance etisalat
eurovision eus events everbank exchange expert exposed express extraspace fage fail fairwinds
faith family fan fans farm farmers fashion fast fedex feedback ferrari ferrero fiat fidelity
fido film final finance financial fire firestone firmdale fish fishing fit fitness flickr
flights flir florist flowers flsmidth fly foo food foodnetwork football ford forex forsale forum
foundation fox free fresenius frl frogans frontdoor frontier ftr fujitsu fujixerox fun fund
furniture futbol fyi gal gallery gallo gallup game games gap garden gay gbiz gdn gea gent
genting george ggee gift gifts gives giving glade glass gle global globo gmail gmbh gmo gmx
godaddy gold goldpoint golf goo goodhands goodyear goog google gop got gov grainger graphics
gratis green gripe grocery group guardian gucci guge guide guitars guru hair hamburg hangout
haus hbo hdfc hdfcbank health healthcare help helsinki here hermes hgtv hiphop hisamitsu hitachi
hiv hkt hockey holdings holiday homedepot homegoods homes homesense honda honeywell horse
hospital host hosting hot hoteles hotels hotmail house how hsbc htc hughes hyatt hyundai ibm
icbc ice icu ieee ifm iinet ikano imamat imdb immo immobilien inc industries infiniti info ing
ink institute insurance insure int intel international intuit investments ipiranga irish iselect
ismaili ist istanbul itau itv iveco iwc jaguar java jcb jcp jeep jetzt jewelry jio jlc jll jmp
jnj jobs joburg jot joy jpmorgan jprs juegos juniper kaufen kddi kerryhotels kerrylogistics
kerryproperties kfh kia kim kinder kindle kitchen kiwi koeln komatsu kosher kpmg kpn krd kred
kuokgroup kyoto lacaixa ladbrokes lamborghini lamer lancaster lancia lancome land landrover
lanxess lasalle lat latino latrobe law lawyer lds lease leclerc lefrak legal lego lexus lgbt
liaison lidl life lifeinsurance lifestyle lighting like lilly limited limo lincoln linde link
lipsy live living lixil llc llp loan loans locker locus loft lol london lotte lotto love lpl
lplfinancial ltd ltda lundbeck lupin luxe luxury macys madrid maif maison makeup man management
mango map market marketing markets marriott marshalls maserati mattel mba mcd mcdonalds mckinsey
med media meet melbourne meme memorial men menu meo merckmsd metlife miami microsoft mil mini
mint mit mitsubishi mlb mls mma mobi mobile mobily moda moe moi mom monash money monster
montblanc mopar mormon mortgage moscow moto motorcycles mov movie movistar msd mtn mtpc mtr
museum mutual mutuelle nab nadex nagoya name nationwide natura navy nba nec net netbank netflix
network neustar new newholland news next nextdirect nexus nfl ngo nhk nico nike nikon ninja
nissan nissay nokia northwesternmutual norton now nowruz nowtv nra nrw ntt nyc obi observer off
office okinawa olayan olayangroup oldnavy ollo omega one ong onion onl online onyourside ooo
open oracle orange org organic orientexpress origins osaka otsuka ott ovh page pamperedchef
panasonic panerai paris pars partners parts party passagens pay pccw pet pfizer pharmacy phd
philips phone photo photography photos physio piaget pics pictet pictures pid pin ping pink
pioneer pizza place play playstation plumbing plus pnc pohl poker politie porn post pramerica
praxi press prime pro prod productions prof progressive promo properties property protection pru
prudential pub pwc qpon quebec quest qvc racing radio raid read realestate realtor realty
recipes red redstone redumbrella rehab reise reisen reit reliance ren rent rentals repair report
republican rest restaurant review reviews rexroth rich richardli ricoh rightathome ril rio rip
rmit rocher rocks rodeo rogers room rsvp rugby ruhr run rwe ryukyu saarland safe safety sakura
sale salon samsclub samsung sandvik sandvikcoromant sanofi sap sapo sarl sas save saxo sbi sbs
sca scb schaeffler schmidt scholarships school schule schwarz science scjohnson scor scot search
seat secure security seek select sener services ses seven sew sex sexy sfr shangrila sharp shaw
shell shia shiksha shoes shop shopping shouji show showtime shriram silk sina singles site ski
skin sky skype sling smart smile sncf soccer social softbank software sohu solar solutions song
sony soy space spiegel sport spot spreadbetting srl srt stada staples star starhub statebank
statefarm statoil stc stcgroup stockholm storage store stream studio study style sucks supplies
supply support surf surgery suzuki swatch swiftcover swiss sydney symantec systems tab taipei
talk taobao target tatamotors tatar tattoo tax taxi tci tdk team tech technology tel telecity
telefonica temasek tennis teva thd theater theatre tiaa tickets tienda tiffany tips tires tirol
tjmaxx tjx tkmaxx tmall today tokyo tools top toray toshiba total tours town toyota toys trade
trading training travel travelchannel travelers travelersinsurance trust trv tube tui tunes
tushu tvs ubank ubs uconnect unicom university uno uol ups vacations vana vanguard vegas
ventures verisign versicherung vet viajes video vig viking villas vin vip virgin visa vision
vista vistaprint viva vivo vlaanderen vodka volkswagen volvo vote voting voto voyage vuelos
wales walmart walter wang wanggou warman watch watches weather weatherchannel webcam weber
website wed wedding weibo weir whoswho wien wiki williamhill win windows wine winners wme
wolterskluwer woodside work works world wow wtc wtf xbox xerox xfinity xihuan xin xn--11b4c3d
xn--1ck2e1b xn--1qqw23a xn--30rr7y xn--3bst00m xn--3ds443g xn--3oq18vl8pn36a xn--3pxu8k
xn--42c2d9a xn--45q11c xn--4gbrim xn--55qw42g xn--55qx5d xn--5su34j936bgsg xn--5tzm5g
xn--6frz82g xn--6qq986b3xl xn--80adxhks xn--80aqecdr1a xn--80asehdb xn--80aswg xn--8y0a063a
xn--9dbq2a xn--9et52u xn--9krt00a xn--b4w605ferd xn--bck1b9a5dre4c xn--c1avg xn--c2br7g
xn--cck2b3b xn--cg4bki xn--czr694b xn--czrs0t xn--czru2d xn--d1acj3b xn--eckvdtc9d xn--efvy88h
xn--estv75g xn--fct429k xn--fhbei xn--fiq228c5hs xn--fiq64b xn--fjq720a xn--flw351e
xn--fzys8d69uvgm xn--g2xx48c xn--gckr3f0f xn--gk3at1e xn--hxt814e xn--i1b6b1a6a2e xn--imr513n
xn--io0a7i xn--j1aef xn--jlq61u9w7b xn--jvr189m xn--kcrx77d1x4a xn--kpu716f xn--kput3i
xn--mgba3a3ejt xn--mgba7c0bbn0a xn--mgbaakc7dvf xn--mgbab2bd xn--mgbb9fbpob xn--mgbca7dzdo
xn--mgbi4ecexp xn--mgbt3dhd xn--mk1bu44c xn--mxtq1m xn--ngbc5azd xn--ngbe9e0a xn--ngbrx
xn--nqv7f xn--nqv7fs00ema xn--nyqy26a xn--otu796d xn--p1acf xn--pbt977c xn--pssy2u xn--q9jyb4c
xn--qcka1pmc xn--rhqv96g xn--rovu88b xn--ses554g xn--t60b56a xn--tckwe xn--tiq49xqyj xn--unup4y
xn--vermgensberater-ctb xn--vermgensberatung-pwb xn--vhquv xn--vuq861b xn--w4r85el8fhu5dnra
xn--w4rs40l xn--xhq521b xn--zfr164b xperia xxx xyz yachts yahoo yamaxun yandex yodobashi yoga
yokohama you youtube yun zappos zara zero zip zippo zone zuerich
"""
_COUNTRY_TLDS = """
ac ad ae af ag ai al am an ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bl bm bn bo bq
br bs bt bv bw by bz ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz
ec ee eg eh er es et eu fi fj fk fm fo fr ga gb gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw
gy hk hm hn hr ht hu id ie il im in io iq ir is it je jm jo jp ke kg kh ki km kn kp kr kw ky kz
la lb lc li lk lr ls lt lu lv ly ma mc md me mf mg mh mk ml mm mn mo mp mq mr ms mt mu mv mw mx
my mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk pl pm pn pr ps pt pw py qa re ro
rs ru rw sa sb sc sd se sg sh si sj sk sl sm sn so sr ss st su sv sx sy sz tc td tf tg th tj tk
tl tm tn to tp tr tt tv tw tz ua ug uk um us uy uz va vc ve vg vi vn vu wf ws xn--2scrj9c
xn--3e0b707e xn--3hcrj9c xn--45br5cyl xn--45brj9c xn--54b7fta0cc xn--80ao21a xn--90a3ac xn--90ae
xn--90ais xn--clchc0ea0b2g2a9gcd xn--d1alf xn--e1a4c xn--fiqs8s xn--fiqz9s xn--fpcrj9c3d
xn--fzc2c9e2c xn--gecrj9c xn--h2breg3eve xn--h2brj9c xn--h2brj9c8c xn--j1amh xn--j6w193g
xn--kprw13d xn--kpry57d xn--l1acc xn--lgbbat1ad8j xn--mgb9awbf xn--mgba3a4f16a xn--mgbaam7a8h
xn--mgbah1a3hjkrd xn--mgbai9azgqp6j xn--mgbayh7gpa xn--mgbbh1a xn--mgbbh1a71e xn--mgbc0a9azcg
xn--mgbcpq6gpa1a xn--mgberp4a5d4ar xn--mgbgu82a xn--mgbpl2fh xn--mgbtx2b xn--mgbx4cd0ab
xn--mix891f xn--node xn--o3cw4h xn--ogbpf8fl xn--p1ai xn--pgbs0dh xn--q7ce6a xn--qxa6a xn--qxam
xn--rvc1e0am3e xn--s9brj9c xn--wgbh1c xn--wgbl6a xn--xkc2al3hye2a xn--xkc2dl3a5ee0h xn--y9a3aq
xn--yfro4i67o xn--ygbi2ammx ye yt za zm zw
"""
