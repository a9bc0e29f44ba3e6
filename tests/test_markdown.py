from urge.campaigns.markdown import check_markdown, render_markdown


def test_it_renders_paragraphs_links_and_lists() -> None:
    html = render_markdown("Read [the bill](https://www.congress.gov/).\n\n- one\n- two\n")
    assert '<a href="https://www.congress.gov/">the bill</a>' in html
    assert "<li>one</li>" in html


def test_it_moves_headings_one_level_down_below_the_page_headings() -> None:
    assert render_markdown("## Details") == "<h3>Details</h3>\n"


def test_it_escapes_raw_html_and_never_renders_images() -> None:
    html = render_markdown("<script>alert(1)</script>\n\n![x](https://evil.example/x.png)")
    assert "<script>" not in html
    assert "<img" not in html


def test_it_accepts_clean_markdown() -> None:
    assert check_markdown("Plain [link](https://example.org/a) and [anchor](#bill).") == []


def test_it_reports_a_link_that_is_not_a_full_address() -> None:
    problems = check_markdown("First line.\n\nSee [the bill](hhttps://www.congress.gov/).")
    assert problems == [
        "line 3: the link to 'hhttps://www.congress.gov/' is not a full http(s) address"
    ]


def test_it_reports_relative_and_javascript_links() -> None:
    problems = check_markdown("[a](bill.html) [b](javascript:alert(1))")
    assert len(problems) == 2


def test_it_reports_brackets_that_did_not_become_a_link() -> None:
    assert "broken link" in check_markdown("See [the bill](https://x.org and more.")[0]
    assert "broken link" in check_markdown("See [the bill][nowhere].")[0]
    assert "broken link" in check_markdown("See [the bill] (https://x.org/).")[0]


def test_it_reports_images_and_raw_html() -> None:
    problems = check_markdown("![map](https://example.org/map.png)\n\n<div>hi</div>\n")
    assert problems == [
        "line 1: images are not allowed (they would load from elsewhere)",
        "line 3: raw HTML is not allowed",
    ]
