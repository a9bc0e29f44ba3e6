"""What a supporter's browser sends, for the load benchmark (bench/load.py): its headers, the
forms it finds on the pages Urge renders and how it encodes them, and the wrk Lua scripts
that replay those requests.

The forms are read from the rendered pages, not written out here: a field the templates add,
rename or drop changes what the benchmark posts, as it would change what a browser posts.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

# A current desktop Chrome. Every request carries these; the language follows the page.
USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
LANGUAGES = {"en": "en-US,en;q=0.9", "zh-hant": "zh-TW,zh;q=0.9,en-US;q=0.8,en;q=0.7"}
HTML_ACCEPT = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
    "image/apng,*/*;q=0.8"
)


def navigation(language: str = "en", site: str = "same-origin") -> dict[str, str]:
    """Headers of a page load: a link followed, or an address typed (site "none")."""
    return {
        "User-Agent": USER_AGENT,
        "Accept": HTML_ACCEPT,
        "Accept-Encoding": "gzip, deflate, br, zstd",
        "Accept-Language": LANGUAGES[language],
        "Upgrade-Insecure-Requests": "1",
        "Sec-Fetch-Site": site,
        "Sec-Fetch-Mode": "navigate",
        "Sec-Fetch-User": "?1",
        "Sec-Fetch-Dest": "document",
    }


def form_post(origin: str, referer: str, language: str = "en") -> dict[str, str]:
    """Headers of a form submitted without script, from a page of this site."""
    return {
        **navigation(language),
        "Cache-Control": "max-age=0",
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": origin,
        "Referer": referer,
    }


def script_post(
    origin: str, referer: str, content_type: str, language: str = "en"
) -> dict[str, str]:
    """Headers of `fetch(url, {method: "POST", body, headers: {Accept: json}})` on a page."""
    return {
        "User-Agent": USER_AGENT,
        "Accept": "application/json",
        "Accept-Encoding": "gzip, deflate, br, zstd",
        "Accept-Language": LANGUAGES[language],
        "Content-Type": content_type,
        "Origin": origin,
        "Referer": referer,
        "Sec-Fetch-Site": "same-origin",
        "Sec-Fetch-Mode": "cors",
        "Sec-Fetch-Dest": "empty",
    }


def third_party() -> dict[str, str]:
    """Headers of another site's server calling the JSON API with a common HTTP library."""
    return {
        "User-Agent": "python-requests/2.32.3",
        "Accept": "application/json",
        "Accept-Encoding": "gzip, deflate",
    }


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: str | None = None


# Forms, as a browser builds their entry lists (HTML's "constructing the entry list").

TEXT_INPUTS = {"hidden", "text", "email", "tel", "search", "url", "number", "password", ""}


@dataclass
class Control:
    tag: str  # input, textarea or button
    kind: str  # the input's or button's type
    name: str
    value: str
    checked: bool = False
    classes: tuple[str, ...] = ()


@dataclass
class Form:
    action: str
    method: str
    classes: tuple[str, ...]
    controls: list[Control] = field(default_factory=list)

    def entries(self, submitter: tuple[str, str] | None = None) -> list[tuple[str, str]]:
        """The name-value pairs sent when `submitter` (a button's name and value) is pressed;
        None for FormData(form) in a script, which leaves every button out."""
        found: list[tuple[str, str]] = []
        for control in self.controls:
            if not control.name:
                continue
            if control.tag == "button":
                if control.kind == "submit" and (control.name, control.value) == submitter:
                    found.append((control.name, control.value))
            elif control.tag == "textarea":
                found.append((control.name, control.value))
            elif control.kind == "checkbox":
                if control.checked:
                    found.append((control.name, control.value or "on"))
            elif control.kind in TEXT_INPUTS:
                found.append((control.name, control.value))
        # Browsers send line breaks in values as CRLF.
        return [(name, crlf(value)) for name, value in found]

    def value(self, name: str) -> str:
        for control in self.controls:
            if control.name == name and control.tag != "button":
                return control.value
        raise KeyError(name)

    def buttons(self) -> list[tuple[str, str]]:
        """The submit buttons that send a name and value."""
        return [
            (c.name, c.value)
            for c in self.controls
            if c.tag == "button" and c.kind == "submit" and c.name
        ]

    def has_button(self, css_class: str) -> bool:
        return any(c.tag == "button" and css_class in c.classes for c in self.controls)

    def fill(self, name: str, value: str) -> None:
        """Type into a field, or tick a checkbox (any value)."""
        for control in self.controls:
            if control.name == name and control.tag != "button":
                if control.kind == "checkbox":
                    control.checked = True
                else:
                    control.value = value
                return
        raise KeyError(name)


