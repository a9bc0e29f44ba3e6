"""The cluster benchmark: `make bench-cluster` (needs DATABASE_URL, Redis, URGE_DATA_DIR, wrk,
nginx).

The topology of tests/cluster.py: two `urge serve` hosts (one worker process of 16 threads
each) behind nginx as the load balancer, one PostgreSQL database (a scratch one on the server
DATABASE_URL names), one Redis (REDIS_URL, else db 14 of the local one, which it empties),
two queue workers, the scheduler, and a local SMTP sink. wrk drives the requests a supporter's
browser sends: a call logged on the action page (the form's POST) and the sign-up (the form's
GET, for its stamp, then its POST, a new address each time).

Prints: actions per second through one host alone and through the balancer to both; sign-ups
through the balancer; acknowledged against stored for each (0 lost); a fault run in which one
host is killed with SIGKILL mid-load; confirmation emails sent per second and whether each
stored sign-up got exactly one; and a rate limit (URGE_RATE_RESEND) counted once across both
hosts. All on one 2-core machine, so "through both hosts" shares the same cores: the figure
shows what the balancer and the second host cost or gain here, not what two machines give.
"""

from __future__ import annotations

import datetime
import http.client
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.journey import PRELUDE, lua_headers, lua_string, run_wrk  # noqa: E402
from tests.cluster import Cluster, cluster, wait_until  # noqa: E402
from tests.smtp import SmtpServer  # noqa: E402

SECONDS = int(os.environ.get("URGE_BENCH_SECONDS", "10"))
CONNECTIONS = 64
RESENDS_ALLOWED = 10
UNLIMITED = "1000000000/3600"
# A call logged to Senator Murray of Washington (in the official data URGE_DATA_DIR holds).
ACTION = {
    "target": "M001111",
    "channel": "call-reached",
    "variant": "ask-for-a-vote",
    "t": "M001111",
    "state": "WA",
}
SIGNUP = {
    "first_name": "Bench",
    "last_name": "Person",
    "zip_code": "98104",
    "cohost_dc4hk": "on",
    "website": "",
}

# Each connection's sign-up: GET the form, then POST it with the stamp that form carried (a
# stamp is good for one sign-up) and an address no other request uses. 303s are sign-ups
# acknowledged; 200s are the forms.
SIGNUP_SCRIPT = """
function init(args)
  posted, acked, refused = 0, 0, 0
  stamps = {}
end
function request()
  local stamp = table.remove(stamps)
  if stamp == nil then
    return wrk.format("GET", "/c/hketo/join/", GET_HEADERS)
  end
  posted = posted + 1
  local body = BEFORE .. "bench-" .. RUN .. "-" .. id .. "-" .. posted .. "%40example.org"
    .. AFTER .. stamp
  return wrk.format("POST", "/c/hketo/join/", POST_HEADERS, body)
end
function response(status, headers, body)
  if status == 303 then
    acked = acked + 1
  elseif status == 200 then
    local stamp = string.match(body, 'name="stamp" value="([^"]+)"')
    if stamp then table.insert(stamps, stamp) end
  else
    refused = refused + 1
  end
end
"""

ACTION_SCRIPT = """
function init(args)
  acked, refused = 0, 0
end
function request()
  return wrk.format("POST", "/c/hketo/act/go/", POST_HEADERS, BODY)
end
function response(status, headers, body)
  if status == 303 then acked = acked + 1 else refused = refused + 1 end
end
"""

DONE = """
function done(summary, latency, requests)
  local acked, refused = 0, 0
  for _, thread in ipairs(threads) do
    acked = acked + (thread:get("acked") or 0)
    refused = refused + (thread:get("refused") or 0)
  end
  io.write(string.format(
    '\\nRESULT {"requests":%d,"duration_us":%d,"socket_errors":%d,"p50_us":%d,"p99_us":%d,'
    .. '"acked":%d,"refused":%d}\\n',
    summary.requests, summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99), acked, refused))
end
"""


