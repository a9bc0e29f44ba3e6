"""The campaign page as a supporter meets it, in a real browser against the real server."""

import json
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Request

from tests.browser.checks import assert_valid_html
from tests.browser.server import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
LANGUAGES = [
    ("", "en", "Bring the HKETO Certification Act"),
    ("zh-hant/", "zh-Hant", "促請參議院表決"),
]


@pytest.mark.parametrize(("path", "lang", "title"), LANGUAGES)
def test_it_renders_the_campaign_in_each_language(
    page: Page, site: str, path: str, lang: str, title: str
) -> None:
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.goto(site + path)
    assert page.locator("html").get_attribute("lang") == lang
    assert title in page.locator("h1").inner_text()
    assert page.locator("#find").is_visible()
    assert page.locator(".cohosts__list li").count() == 4
    # A blocked script, style or image (say by the Content-Security-Policy) shows up here.
    assert errors == []


def test_it_makes_every_request_to_its_own_origin(page: Page, site: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    for path, _lang, _title in LANGUAGES:
        page.goto(site + path, wait_until="networkidle")
    assert len(requested) >= 4
    assert [url for url in requested if not url.startswith(site)] == []


@pytest.mark.parametrize(("path", "lang", "title"), LANGUAGES)
@pytest.mark.parametrize("zip_code", ["", "98101", "86515", "9810"])
def test_it_has_no_accessibility_violations(
    browser: Browser, site: str, path: str, lang: str, title: str, zip_code: str
) -> None:
    # The page's own policy rightly refuses injected scripts; axe is the test's, not the page's.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(site + path)
    if zip_code:  # the page as it answers a lookup, or shows an error
        page.locator("#id_zip").fill(zip_code)
        page.locator("form.lookup button").click()
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))"
    )
    context.close()
    assert violations == [], json.dumps(violations, indent=2, ensure_ascii=False)


def test_it_works_without_javascript(browser: Browser, site: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site)
    page.get_by_role("link", name="繁體中文").click()
    assert page.url == site + "zh-hant/"
    assert "促請參議院表決" in page.locator("h1").inner_text()
    page.get_by_role("link", name="English").click()
    page.get_by_role("link", name="Find your senators").click()
    assert page.url == site + "#find"
    assert page.locator("#find").get_by_label("ZIP code").is_visible()
    context.close()


def test_its_html_is_valid(site: str, tmp_path: Path) -> None:
    files = []
    for path, lang, _title in LANGUAGES:
        for zip_code in ("", "98101", "86515", "09001", "9810"):
            body = urllib.parse.urlencode({"zip": zip_code}).encode() if zip_code else None
            with urllib.request.urlopen(site + path, data=body) as response:
                html = response.read()
            saved = tmp_path / f"campaign-{lang}-{zip_code or 'page'}.html"
            saved.write_bytes(html)
            files.append(str(saved))
        for query in (
            "t=S000001,S000002&state=WA",
            "t=S000001&done=call-reached&done_for=S000001",
        ):
            with urllib.request.urlopen(f"{site}{path}c/hketo/act/?{query}") as response:
                saved = tmp_path / f"act-{lang}-{len(files)}.html"
                saved.write_bytes(response.read())
                files.append(str(saved))
        body = urllib.parse.urlencode(
            {"channel": "post-x", "target": "S000001", "variant": "ask-for-a-vote", "text": "a"}
        ).encode()
        with urllib.request.urlopen(f"{site}{path}c/hketo/act/go/", data=body) as response:
            saved = tmp_path / f"going-{lang}.html"
            saved.write_bytes(response.read())
            files.append(str(saved))
        # The answer to a ZIP across a state line, on a page of its own.
        with urllib.request.urlopen(f"{site}{path}", data=b"zip=86515") as response:
            saved = tmp_path / f"find-{lang}.html"
            saved.write_bytes(response.read())
            files.append(str(saved))
        for page_path in ("c/hketo/join/", "c/hketo/join/thanks/", "c/hketo/join/resend/"):
            with urllib.request.urlopen(f"{site}{path}{page_path}") as response:
                saved = tmp_path / f"join-{lang}-{len(files)}.html"
                saved.write_bytes(response.read())
                files.append(str(saved))
        try:  # a sign-up with a mistake: the form again, with the error beside the field
            urllib.request.urlopen(
                f"{site}{path}c/hketo/join/", data=urllib.parse.urlencode({"email": "x"}).encode()
            )
        except urllib.error.HTTPError as error:
            saved = tmp_path / f"join-error-{lang}.html"
            saved.write_bytes(error.read())
            files.append(str(saved))
    assert_valid_html(files)


def test_its_first_load_is_light(page: Page, site: str) -> None:
    finished: list[Request] = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.goto(site, wait_until="networkidle")
    transferred = sum(
        sizes["responseBodySize"] + sizes["responseHeadersSize"]
        for sizes in (request.sizes() for request in finished)
    )
    assert len(finished) <= 8, [request.url for request in finished]
    assert transferred <= 60 * 1024, f"{transferred} bytes"


def test_it_serves_static_files_fingerprinted_compressed_and_cached_for_good(
    page: Page, site: str
) -> None:
    page.goto(site)
    stylesheet = page.locator('link[rel="stylesheet"]').get_attribute("href")
    assert stylesheet is not None
    assert stylesheet.startswith("/static/core/urge.")  # urge.<hash>.css
    request = urllib.request.Request(
        site + stylesheet.lstrip("/"), headers={"Accept-Encoding": "br"}
    )
    with urllib.request.urlopen(request) as response:
        assert response.headers["Content-Encoding"] == "br"
        assert "immutable" in response.headers["Cache-Control"]
        assert "max-age=315360000" in response.headers["Cache-Control"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]