def crlf(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.open: Form | None = None
        self.textarea: Control | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.open = Form(
                a.get("action", ""),
                a.get("method", "get").lower(),
                tuple(a.get("class", "").split()),
            )
            self.forms.append(self.open)
        elif self.open is None or "disabled" in a:
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            control = Control("input", kind, a.get("name", ""), a.get("value", ""), "checked" in a)
            self.open.controls.append(control)
        elif tag == "button":
            kind = a.get("type", "submit").lower()
            classes = tuple(a.get("class", "").split())
            button = Control("button", kind, a.get("name", ""), a.get("value", ""), False, classes)
            self.open.controls.append(button)
        elif tag == "textarea":
            self.textarea = Control("textarea", "textarea", a.get("name", ""), "")
            self.open.controls.append(self.textarea)

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self.textarea is not None:
            # The parser drops one line break straight after <textarea>.
            if self.textarea.value.startswith("\n"):
                self.textarea.value = self.textarea.value[1:]
            self.textarea = None
        elif tag == "form":
            self.open = None


def forms_on(page: bytes | str) -> list[Form]:
    reader = _FormReader()
    reader.feed(page.decode() if isinstance(page, bytes) else page)
    reader.close()
    return reader.forms


def action_path(form: Form, page_path: str) -> str:
    """Where the form posts: its action resolved against the page, without the fragment."""
    return urllib.parse.urldefrag(urllib.parse.urljoin(page_path, form.action or page_path))[0]


def urlencoded(entries: list[tuple[str, str]]) -> str:
    return urllib.parse.urlencode(entries)


# wrk Lua scripts.

# Every script numbers wrk's threads (so that sign-ups get distinct addresses and threads start
# at different places in a list) and keeps them, so that done() can add up their tallies.
PRELUDE = """
local threads = {}
local next_id = 0
function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
  table.insert(threads, thread)
end
"""

# Counted per thread on sample runs only: the callback makes wrk parse every response's headers.
TALLY = """
function response(status, headers, body)
  seen = (seen or 0) + 1
  if headers["age"] ~= nil or headers["Age"] ~= nil then replayed = (replayed or 0) + 1 end
  local class = "s" .. math.floor(status / 100)
  _G[class] = (_G[class] or 0) + 1
end
"""

DONE = """
function done(summary, latency, requests)
  local tally = {}
  local names = {"seen", "replayed", "s2", "s3", "s4", "s5", "acked", "refused", "forms"}
  for _, name in ipairs(names) do
    tally[name] = 0
    for _, thread in ipairs(threads) do tally[name] = tally[name] + (thread:get(name) or 0) end
  end
  local primed = 0
  for _, thread in ipairs(threads) do primed = math.max(primed, thread:get("primed_ms") or 0) end
  io.write(string.format(
    '\\nRESULT {"requests":%d,"duration_us":%d,"status_errors":%d,"socket_errors":%d,'
    .. '"p50_us":%d,"p99_us":%d,"seen":%d,"replayed":%d,'
    .. '"s2":%d,"s3":%d,"s4":%d,"s5":%d,"acked":%d,"refused":%d,"forms":%d,"primed_ms":%d}\\n',
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99),
    tally.seen, tally.replayed, tally.s2, tally.s3, tally.s4, tally.s5,
    tally.acked, tally.refused, tally.forms, primed))
end
"""


def lua_string(value: str) -> str:
    """A Lua string literal of the UTF-8 bytes (LuaJIT has no \\u escapes)."""
    out = []
    for byte in value.encode():
        if byte in (0x22, 0x5C):
            out.append("\\" + chr(byte))
        elif 0x20 <= byte < 0x7F:
            out.append(chr(byte))
        else:
            out.append(f"\\{byte:03d}")
    return '"' + "".join(out) + '"'


def lua_headers(headers: dict[str, str]) -> str:
    return "{" + ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in headers.items()) + "}"


def replay(requests: list[Request]) -> str:
    """A script that sends these requests in turn on every connection, each thread starting at
    its own place; all formatted once, so that wrk spends no time building them."""
    if len(requests) == 1:
        only = requests[0]
        lines = [
            f"wrk.method = {lua_string(only.method)}",
            f"wrk.path = {lua_string(only.path)}",
            *(f"wrk.headers[{lua_string(k)}] = {lua_string(v)}" for k, v in only.headers.items()),
        ]
        if only.body is not None:
            lines.append(f"wrk.body = {lua_string(only.body)}")
        return PRELUDE + "\n".join(lines) + "\n"
    entries = []
    for r in requests:
        parts = [lua_string(r.method), lua_string(r.path), lua_headers(r.headers)]
        if r.body is not None:
            parts.append(lua_string(r.body))
        entries.append("  {" + ", ".join(parts) + "},")
    return (
        PRELUDE
        + "local requests = {\n"
        + "\n".join(entries)
        + """
}
local formatted = {}
local n = 0
function init(args)
  for i, r in ipairs(requests) do formatted[i] = wrk.format(r[1], r[2], r[3], r[4]) end
  n = (id - 1) * math.floor(#formatted / 2)
end
function request()
  n = n + 1
  return formatted[(n % #formatted) + 1]
end
"""
    )