@dataclass(frozen=True)
class Result:
    name: str
    requests: int
    seconds: float
    acked: int
    refused: int
    socket_errors: int
    p50_ms: float
    p99_ms: float

    @property
    def acked_rate(self) -> float:
        return self.acked / self.seconds


def headers_for(base: str, method: str) -> dict[str, str]:
    origin = base.rstrip("/")
    found = {
        "Accept": "text/html,application/xhtml+xml",
        "Accept-Language": "en",
        "Referer": origin + "/c/hketo/join/",
    }
    if method == "POST":
        found.update(Origin=origin, **{"Content-Type": "application/x-www-form-urlencoded"})
    return found


def signup_script(base: str, run: str) -> str:
    marker = "EMAIL-HERE"
    body = urlencode({**SIGNUP, "email": marker, "stamp": ""})
    before, after = body.split(marker)
    return (
        PRELUDE
        + f"GET_HEADERS = {lua_headers(headers_for(base, 'GET'))}\n"
        + f"POST_HEADERS = {lua_headers(headers_for(base, 'POST'))}\n"
        + f"BEFORE = {lua_string(before)}\nAFTER = {lua_string(after)}\n"
        + f"RUN = {lua_string(run)}\n"
        + SIGNUP_SCRIPT
        + DONE
    )


def action_script(base: str) -> str:
    return (
        PRELUDE
        + f"POST_HEADERS = {lua_headers(headers_for(base, 'POST'))}\n"
        + f"BODY = {lua_string(urlencode(ACTION))}\n"
        + ACTION_SCRIPT
        + DONE
    )


