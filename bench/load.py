"""The load benchmark: `make bench` (needs URGE_DATA_DIR, wrk and nginx).

Serves the example campaign with `urge serve` as in production, on a free loopback port,
over SQLite (or PostgreSQL when DATABASE_URL is set: a scratch database on that server),
and serves a static copy of the rendered campaign page from nginx beside it as this
machine's ceiling. Then drives both with wrk along the way a supporter's browser goes, each
step its own bounded run with a browser's headers: the campaign page in each language, the
ZIP form's answer, the action page over every state's senators, each form on that page
(and the copy button's script), the sign-up page, and signing up: each sign-up fetches its
form and posts it, with the stamp that form carried, once a person could have typed it.
The JSON API, which third parties call, gets a row of its own. The forms and their values
are read from the pages the server renders (bench/journey.py), as a browser would.

Prints one table, the loss accounting (acknowledged actions and sign-ups against rows
stored), a fault run (kill -9 of one server worker under sign-up load), the share of some
pages answered from the HTTP cache, and each worker's memory; writes it to bench/results/.
"""

from __future__ import annotations

import datetime
import gzip
import http.client
import json
import math
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.journey import (  # noqa: E402
    DONE,
    TALLY,
    Form,
    Request,
    action_path,
    form_post,
    form_then_post,
    forms_on,
    navigation,
    replay,
    run_wrk,
    script_post,
    third_party,
    urlencoded,
)
from tests.services import free_port, nginx_config, scratch_postgres, wait_for_http  # noqa: E402

SECONDS = int(os.environ.get("URGE_BENCH_SECONDS", "10"))
CONNECTIONS = 64
SPIKE = 256
THREADS = 2
TALLIED = ("seen", "replayed", "s2", "s3", "s4", "s5", "acked", "refused", "forms")
SIGNUP_ROW = "sign-up: the form (GET), then its POST (303), sign-ups/s"
# Seconds of load before a read-only run is measured: each worker's first render and
# Python's own warming are not what a spike that has been going for a minute looks like.
WARM = 1
# Seconds of the same load after some runs, with wrk reading every response's headers: how
# many came from the HTTP cache (it adds `Age`), and the mix of answers. Kept out of the
# measured run, since the reading costs wrk time on the same two cores.
SAMPLE = 2
UNLIMITED = "1000000000/3600"  # a loopback benchmark is one client address
URLENCODED = "application/x-www-form-urlencoded;charset=UTF-8"  # what fetch() says for it
SLUG = "hketo"
LANGUAGE_PREFIXES = {"en": "", "zh-hant": "/zh-hant"}
# The channel each action row posts: all of them are recorded, so all are accounted for.
ACTION_ROWS = {
    "post-x": '"Post on X" form (no JS)',
    "email-form": "email: contact-form form (no JS)",
    "call-reached": "call outcome form (no JS)",
    "email-copy": "copy letter, office without a form (script: URL-encoded, JSON, 204)",
}


@dataclass(frozen=True)
class Result:
    name: str
    connections: int
    requests: int
    seconds: float
    status_errors: int
    socket_errors: int
    p50_ms: float
    p99_ms: float
    tally: dict[str, int]
    # A sign-up run (form then post): its rate is of sign-ups acknowledged (303 to the
    # thank-you page), per second from its first post, when the first stamp was old enough.
    sign_ups: bool = False
    primed: float = 0.0

    @property
    def rate(self) -> float:
        if self.sign_ups:
            return self.tally["acked"] / max(self.seconds - self.primed, 0.001)
        return self.requests / self.seconds

    @property
    def acknowledged(self) -> int:
        return self.tally["acked"] if self.sign_ups else self.requests - self.status_errors

    @property
    def failed(self) -> int:
        """Requests not answered, and answers that were errors (for sign-ups, any answer to a
        post other than the thank-you page)."""
        return (self.tally["refused"] if self.sign_ups else self.status_errors) + (
            self.socket_errors
        )


