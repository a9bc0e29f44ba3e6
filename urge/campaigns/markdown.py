"""Campaign Markdown: rendered safely, and checked for what would break on the page."""

import re
from collections.abc import Iterator
from functools import cache

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from markdown_it import MarkdownIt
from markdown_it.token import Token

# Explainers sit under the page's own <h2> headings, so their headings start one level down.
HEADING_SHIFT = 1
# A `[text](` or `[text][ref]` left as plain text after parsing is a link that did not work.
LEFTOVER_LINK = re.compile(r"\[[^\]\n]*\]\s?[\(\[]")
_web_url = URLValidator(schemes=["http", "https"])


@cache
def _renderer() -> MarkdownIt:
    # Raw HTML stays escaped text, and images (which would load from another origin) are
    # never rendered; check_markdown reports both so authors hear about them.
    return MarkdownIt("commonmark", {"html": False}).disable("image")


@cache
def _checker() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True})


def render_markdown(text: str) -> str:
    parser = _renderer()
    env: dict[str, object] = {}
    tokens = parser.parse(text, env)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + HEADING_SHIFT, 6)}"
    html: str = parser.renderer.render(tokens, parser.options, env)
    return html


def _with_lines(tokens: list[Token], line: int = 0) -> Iterator[tuple[Token, int]]:
    """Every token with the line it starts on (inline tokens take their block's line)."""
    for token in tokens:
        here = token.map[0] + 1 if token.map else line
        yield token, here
        if token.children:
            yield from _with_lines(token.children, here)


def check_link(href: str) -> str | None:
    """Why a link target would not work on the public page, or None if it is fine."""
    if href.startswith("#") and len(href) > 1:
        return None
    if href.startswith("mailto:") and "@" in href:
        return None
    try:
        _web_url(href)
    except ValidationError:
        return f"the link to {href!r} is not a full http(s) address"
    return None


def check_markdown(text: str) -> list[str]:
    """Every problem in one Markdown text, in reading order, each naming its line."""
    problems: list[str] = []
    for token, line in _with_lines(_checker().parse(text)):
        if token.type == "image":
            problems.append(f"line {line}: images are not allowed (they would load from elsewhere)")
        elif token.type == "link_open":
            reason = check_link(str(token.attrGet("href") or ""))
            if reason:
                problems.append(f"line {line}: {reason}")
        elif token.type in ("html_block", "html_inline"):
            problems.append(f"line {line}: raw HTML is not allowed")
        elif token.type == "text" and (leftover := LEFTOVER_LINK.search(token.content)):
            problems.append(
                f"line {line}: broken link {leftover[0]!r}..."
                " (check the brackets, and that the address follows in parentheses)"
            )
    return problems
