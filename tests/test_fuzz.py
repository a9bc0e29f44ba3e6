"""No input gets a 5xx or a traceback (issue 12): thousands of generated requests, malformed,
oversized, wrongly encoded or duplicated, to every public route in both languages, through
the stack `urge serve` runs, with its HTTP cache on.

Hypothesis runs derandomized, so CI sends the same requests every time; each test checks how
many it sent, and the module prints the total ("fuzz: N requests, 0 answered 5xx").
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote_from_bytes

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.supporters import sign_up
from tests.wsgi import Answer, request
from urge.campaigns.models import Campaign
from urge.core.httpcache import HttpCache
from urge.legislators.models import DataRelease
from urge.supporters import bots
from urge.supporters.links import ALL_COHOSTS, CONFIRM, ERASE, UNSUBSCRIBE, LinkTarget, make_token

SENT: Counter[str] = Counter()  # "requests", and answers by class ("5xx"), over the module
STAMP = "<a fresh form stamp>"  # replaced when sent: a stamp is only valid for a while


def fuzzing(examples: int) -> hypothesis_settings:
    """Hypothesis' settings here: the same requests on every run, and no example database
    written into the working tree."""
    return hypothesis_settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@dataclass
class Sent:
    method: str
    path: str
    query: str = ""
    body: bytes = b""
    meta: dict[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:  # what Hypothesis shows for a failing example: not megabytes
        return (
            f"Sent({self.method!r}, {self.path[:300]!r}, query={self.query[:300]!r}, "
            f"body={self.body[:300]!r} ({len(self.body)} bytes), meta={self.meta!r})"[:3000]
        )


class Fuzzer:
    """Sends a request through the site, and fails on a 5xx or anything logged with a
    traceback or at ERROR."""

    def __init__(self, site: HttpCache, caplog: pytest.LogCaptureFixture) -> None:
        self.site, self.caplog, self.sent = site, caplog, 0
        caplog.set_level(logging.WARNING)

    def send(self, sent: Sent) -> Answer:
        body = sent.body.replace(STAMP.encode(), bots.new_stamp().encode())
        meta = {"QUERY_STRING": sent.query, **sent.meta}
        self.caplog.clear()
        SENT["requests"] += 1
        self.sent += 1
        answer = request(self.site, sent.path, sent.method, body, **meta)
        SENT[f"{answer.status // 100}xx"] += 1
        assert answer.status < 500, answer.body[:2000]
        logged = [
            f"{record.name}: {record.getMessage()}"
            for record in self.caplog.records
            if record.levelno >= logging.ERROR or record.exc_info
        ]
        assert logged == []
        return answer


@pytest.fixture(scope="module", autouse=True)
def _total(pytestconfig: pytest.Config) -> Iterator[None]:
    """Prints the module's figures past pytest's capture, even with -q."""
    yield
    by_class = ", ".join(f"{SENT[name]} {name}" for name in ("2xx", "3xx", "4xx"))
    line = f"\nfuzz: {SENT['requests']} requests, {SENT['5xx']} answered 5xx ({by_class})"
    capture = pytestconfig.pluginmanager.get_plugin("capturemanager")
    if capture is None:  # run with -p no:capture: nothing to get past
        print(line)
        return
    with capture.global_and_fixture_disabled():
        print(line)


@pytest.fixture
def fuzzer(
    hketo: Campaign,
    release: DataRelease,
    site: HttpCache,
    caplog: pytest.LogCaptureFixture,
    settings: Any,
) -> Fuzzer:
    settings.URGE_GEOCODER = False  # addresses answered by their ZIP: no request leaves
    settings.URGE_SIGNUP_MIN_SECONDS = 0  # so that a generated sign-up can get through
    cache.clear()
    return Fuzzer(site, caplog)


def latin1(text: str) -> str:
    """Text as a WSGI server hands it to Django: its UTF-8 bytes, one character each."""
    return text.encode("utf-8").decode("latin-1")


# What the site's forms and query strings take, each name with plausible and odd values.
NAMES = [
    "zip", "address", "state", "district", "t", "post", "email", "call", "done", "done_for",
    "ref", "channel", "target", "variant", "text", "subject", "instance", "first_name",
    "last_name", "zip_code", "phone", "stamp", "work", bots.HONEYPOT, "cohost_dc4hk",
    "cohost_hkdc", "List-Unsubscribe", "csrfmiddlewaretoken", "username", "password", "v",
]  # fmt: skip
PLAUSIBLE = [
    "", "98104", "98101", "20500", "00000", "86515", "98101-1234", "1600 Pennsylvania Ave NW",
    "WA", "wa", "ZZ", "9", "07", "100", "²", "٣", "-1", "S000001", "S000001,S000002",
    "S999999", "email-copy", "email-form", "email-mailto", "email-gmail", "post-x",
    "post-mastodon", "call-reached", "ask-for-a-vote", "letter", "thank-you", "Hi",
    "ada@example.org", "Ada", "not-an-email", "One-Click", "partner-a", "dc4hk", "on",
    "mastodon.social", "https://evil.example/", "javascript:alert(1)", "<script>", "%", "\x00",
    "a\x00b", "\u202e", "\ufeff", "中文", STAMP, "e" * 40,
]  # fmt: skip


def huge(*sizes: int) -> st.SearchStrategy[str]:
    return st.builds(
        lambda char, count: char * count,
        st.sampled_from(["9", "a", "\x00", "中", "%", "&=", "x:1:"]),
        st.sampled_from(sizes),
    )


HUGE = huge(300, 5_000, 60_000)
# A server takes a request line of a few kilobytes (nginx: 8 KB), path and query together.
HUGE_IN_URL = huge(300, 2_000)
VALUES = st.one_of(st.sampled_from(PLAUSIBLE), st.sampled_from(PLAUSIBLE), st.text(), HUGE)
FIELD_NAMES = st.one_of(st.sampled_from(NAMES), st.sampled_from(NAMES), st.text(max_size=12))
Pairs = list[tuple[str, str]]
RANDOM_PAIRS = st.lists(st.tuples(FIELD_NAMES, VALUES), max_size=10)

# What each route takes, as its page sends it (in the query for GET), for mutating.
FORMS: dict[str, list[Pairs]] = {
    "/c/hketo/join/": [
        [
            ("first_name", "Ada"), ("last_name", "Lovelace"), ("email", "ada@example.org"),
            ("zip_code", "98104"), ("stamp", STAMP), ("cohost_dc4hk", "on"),
        ],
    ],
    "/c/hketo/act/go/": [
        [("channel", "email-copy"), ("target", "S000001"), ("variant", "letter")],
        [("channel", "call-reached"), ("target", "S000002"), ("variant", "thank-you"),
         ("t", "S000001,S000002"), ("state", "WA")],
        [("channel", "post-x"), ("target", "S000002"), ("variant", "ask-for-a-vote"),
         ("text", "Hi")],
        [("channel", "post-mastodon"), ("target", "S000001"), ("variant", "ask-for-a-vote"),
         ("text", "Hi"), ("instance", "mastodon.social")],
    ],
    "/c/hketo/act/": [
        [("t", "S000001,S000002"), ("state", "WA")],
        [("t", "S000001"), ("post", "ask-for-a-vote"), ("email", "letter"),
         ("call", "thank-you"), ("done", "call-reached"), ("done_for", "S000001")],
    ],
    "/c/hketo/": [[("zip", "98104")], [("zip", "98101"), ("district", "9")]],
    "/api/lookup": [[("zip", "98104")], [("zip", "98101"), ("state", "WA"), ("district", "9")]],
    "/c/hketo/join/resend/": [[("email", "ada@example.org")]],
    "/c/hketo/leave/{token}/": [[("List-Unsubscribe", "One-Click")]],
}  # fmt: skip
ALL_FORMS = [form for forms in FORMS.values() for form in forms]


@st.composite
def mutated(draw: st.DrawFn, forms: list[Pairs] = ALL_FORMS) -> Pairs:
    """A real form with a few of its fields changed, dropped, duplicated or added."""
    pairs = list(draw(st.sampled_from(forms)))
    for _ in range(draw(st.integers(0, 3))):
        where = draw(st.integers(0, len(pairs)))
        change = draw(st.sampled_from(["value", "drop", "duplicate", "add"]))
        if change == "add" or not pairs:
            pairs.insert(where, (draw(FIELD_NAMES), draw(VALUES)))
            continue
        where = min(where, len(pairs) - 1)
        name, _value = pairs[where]
        if change == "value":
            pairs[where] = (name, draw(VALUES))
        elif change == "drop":
            del pairs[where]
        else:
            pairs.insert(where, (name, draw(VALUES)))
    return pairs


PAIRS = st.one_of(mutated(), mutated(), RANDOM_PAIRS)


def urlencoded(pairs: Pairs, encoding: str) -> bytes:
    return "&".join(
        f"{quote_from_bytes(name.encode(encoding, 'replace'))}="
        f"{quote_from_bytes(value.encode(encoding, 'replace'))}"
        for name, value in pairs
    ).encode()


CHARSETS = st.sampled_from(
    ["", "", "; charset=utf-8", "; charset=UTF-16", "; charset=latin-1", "; charset=hex",
     "; charset=nope", "; charset=utf-7", '; charset="utf-8"']
)  # fmt: skip
FORM = "application/x-www-form-urlencoded"
OTHER_TYPES = st.sampled_from(
    [FORM, "multipart/form-data", "text/plain", "application/json", "", "*/*", "form",
     "application/x-www-form-urlencoded; boundary=x", "multipart/mixed; boundary=x"]
)  # fmt: skip
TOO_MANY_FIELDS = "&".join(f"f{n}=x" for n in range(1500)).encode()
TOO_BIG = b"email=" + b"a" * (3 * 1024 * 1024)


@st.composite
def multipart(draw: st.DrawFn, pairs: Pairs) -> tuple[str, bytes]:
    """A multipart body as a browser builds one, or as a careless client garbles it."""
    boundary = draw(st.sampled_from(["x", "----urge7", "é", "", 'a"b', "b" * 80, "a b"]))
    parts = []
    for name, value in pairs:
        extra = draw(st.sampled_from(["", "", '; filename="a.txt"', '; filename="\xff"']))
        headers = draw(
            st.sampled_from(
                ["", "", "Content-Type: text/plain; charset=utf-16\r\n",
                 "Content-Transfer-Encoding: base64\r\n", "Content-Type: text/x; charset=hex\r\n"]
            )
        )  # fmt: skip
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"{extra}\r\n'
            f"{headers}\r\n{value}\r\n".encode()
        )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    body = body[: int(len(body) * draw(st.sampled_from([1, 1, 1, 0.5, 0.9])))]
    announced = draw(st.sampled_from([f"; boundary={boundary}", f'; boundary="{boundary}"', ""]))
    return latin1(f"multipart/form-data{announced}{draw(CHARSETS)}"), body


@st.composite
def bodies(draw: st.DrawFn, forms: st.SearchStrategy[Pairs] = PAIRS) -> tuple[str, bytes]:
    """A content type and a body: forms in any encoding, multipart, or anything at all."""
    pairs = draw(forms)
    kinds = ["plain", "plain", "plain", "form", "form", "multipart", "multipart", "raw", "other"]
    kind = draw(st.sampled_from(kinds))
    if kind == "plain":  # as a browser sends a form: what reaches the views
        return FORM, urlencoded(pairs, "utf-8")
    if kind == "form":
        encoding = draw(st.sampled_from(["utf-8", "utf-8", "latin-1", "utf-16"]))
        return FORM + draw(CHARSETS), urlencoded(pairs, encoding)
    if kind == "multipart":
        return draw(multipart(pairs))
    if kind == "raw":  # unescaped, so "&", "=", NUL and bytes invalid in UTF-8 reach the parser
        raw = b"&".join(f"{name}={value}".encode() for name, value in pairs)
        return FORM + draw(CHARSETS), raw + draw(st.binary(max_size=40))
    body = draw(st.sampled_from([TOO_MANY_FIELDS, TOO_BIG, b"", b'{"zip": "98104"}', b"\xff\xfe"]))
    return draw(OTHER_TYPES), body


def query_strings() -> st.SearchStrategy[str]:
    """A query string as the server hands it over: percent-encoded, raw, or far too long."""
    encoded = PAIRS.map(lambda pairs: urlencoded(pairs, "utf-8").decode())
    raw = st.text(max_size=60).map(latin1)
    many = st.just(TOO_MANY_FIELDS.decode())
    odd = st.sampled_from(["%", "%zz&&==;", "%00=%ff"])
    # Cut to what fits in a request line, except the one with too many fields.
    fits = st.one_of(encoded, encoded, encoded, raw, odd).map(lambda query: query[:8192])
    return st.one_of(st.just(""), st.just(""), fits, fits, fits, many)


HEADERS = {
    "HTTP_ACCEPT": ["application/json", "text/html", "*/*", "application/json;q=0"],
    "HTTP_COOKIE": [
        "csrftoken=" + "a" * 32, "csrftoken=x", "sessionid=nope", "=;;=", "c" * 5000,
        "csrftoken=" + "a" * 32 + "; sessionid=abc; django_language=zh-hant",
    ],
    "HTTP_ORIGIN": ["http://testserver", "https://evil.example", "null"],
    "HTTP_REFERER": ["http://testserver/c/hketo/", "https://evil.example/"],
    "HTTP_SEC_FETCH_SITE": ["cross-site", "same-origin", "none", "same-site"],
    "HTTP_HOST": ["testserver", "evil.example", "testserver:8000", "", "[::1", "h" * 300],
    "HTTP_ACCEPT_LANGUAGE": ["zh-Hant", "zh-TW,zh;q=0.9", "*", "x" * 1000, "q=;;"],
    "HTTP_ACCEPT_ENCODING": ["gzip", "br", "gzip, deflate, br", "identity;q=0", "*"],
    "HTTP_IF_NONE_MATCH": ['"release-1"', "*", 'W/"x"', "nonsense"],
    "HTTP_IF_MODIFIED_SINCE": ["Sun, 06 Nov 1994 08:49:37 GMT", "yesterday"],
    "HTTP_RANGE": ["bytes=0-10", "bytes=-"],
    "HTTP_AUTHORIZATION": ["Basic Zm9vOmJhcg==", "x"],
    "HTTP_X_FORWARDED_FOR": ["203.0.113.9", "nonsense", "203.0.113.9, 198.51.100.2"],
    "HTTP_X_FORWARDED_PROTO": ["https", "gopher"],
    "HTTP_USER_AGENT": ["Mozilla/5.0", ""],
}  # fmt: skip
ADDRESSES = st.ip_addresses().map(str)  # spread over many, so rate limits rarely answer
ODD_META = st.fixed_dictionaries(
    {"REMOTE_ADDR": ADDRESSES},
    optional={
        name: st.one_of(st.sampled_from(values), st.text(max_size=30).map(latin1))
        for name, values in HEADERS.items()
    },
)
# What a browser sends, so that the rest of the request reaches the views.
BROWSER_META = st.fixed_dictionaries(
    {"REMOTE_ADDR": ADDRESSES},
    optional={
        "HTTP_ACCEPT": st.sampled_from(["text/html", "application/json", "*/*"]),
        "HTTP_ACCEPT_ENCODING": st.sampled_from(["gzip, deflate, br", "identity"]),
        "HTTP_COOKIE": st.just("csrftoken=" + "a" * 32),
        "HTTP_ORIGIN": st.just("http://testserver"),
        "HTTP_SEC_FETCH_SITE": st.just("same-origin"),
    },
)
META = st.one_of(BROWSER_META, BROWSER_META, ODD_META)

PREFIXES = st.sampled_from(["", "", "/zh-hant", "/zh-Hant", "/en", "/xx"])
SLUGS = st.one_of(
    st.sampled_from(["hketo", "hketo", "hketo", "nope", "HKETO", "s" * 300]), st.text()
)
ROUTES = [
    "/", "/c/{slug}/", "/c/{slug}/act/", "/c/{slug}/act/go/", "/c/{slug}/join/",
    "/c/{slug}/join/thanks/", "/c/{slug}/join/resend/", "/c/{slug}/confirm/{token}/",
    "/c/{slug}/leave/{token}/", "/c/{slug}/erase/{token}/", "/api/lookup", "/healthz",
    "/manage/signin/", "/static/core/urge.css", "/{token}",
]  # fmt: skip


def path_safe(text: str) -> str:
    """A path segment, as a server hands over a decoded path: "?" and "/" cannot be in it."""
    return latin1(text.replace("?", "%3F").replace("/", "%2F"))


def paths(tokens: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Mostly the campaign's own routes in either language, so that requests reach its views;
    the rest with any prefix and slug."""

    def build(prefix: str, route: str, slug: str, token: str) -> str:
        return prefix + route.format(slug=path_safe(slug), token=path_safe(token))

    routes = st.sampled_from(ROUTES)
    own = st.builds(build, st.sampled_from(["", "/zh-hant"]), routes, st.just("hketo"), tokens)
    return st.one_of(own, own, st.builds(build, PREFIXES, routes, SLUGS, tokens))