@dataclass
class Bench:
    base: str
    scripts: Path
    env: dict[str, str]
    master_pid: int

    @property
    def origin(self) -> str:
        return self.base.rstrip("/")

    def wrk(
        self,
        name: str,
        url: str,
        script: str,
        connections: int,
        seconds: int,
        warm: int = 0,
        tally: bool = False,
        sign_ups: bool = False,
    ) -> Result:
        """One bounded wrk run; `warm` seconds of the same load first, not counted."""
        if warm:
            self.wrk(f"{name} (warm-up)", url, script, connections, warm)
        path = self.scripts / f"{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}.lua"
        path.write_text(script + (TALLY if tally else "") + DONE)
        data = run_wrk(name, url, path, connections, seconds, THREADS)
        return Result(
            name=name,
            connections=connections,
            requests=data["requests"],
            seconds=data["duration_us"] / 1e6,
            status_errors=data["status_errors"],
            socket_errors=data["socket_errors"],
            p50_ms=data["p50_us"] / 1000,
            p99_ms=data["p99_us"] / 1000,
            tally={k: data[k] for k in TALLIED},
            sign_ups=sign_ups,
            primed=data["primed_ms"] / 1000,
        )

    def sign_ups(self, name: str, script: str, connections: int, seconds: int) -> Result:
        """A sign-up run: `seconds` of posts, after the time it takes the first form's stamp
        to be old enough."""
        wait = float(self.env.get("URGE_SIGNUP_MIN_SECONDS", "3"))
        total = seconds + math.ceil(wait) + 1
        return self.wrk(name, self.base, script, connections, total, sign_ups=True)

    def sample(self, name: str, url: str, script: str, connections: int) -> Result:
        """A short run right after a measured one, reading the answers' headers."""
        return self.wrk(f"{name} (sample)", url, script, connections, SAMPLE, tally=True)

    def shell(self, code: str) -> str:
        out = urge(["shell", "--no-imports", "--command", code], self.env, capture=True)
        return out.strip().splitlines()[-1]

    def count(self, model: str) -> int:
        return int(
            self.shell(
                f"from django.apps import apps; print(apps.get_model({model!r}).objects.count())"
            )
        )

    def actions_by_channel(self) -> dict[str, int]:
        found = self.shell(
            "import json\n"
            "from django.db.models import Count\n"
            "from urge.actions.models import ActionEvent\n"
            "rows = ActionEvent.objects.order_by().values('channel').annotate(n=Count('id'))\n"
            "print(json.dumps({row['channel']: row['n'] for row in rows}))"
        )
        counts: dict[str, int] = json.loads(found)
        return counts

    def workers(self) -> list[int]:
        """The server's worker processes: the children of the process `urge serve` became."""
        found = subprocess.run(
            ["pgrep", "-P", str(self.master_pid)], capture_output=True, text=True
        ).stdout
        return [int(pid) for pid in found.split()]


def urge(args: list[str], env: dict[str, str], capture: bool = False) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "urge.cli", *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=capture,
        text=True,
        timeout=600,
    )
    return done.stdout or ""


@dataclass(frozen=True)
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes


class Client:
    """One keep-alive connection to the server, following no redirects: how the benchmark
    reads the pages whose forms and links it then replays."""

    def __init__(self, base: str) -> None:
        parts = urllib.parse.urlsplit(base)
        self.connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)

    def __call__(
        self, method: str, path: str, headers: dict[str, str], body: str | None = None
    ) -> Answer:
        self.connection.request(method, path, body.encode() if body else None, headers)
        response = self.connection.getresponse()
        body_bytes = response.read()
        return Answer(response.status, response.headers, body_bytes)

    def close(self) -> None:
        self.connection.close()


def plain(headers: dict[str, str]) -> dict[str, str]:
    """The same headers, asking for no compression: for pages the benchmark reads itself."""
    return {k: v for k, v in headers.items() if k != "Accept-Encoding"}


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    return int(found[1]) / 1024 if found else 0.0


def wait_for(url: str, process: subprocess.Popen[bytes], what: str) -> None:
    try:
        wait_for_http(url, process, seconds=120)
    except RuntimeError as error:
        sys.exit(f"{what}: {error}")


