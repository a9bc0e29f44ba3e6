"""One letter to one office is one email: in a real browser, act.js tells the site of a copy
once per visit of the page, and marks a second opening of the same contact form, so that the
site counts one email (urge/actions/views.py, only_a_step)."""

from __future__ import annotations

from urllib.parse import parse_qs

from playwright.sync_api import Browser, Request, Route

ACT = "c/hketo/act/?t=S000001%2CS000002&state=WA"


def stand_in(route: Route) -> None:
    """The office's contact form is not reachable here: answer for it."""
    route.fulfill(status=200, content_type="text/html", body="<title>the office's form</title>")


def email_sends(requests: list[Request]) -> list[dict[str, list[str]]]:
    """The fields of every email step the page sent to the site, in order."""
    found = []
    for request in requests:
        if request.method != "POST" or not request.url.endswith("/act/go/"):
            continue
        body = request.post_data or ""
        if "multipart/form-data" in (request.headers.get("content-type") or ""):
            # FormData, as act.js sends a copy: the channel is all this test needs.
            fields = {"channel": ["email-copy"]} if "email-copy" in body else {}
        else:
            fields = parse_qs(body)
        if fields.get("channel", [""])[0].startswith("email-"):
            found.append(fields)
    return found


def test_a_copy_and_two_openings_of_the_form_make_one_email(browser: Browser, site: str) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    context.route("https://s000001.example.gov/**", stand_in)
    sent: list[Request] = []
    context.on("request", lambda request: sent.append(request))  # also the new tab's post
    page = context.new_page()
    page.goto(site + ACT)
    panel = page.locator("#target-S000001")
    panel.locator("details.channel").nth(1).locator(":scope > summary").click()

    copy = panel.locator("button.copy")
    with page.expect_request(lambda request: request.url.endswith("/act/go/")):
        copy.click()
    copy.click()  # copied again: told once only
    for _ in range(2):
        with page.expect_popup() as popup:
            panel.get_by_role("button", name="Open the contact form").click()
        popup.value.wait_for_load_state()

    sends = email_sends(sent)
    assert [fields["channel"] for fields in sends] == [
        ["email-copy"],
        ["email-form"],
        ["email-form"],
    ]
    assert "again" not in sends[1]
    assert sends[2]["again"] == ["1"]
    context.close()