# A sign-up as a browser makes it: GET the form, and POST it, with the stamp that form
# carried (good for one sign-up) and an address no other request uses, once the stamp is old
# enough for a person to have typed the form (URGE_SIGNUP_MIN_SECONDS). Each wrk thread keeps
# the stamps of the forms it fetched, oldest first, and posts the oldest as soon as it is old
# enough; until then its connections fetch forms. A sign-up is acknowledged only by a 303 to
# the thank-you page; any other answer to a post is a refusal. The form is fetched without
# compression: wrk has to read the stamp in it.
FORM_THEN_POST = """
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } urge_timespec;
int clock_gettime(int clock, urge_timespec *now);
]]
local clock = ffi.new("urge_timespec")
local function now()
  ffi.C.clock_gettime(1, clock)  -- CLOCK_MONOTONIC
  return tonumber(clock.tv_sec) + tonumber(clock.tv_nsec) / 1e9
end
local form = nil
local stamps, oldest, newest = {}, 1, 0
local posted = 0
local began = 0
function init(args)
  acked, refused, forms, primed_ms = 0, 0, 0, 0
  form = wrk.format("GET", FORM_PATH, FORM_HEADERS)
  began = now()
end
function request()
  local first = stamps[oldest]
  if first ~= nil and now() - first.at >= WAIT then
    stamps[oldest] = nil
    oldest = oldest + 1
    posted = posted + 1
    if posted == 1 then primed_ms = math.floor((now() - began) * 1000) end
    local body = BEFORE .. first.stamp .. BETWEEN .. id .. "-" .. posted .. AFTER
    return wrk.format("POST", POST_PATH, POST_HEADERS, body)
  end
  return form
end
function response(status, headers, body)
  if status == 200 then
    local stamp = string.match(body, 'name="stamp" value="([^"]+)"')
    if stamp ~= nil then
      forms = forms + 1
      newest = newest + 1
      stamps[newest] = {stamp = (string.gsub(stamp, ":", "%%3A")), at = now()}
      return
    end
  end
  local location = headers["Location"] or headers["location"] or ""
  if status == 303 and string.find(location, THANKS, 1, true) then
    acked = acked + 1
  else
    refused = refused + 1
  end
end
"""


def form_then_post(
    form_path: str,
    form_headers: dict[str, str],
    post_path: str,
    post_headers: dict[str, str],
    body: tuple[str, str, str],
    wait_seconds: float,
    thanks: str,
) -> str:
    """The script of FORM_THEN_POST. `body`: what a post sends before the stamp, between the
    stamp and the thread's and post's numbers, and after them (the rest of the address and
    the fields that follow it)."""
    before, between, after = body
    return (
        PRELUDE
        + f"FORM_PATH = {lua_string(form_path)}\n"
        + f"FORM_HEADERS = {lua_headers(form_headers)}\n"
        + f"POST_PATH = {lua_string(post_path)}\n"
        + f"POST_HEADERS = {lua_headers(post_headers)}\n"
        + f"BEFORE = {lua_string(before)}\nBETWEEN = {lua_string(between)}\n"
        + f"AFTER = {lua_string(after)}\n"
        + f"WAIT = {wait_seconds}\nTHANKS = {lua_string(thanks)}\n"
        + FORM_THEN_POST
    )


def run_wrk(
    name: str, url: str, script: Path, connections: int, seconds: int, threads: int = 2
) -> dict[str, Any]:
    """One bounded wrk run of `script`, whose done() prints a line `RESULT {json}`: that JSON."""
    output = subprocess.run(
        [
            "wrk",
            f"--threads={min(threads, connections)}",
            f"--connections={connections}",
            f"--duration={seconds}s",
            "--timeout=10s",
            f"--script={script}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    ).stdout
    found = re.search(r"^RESULT (\{.*\})$", output, re.MULTILINE)
    if found is None:
        sys.exit(f"wrk printed no result for {name}:\n{output}")
    data: dict[str, Any] = json.loads(found[1])
    return data