@contextmanager
def nginx(folder: Path, page: bytes, compressed: bytes) -> Iterator[str]:
    """Debian's nginx, 2 workers, serving the rendered page as a static file, and the same
    gzip bytes the server sends to browsers that accept them (gzip_static: no work per hit)."""
    folder.chmod(0o755)  # its workers run as an unprivileged user
    (folder / "html").mkdir(parents=True)
    (folder / "html" / "index.html").write_bytes(page)
    (folder / "html" / "index.html.gz").write_bytes(compressed)
    port = free_port()
    (folder / "nginx.conf").write_text(
        nginx_config(
            folder,
            f"""
  sendfile on;
  tcp_nopush on;
  gzip_static on;
  keepalive_requests 100000;
  types {{ text/html html; }}
  server {{
    listen 127.0.0.1:{port};
    root {folder}/html;
  }}""",
        )
    )
    (folder / "scratch").mkdir()
    process = subprocess.Popen(
        ["nginx", "-c", str(folder / "nginx.conf"), "-p", str(folder)],
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_for(base, process, "nginx")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


@contextmanager
def served(var: Path, env: dict[str, str]) -> Iterator[tuple[str, int]]:
    port = free_port()
    log = (var / "serve.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "urge.cli", "serve", f"--port={port}", "--no-queue-worker"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_for(base + "healthz", process, "urge serve")
        yield base, process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
        log.close()


# What the benchmark reads before it starts: ZIPs from the loaded data, then the pages.


@dataclass
class Journey:
    """The requests of each step, read from what the server renders."""

    zip_answers: list[Request]
    action_pages: list[Request]
    actions: dict[str, list[Request]]  # by channel
    api: list[Request]
    join_form: Form
    join_page: str
    states: int  # how many states' action pages action_pages holds


def loaded_zips(bench: Bench) -> tuple[list[str], dict[str, list[str]]]:
    """A spread of every ZIP the loaded data knows; for each state with senators, a few
    ZIPs inside it (from the middle of its range first: those at the edges may cross a line)."""
    found = bench.shell(
        "import json\n"
        "from urge.legislators.index import index_holder\n"
        "i = index_holder.get()\n"
        "zips = sorted(i.zips)\n"
        "inside = {}\n"
        "for z in zips:\n"
        "    states = {area.state for area in i.zips[z]}\n"
        "    if len(states) == 1 and states <= set(i.senators):\n"
        "        inside.setdefault(states.pop(), []).append(z)\n"
        "by_state = {s: [found[len(found) * k // 6] for k in (3, 1, 5, 2, 4)]\n"
        "            for s, found in inside.items()}\n"
        "print(json.dumps({'spread': zips[::40], 'by_state': by_state}))"
    )
    data = json.loads(found)
    return data["spread"], data["by_state"]


def campaign_path(language: str) -> str:
    return f"{LANGUAGE_PREFIXES[language]}/c/{SLUG}/"


def read_journey(bench: Bench) -> Journey:
    spread, by_state = loaded_zips(bench)
    client = Client(bench.base)
    origin = bench.origin
    try:
        # The ZIP form of the campaign page, in each language.
        lookup: dict[str, Form] = {}
        for language in LANGUAGE_PREFIXES:
            html = client("GET", campaign_path(language), plain(navigation(language))).body
            lookup[language] = the_form(html, "lookup", campaign_path(language))

        def zip_post(language: str, code: str) -> Request:
            page = campaign_path(language)
            lookup[language].fill("zip", code)
            body = urlencoded(lookup[language].entries())
            path = action_path(lookup[language], page)
            return Request("POST", path, form_post(origin, origin + page, language), body)

        languages = list(LANGUAGE_PREFIXES)
        zip_answers = [
            zip_post(languages[n % len(languages)], code) for n, code in enumerate(spread)
        ]
        # Each state's action page, in each language: where the ZIP form sends a supporter.
        pages: list[tuple[str, str]] = []
        for language in LANGUAGE_PREFIXES:
            for state in sorted(by_state):
                for code in by_state[state]:
                    post = zip_post(language, code)
                    answer = client(post.method, post.path, post.headers, post.body)
                    if answer.status == 303:
                        pages.append((language, answer.headers["Location"]))
                        break
        action_pages = [
            Request(
                "GET", url, {**navigation(language), "Referer": origin + campaign_path(language)}
            )
            for language, url in pages
        ]
        actions: dict[str, list[Request]] = {channel: [] for channel in ACTION_ROWS}
        for language, url in pages:
            html = client("GET", url, plain(navigation(language))).body
            for form in forms_on(html):
                add_actions(actions, form, url, origin, language)
        api = [Request("GET", f"/api/lookup?zip={code}", third_party()) for code in spread]
        join_page = f"/c/{SLUG}/join/"
        joined = client("GET", join_page, plain(navigation("en")))
        join_form = the_form(joined.body, "join", join_page)
    finally:
        client.close()
    empty = [channel for channel, found in actions.items() if not found]
    if empty or not action_pages:
        sys.exit(f"No action page, or no form for {', '.join(empty)}: the templates changed?")
    states = len(
        {urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["state"][0] for _, url in pages}
    )
    return Journey(zip_answers, action_pages, actions, api, join_form, join_page, states)


def the_form(html: bytes, css_class: str, page: str) -> Form:
    found = [form for form in forms_on(html) if css_class in form.classes]
    if not found:
        sys.exit(f"No <form class={css_class!r}> on {page}: the templates changed?")
    return found[0]


def add_actions(
    actions: dict[str, list[Request]], form: Form, page: str, origin: str, language: str
) -> None:
    """The requests this form of the action page makes, for the channels benchmarked."""
    path = action_path(form, page)
    headers = form_post(origin, origin + page, language)
    sent = dict(form.entries())
    if sent.get("channel") == "post-x":
        actions["post-x"].append(Request("POST", path, headers, urlencoded(form.entries())))
    for button in form.buttons():
        if button in (("channel", "email-form"), ("channel", "call-reached")):
            body = urlencoded(form.entries(submitter=button))
            actions[button[1]].append(Request("POST", path, headers, body))
    if form.has_button("copy") and ("channel", "email-form") not in form.buttons():
        # act.js: URLSearchParams(FormData(form)), then data.set("channel", "email-copy").
        # Only where the office has no contact form: there the copy is the letter's email;
        # elsewhere it is a step towards the form, which counts instead (only_a_step).
        entries = [(name, value) for name, value in form.entries() if name != "channel"]
        body = urlencoded([*entries, ("channel", "email-copy")])
        script = script_post(origin, origin + page, URLENCODED, language)
        actions["email-copy"].append(Request("POST", path, script, body))


def signup_script(bench: Bench, journey: Journey, run: str) -> str:
    """The sign-up form as a person fills it, with a new address for every post, each post
    with the stamp of a form fetched for it (bench/journey.py FORM_THEN_POST)."""
    form = journey.join_form
    for name, value in (
        ("first_name", "Bench"),
        ("last_name", "Person"),
        ("email", "EMAILMARK"),
        ("zip_code", "98104"),
        ("stamp", "STAMPMARK"),
    ):
        form.fill(name, value)
    # One co-host ticked, so that the sign-up stores that choice too.
    cohosts = [
        c.name for c in form.controls if c.kind == "checkbox" and c.name.startswith("cohost_")
    ]
    if cohosts:
        form.fill("cohost_hkdc" if "cohost_hkdc" in cohosts else cohosts[0], "on")
    body = urlencoded(form.entries())
    if body.find("STAMPMARK") > body.find("EMAILMARK"):
        sys.exit("The sign-up form sends the address before the stamp: the templates changed?")
    before, rest = body.split("STAMPMARK")
    between, after = rest.split("EMAILMARK")
    headers = form_post(bench.origin, bench.origin + journey.join_page)
    # Fetched as a browser follows the campaign page's link, without compression (see above).
    fetch = {**plain(navigation("en")), "Referer": bench.origin + f"/c/{SLUG}/"}
    return form_then_post(
        journey.join_page,
        fetch,
        action_path(form, journey.join_page),
        headers,
        (before, f"{between}bench-{run}-", f"{urllib.parse.quote('@')}example.org{after}"),
        float(bench.env.get("URGE_SIGNUP_MIN_SECONDS", "3")) + 0.25,
        f"/c/{SLUG}/join/thanks/",
    )


def run_all(
    bench: Bench, nginx_base: str, journey: Journey
) -> tuple[list[Result], list[str], list[str]]:
    results: list[Result] = []
    notes: list[str] = []
    cache: list[str] = []
    base = bench.base
    arriving = {
        language: replay(
            [Request("GET", campaign_path(language), navigation(language, "cross-site"))]
        )
        for language in LANGUAGE_PREFIXES
    }
    ceiling = replay([Request("GET", "/", navigation("en", "cross-site"))])
    results.append(
        bench.wrk(
            "nginx: static campaign page (the ceiling)", nginx_base, ceiling, CONNECTIONS, SECONDS
        )
    )

    def read_only(name: str, script: str, share: bool) -> None:
        results.append(bench.wrk(name, base, script, CONNECTIONS, SECONDS, WARM))
        if share:
            cache.append(cache_line(name, bench.sample(name, base, script, CONNECTIONS)))

    read_only("campaign page (en)", arriving["en"], share=True)
    read_only("campaign page (zh-hant)", arriving["zh-hant"], share=True)

    zips = replay(journey.zip_answers)
    name = f"ZIP answer: POST zip (303), {len(journey.zip_answers)} ZIPs"
    results.append(bench.wrk(name, base, zips, CONNECTIONS, SECONDS))
    mix = bench.sample(name, base, zips, CONNECTIONS).tally
    answered = max(mix["seen"], 1)
    notes.append(
        f"ZIP answers (sample): {mix['s3'] / answered:.0%} a 303 to the action page, "
        f"{mix['s2'] / answered:.0%} a page of their own (a choice or a note), "
        f"{(mix['s4'] + mix['s5']) / answered:.0%} refused"
    )
    read_only(
        f"action page: {journey.states} states' senators, both languages",
        replay(journey.action_pages),
        share=True,
    )

    before = bench.actions_by_channel()
    acknowledged: dict[str, int] = {}
    for channel, name in ACTION_ROWS.items():
        requests = journey.actions[channel]
        result = bench.wrk(
            f"{name}, {len(requests)} forms", base, replay(requests), CONNECTIONS, SECONDS
        )
        results.append(result)
        acknowledged[channel] = result.acknowledged
    after = bench.actions_by_channel()
    for channel in ACTION_ROWS:
        stored = after.get(channel, 0) - before.get(channel, 0)
        notes.append(loss_line(f"actions, {channel}", acknowledged[channel], stored))

    join_get = replay(
        [Request("GET", journey.join_page, {**navigation("en"), "Referer": base + f"c/{SLUG}/"})]
    )
    read_only("sign-up page GET", join_get, share=False)

    before_signups = bench.count("supporters.Supporter")
    signup = bench.sign_ups(SIGNUP_ROW, signup_script(bench, journey, "a"), CONNECTIONS, SECONDS)
    results.append(signup)
    stored = bench.count("supporters.Supporter") - before_signups
    notes.append(loss_line("sign-ups", signup.acknowledged, stored))
    notes.append(pairs_line(signup))

    read_only("JSON API /api/lookup (third parties, not the journey)", replay(journey.api), True)

    results += [
        bench.wrk("campaign page (en): spike 1 conn", base, arriving["en"], 1, 2),
        bench.wrk(f"campaign page (en): spike to {SPIKE}", base, arriving["en"], SPIKE, SECONDS),
    ]
    before_signups = bench.count("supporters.Supporter")
    first = bench.sign_ups("sign-up: spike 1 conn", signup_script(bench, journey, "s1"), 1, 2)
    spike = bench.sign_ups(
        f"sign-up: spike to {SPIKE}", signup_script(bench, journey, "s2"), SPIKE, SECONDS
    )
    results += [first, spike]
    stored = bench.count("supporters.Supporter") - before_signups
    notes.append(
        loss_line("sign-ups in the spike", first.acknowledged + spike.acknowledged, stored)
    )
    return results, notes, cache


def pairs_line(signup: Result) -> str:
    """What a sign-up run asked of the server: a form and a post for each sign-up."""
    return (
        f"  in that run: {signup.requests:,} requests ({signup.tally['forms']:,} forms fetched) "
        f"in {signup.seconds:.1f} s, posts from {signup.primed:.1f} s on: "
        f"{signup.requests / signup.seconds:,.0f} requests/s"
    )


def cache_line(name: str, sample: Result) -> str:
    seen = max(sample.tally["seen"], 1)
    return f"  {name}: {sample.tally['replayed'] / seen:.1%} of {sample.tally['seen']:,}"


def loss_line(what: str, acknowledged: int, stored: int) -> str:
    lost = max(acknowledged - stored, 0)
    verdict = "OK" if lost == 0 else "LOST"
    return f"{what}: {acknowledged:,} acknowledged, {stored:,} stored, {lost:,} lost ({verdict})"


def fault_run(bench: Bench, journey: Journey) -> list[str]:
    """Sign-up load; kill -9 one server worker in the middle of it."""
    before = bench.count("supporters.Supporter")
    killed: list[int] = []

    def kill_one() -> None:
        wait = float(bench.env.get("URGE_SIGNUP_MIN_SECONDS", "3"))
        time.sleep(math.ceil(wait) + 1 + SECONDS / 2)
        victims = bench.workers()
        if victims:
            os.kill(victims[0], signal.SIGKILL)
            killed.append(victims[0])

    killer = threading.Thread(target=kill_one)
    killer.start()
    result = bench.sign_ups(
        "sign-up, worker killed", signup_script(bench, journey, "f"), CONNECTIONS, SECONDS
    )
    killer.join()
    stored = bench.count("supporters.Supporter") - before
    with urllib.request.urlopen(bench.base + "healthz", timeout=5) as response:
        serving = response.status == 200
    return [
        f"fault run: killed worker {killed[0] if killed else 'none'} with SIGKILL mid-load; "
        f"{result.failed:,} failed requests",
        loss_line("  sign-ups", result.acknowledged, stored),
        f"  still serving afterwards: {'yes' if serving else 'NO'}",
    ]


def table(results: list[Result], nginx_rate: float) -> list[str]:
    lines = [
        "| workload | connections | requests/s | p50 ms | p99 ms | non-2xx/3xx | x nginx |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        errors = r.failed
        lines.append(
            f"| {r.name} | {r.connections} | {r.rate:,.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} "
            f"| {errors:,} | {r.rate / nginx_rate:.3f} |"
        )
    return lines


def static_copy(base: str) -> tuple[bytes, bytes]:
    """The campaign page as the server sends it: plain, and gzip-compressed for browsers."""
    client = Client(base)
    try:
        page = client("GET", campaign_path("en"), plain(navigation("en"))).body
        answer = client("GET", campaign_path("en"), navigation("en"))
    finally:
        client.close()
    if answer.headers.get("Content-Encoding") == "gzip":
        return page, answer.body
    return page, gzip.compress(page)


def main() -> None:
    data = Path(os.environ.get("URGE_DATA_DIR", ""))
    if not (data / "congress-legislators").is_dir():
        sys.exit("Set URGE_DATA_DIR to the official snapshot (e.g. ../shared/data).")
    for tool in ("wrk", "nginx"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is missing: apt-get install wrk nginx-light")
    database_url = os.environ.get("DATABASE_URL", "")
    database = "PostgreSQL" if database_url else "SQLite"
    started = time.monotonic()
    with (
        tempfile.TemporaryDirectory() as tmp,
        scratch_postgres(database_url) if database_url else _nothing() as scratch,
    ):
        var = Path(tmp)
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        env.update(
            DEBUG="false",
            SECRET_KEY=secrets.token_urlsafe(40),
            URGE_HASH_KEY=secrets.token_urlsafe(40),
            URGE_VAR_DIR=str(var),
            URGE_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
            URGE_GEOCODER="false",
            URGE_RATE_SIGNUP=UNLIMITED,
            URGE_RATE_ACTION=UNLIMITED,
            URGE_RATE_RESEND=UNLIMITED,
            LOG_LEVEL="WARNING",
        )
        if scratch:
            env["DATABASE_URL"] = scratch
        print(f"Setting up on {database}: migrate, load the campaign, sync the snapshot...")
        urge(["migrate", "--verbosity=0"], env)
        urge(["load", f"campaigns/{SLUG}"], env, capture=True)
        urge(["sync", f"--from={data}", "--commit", "--verbosity=0"], env)
        with served(var, env) as (base, master):
            bench = Bench(base=base, scripts=var, env=env, master_pid=master)
            journey = read_journey(bench)
            page, compressed = static_copy(base)
            print(f"Benchmarking, {SECONDS} s per run...")
            with (
                tempfile.TemporaryDirectory() as static,
                nginx(Path(static), page, compressed) as nginx_base,
            ):
                results, notes, cache = run_all(bench, nginx_base, journey)
            notes += fault_run(bench, journey)
            memory = [rss_mb(pid) for pid in bench.workers()]
    nginx_rate = results[0].rate
    lines = [
        f"Urge load benchmark, {datetime.date.today()}, {os.cpu_count()} cores, {database}, "
        f"{SECONDS} s per run, wrk on the same machine, a browser's headers (gzip accepted)",
        "",
        *table(results, nginx_rate),
        "",
        *notes,
        f"answered from the HTTP cache (an Age header), in {SAMPLE} s more of the same load:",
        *cache,
        "worker memory (RSS): " + ", ".join(f"{mb:.0f} MB" for mb in memory),
        f"whole run: {time.monotonic() - started:.0f} s",
    ]
    print("\n".join(lines))
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    name = f"{datetime.date.today()}-{os.cpu_count()}cores-{database.lower()}.md"
    (out / name).write_text("\n".join(lines) + "\n")
    print(f"\nwritten to bench/results/{name}")


@contextmanager
def _nothing() -> Iterator[str]:
    yield ""


if __name__ == "__main__":
    main()