def mangled(tokens: list[str]) -> st.SearchStrategy[str]:
    """Real link tokens, cut short, changed, lengthened, or nothing like one."""
    edits: list[Callable[[str], str]] = [
        lambda token: token,
        lambda token: token[: len(token) // 2],
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: token + "\x00",
        lambda token: token.upper(),
        lambda token: token * 20,
        lambda token: token.replace(":", "."),
    ]
    real = st.builds(
        lambda token, edit: edit(token), st.sampled_from(tokens), st.sampled_from(edits)
    )
    return st.one_of(real, real, st.text(), HUGE_IN_URL)


def aimed(tokens: st.SearchStrategy[str]) -> st.SearchStrategy[tuple[str, Pairs]]:
    """A route with its own form, mutated, in each language it has: what reaches the views."""

    def at(route: str) -> st.SearchStrategy[tuple[str, Pairs]]:
        prefixes = [""] if route.startswith("/api/") else ["", "/zh-hant"]
        paths = st.builds(
            lambda prefix, token: prefix + route.format(token=path_safe(token)),
            st.sampled_from(prefixes),
            tokens,
        )
        return st.tuples(paths, mutated(FORMS[route]))

    return st.one_of(*(at(route) for route in FORMS))


METHODS = st.sampled_from(
    ["GET", "GET", "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "get", "X"]
)


@pytest.fixture
def tokens(hketo: Campaign) -> list[str]:
    """Links from a real supporter's emails, each for its own purpose."""
    ref = str(sign_up(hketo).ref)
    return [
        make_token(CONFIRM, LinkTarget(ref)),
        make_token(UNSUBSCRIBE, LinkTarget(ref, ALL_COHOSTS)),
        make_token(UNSUBSCRIBE, LinkTarget(ref, "dc4hk")),
        make_token(ERASE, LinkTarget(ref)),
        make_token(ERASE, LinkTarget("not-a-uuid")),
    ]


def test_no_query_string_method_or_header_gets_a_5xx(fuzzer: Fuzzer, tokens: list[str]) -> None:
    own = aimed(mangled(tokens)).map(lambda aim: (aim[0], urlencoded(aim[1], "utf-8").decode()))
    wild = st.tuples(paths(mangled(tokens)), query_strings())

    @fuzzing(1200)
    @given(METHODS, st.one_of(own, wild), META)
    def one(method: str, target: tuple[str, str], meta: dict[str, str]) -> None:
        path, query = target
        fuzzer.send(Sent(method, path, query, meta=meta))

    one()
    assert fuzzer.sent >= 1200


def test_no_form_post_gets_a_5xx(fuzzer: Fuzzer, tokens: list[str]) -> None:
    own = aimed(mangled(tokens)).flatmap(
        lambda aim: st.tuples(st.just(aim[0]), st.just(""), bodies(st.just(aim[1])))
    )
    wild = st.tuples(paths(mangled(tokens)), query_strings(), bodies())

    @fuzzing(1500)
    @given(st.one_of(own, wild), META)
    def one(post: tuple[str, str, tuple[str, bytes]], meta: dict[str, str]) -> None:
        path, query, (content_type, content) = post
        fuzzer.send(Sent("POST", path, query, content, {"CONTENT_TYPE": content_type, **meta}))

    one()
    assert fuzzer.sent >= 1500


def test_no_link_page_gets_a_5xx_for_any_token(fuzzer: Fuzzer, tokens: list[str]) -> None:
    """Tokens are the one part of these paths a person copies by hand."""
    links = st.builds(
        lambda prefix, page, token: f"{prefix}/c/hketo/{page}/{path_safe(token)}/",
        st.sampled_from(["", "/zh-hant"]),
        st.sampled_from(["confirm", "leave", "erase"]),
        mangled(tokens),
    )

    @fuzzing(500)
    @given(st.sampled_from(["GET", "HEAD", "POST"]), links, bodies(), META)
    def one(method: str, path: str, body: tuple[str, bytes], meta: dict[str, str]) -> None:
        content_type, content = body
        fuzzer.send(Sent(method, path, "", content, {"CONTENT_TYPE": content_type, **meta}))

    one()
    assert fuzzer.sent >= 500