def wrk(name: str, base: str, script: str, folder: Path, seconds: int = SECONDS) -> Result:
    path = folder / (re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") + ".lua")
    path.write_text(script)
    data = run_wrk(name, base, path, CONNECTIONS, seconds)
    return Result(
        name=name,
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        acked=data["acked"],
        refused=data["refused"],
        socket_errors=data["socket_errors"],
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
    )


def loss_line(what: str, acknowledged: int, stored: int) -> str:
    lost = max(acknowledged - stored, 0)
    verdict = "OK" if lost == 0 else "LOST"
    return f"{what}: {acknowledged:,} acknowledged, {stored:,} stored, {lost:,} lost ({verdict})"


def resend(base: str, n: int) -> int:
    parts = urlsplit(base)
    headers = {
        **headers_for(base, "POST"),
        "X-Forwarded-For": "203.0.113.9",  # one visitor, as the balancer passes it on
    }
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    try:
        body = urlencode({"email": f"resend-{n}@example.org"})
        connection.request("POST", "/c/hketo/join/resend/", body, headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def limit_line(site: Cluster) -> str:
    statuses = Counter(resend(site.hosts[n % 2].base, n) for n in range(3 * RESENDS_ALLOWED))
    held = statuses[200] == RESENDS_ALLOWED
    return (
        f"rate limit across hosts: {3 * RESENDS_ALLOWED} resend requests from one visitor, "
        f"alternating hosts, allowance {RESENDS_ALLOWED}: {statuses[200]} allowed, "
        f"{statuses[429]} refused ({'held' if held else 'NOT HELD'})"
    )


class EmailClock:
    """When the sink took each email, to count emails per second."""

    def __init__(self, mail: SmtpServer) -> None:
        self.times: list[float] = []
        self.lock = threading.Lock()
        mail.on_taken = self.taken

    def taken(self, _count: int) -> None:
        with self.lock:
            self.times.append(time.monotonic())


def run(site: Cluster, mail: SmtpServer, clock: EmailClock, folder: Path) -> list[str]:
    first = site.hosts[0]
    results = [
        wrk("actions: one host alone", first.base, action_script(first.base), folder),
        wrk("actions: balancer, two hosts", site.base, action_script(site.base), folder),
    ]
    stored_actions = site.count("actions.ActionEvent")
    acked_actions = sum(r.acked for r in results)
    before = site.count("supporters.Supporter")
    signups = wrk("sign-ups: balancer, two hosts", site.base, signup_script(site.base, "a"), folder)
    results.append(signups)
    stored_signups = site.count("supporters.Supporter") - before

    limits = limit_line(site)  # while both hosts serve

    before = site.count("supporters.Supporter")
    killer = threading.Timer(SECONDS / 2, first.kill)
    killer.start()
    fault = wrk(
        "sign-ups: one host killed mid-run", site.base, signup_script(site.base, "f"), folder
    )
    killer.join()
    results.append(fault)
    stored_fault = site.count("supporters.Supporter") - before
    survivor = wrk(
        "actions: the survivor, afterwards", site.base, action_script(site.base), folder, 3
    )
    results.append(survivor)

    wait_until(site.queue_is_empty, 600, "the queue emptying")
    sent = Counter(
        a for recipients in mail.recipients for a in recipients if a.startswith("bench-")
    )
    all_stored = site.count("supporters.Supporter")
    span = (clock.times[-1] - clock.times[0]) if len(clock.times) > 1 else 0.0
    lines = [
        "| run | requests/s | acknowledged/s | p50 ms | p99 ms | refused | socket errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r.name} | {r.requests / r.seconds:,.0f} | {r.acked_rate:,.0f} | {r.p50_ms:.1f} "
            f"| {r.p99_ms:.1f} | {r.refused:,} | {r.socket_errors:,} |"
        )
    lines += [
        "",
        f"balancer over one host (actions acknowledged/s): "
        f"{results[1].acked_rate / max(results[0].acked_rate, 1):.2f}x",
        loss_line("actions (first two runs)", acked_actions, stored_actions),
        loss_line("sign-ups", signups.acked, stored_signups),
        loss_line("sign-ups with a host killed", fault.acked, stored_fault),
        f"the other host went on serving: {'yes' if survivor.acked else 'NO'}",
        f"confirmation emails: {sum(sent.values()):,} sent for {all_stored:,} stored sign-ups, "
        f"{sum(1 for n in sent.values() if n > 1)} addresses twice, "
        f"{all_stored - len(sent):,} without; "
        f"{len(clock.times) / span if span else 0:,.0f} emails/s by 2 workers "
        "(while sign-ups came in)",
        limits,
    ]
    return lines


def main() -> None:
    data = Path(os.environ.get("URGE_DATA_DIR", ""))
    if not (data / "congress-legislators").is_dir():
        sys.exit("Set URGE_DATA_DIR to the official snapshot (e.g. ../shared/data).")
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL server: the hosts share its database.")
    for tool in ("wrk", "nginx"):
        if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists():
            sys.exit(f"{tool} is missing: apt-get install wrk nginx-light")
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14")
    started = time.monotonic()
    mail = SmtpServer()
    mail.start()
    clock = EmailClock(mail)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            var = Path(tmp)
            print("Starting two hosts, nginx, two queue workers and the scheduler...")
            with cluster(
                var,
                database_url,
                redis_url,
                mail.port,
                data,
                workers=2,
                threads=16,
                URGE_RATE_SIGNUP=UNLIMITED,
                URGE_RATE_ACTION=UNLIMITED,
                URGE_RATE_RESEND=f"{RESENDS_ALLOWED}/3600",
                URGE_RATE_MAIL_HOUR=UNLIMITED,
                URGE_RATE_MAIL_DAY=UNLIMITED,
            ) as site:
                print(f"Benchmarking, {SECONDS} s per run...")
                lines = run(site, mail, clock, var)
    finally:
        mail.stop()
    lines = [
        f"Urge cluster benchmark, {datetime.date.today()}, {os.cpu_count()} cores, PostgreSQL, "
        f"two hosts behind nginx, {SECONDS} s per run, wrk on the same machine",
        "",
        *lines,
        f"whole run: {time.monotonic() - started:.0f} s",
    ]
    print("\n".join(lines))
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    name = f"{datetime.date.today()}-{os.cpu_count()}cores-cluster.md"
    (out / name).write_text("\n".join(lines) + "\n")
    print(f"\nwritten to bench/results/{name}")


if __name__ == "__main__":
    main()
