"""SVG charts drawn on the server: bars, columns by day, and a tile map of the US states.

Each function is pure: counts and words in, one <svg> element out, with no script, no
style attribute (the Content-Security-Policy refuses inline styles) and nothing from
another origin. Colours come from classes in dashboard.css. Every chart is an image to a
screen reader (role="img", named by its <title> and described by its <desc>); the page puts
a table of the same numbers beside it for anyone who wants to read them one by one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
FONT_SIZE = 13
LABEL_CHARS = 30  # longer labels are cut in the picture; the table beside it has them whole
SHADES = 4  # tile classes chart__tile--1 to --4; --0 for none


@dataclass(frozen=True)
class Words:
    """What a chart says, already in the page's language."""

    id: str  # unique on the page: the ids of <title> and <desc> derive from it
    title: str
    desc: str


def _attrs(**values: object) -> str:
    return " ".join(
        f'{name.rstrip("_").replace("_", "-")}="{escape(str(value))}"'
        for name, value in values.items()
    )


def _svg(words: Words, height: int, body: list[str]) -> SafeString:
    title_id, desc_id = f"{words.id}-title", f"{words.id}-desc"
    head = _attrs(
        xmlns="http://www.w3.org/2000/svg",
        viewBox=f"0 0 {WIDTH} {height}",
        role="img",
        aria_labelledby=f"{title_id} {desc_id}",
        class_="chart__svg",
        font_size=FONT_SIZE,
    )
    parts = [
        f"<svg {head}>",
        f'<title id="{escape(title_id)}">{escape(words.title)}</title>',
        f'<desc id="{escape(desc_id)}">{escape(words.desc)}</desc>',
        *body,
        "</svg>",
    ]
    return mark_safe("".join(parts))  # noqa: S308 (every text and attribute above is escaped)


def _text(x: float, y: float, content: str, **extra: object) -> str:
    return f"<text {_attrs(x=round(x, 1), y=round(y, 1), **extra)}>{escape(content)}</text>"


def _rect(x: float, y: float, width: float, height: float, css: str) -> str:
    sizes = _attrs(
        x=round(x, 1), y=round(y, 1), width=round(width, 1), height=round(height, 1), class_=css
    )
    return f"<rect {sizes}/>"


def shorten(label: str, limit: int = LABEL_CHARS) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(
    words: Words, rows: Sequence[tuple[str, int]], texts: Sequence[str] | None = None
) -> SafeString:
    """Horizontal bars, one row per label, in the order given; each bar's count after it, or
    the row's text from `texts` (a count not shown as a number)."""
    row_height, label_width, gap = 28, 230, 8
    bar_space = WIDTH - label_width - gap - 70  # room left for the count after the bar
    largest = max((count for _label, count in rows), default=0) or 1
    body = []
    for index, (label, count) in enumerate(rows):
        top = index * row_height + 4
        length = bar_space * count / largest
        middle = top + row_height / 2 + 4
        body.append(_text(label_width - gap, middle, shorten(label), text_anchor="end"))
        body.append(_rect(label_width, top + 4, max(length, 1), row_height - 10, "chart__bar"))
        written = texts[index] if texts is not None else f"{count:,}"
        body.append(_text(label_width + length + gap, middle, written))
    return _svg(words, max(len(rows), 1) * row_height + 8, body)


def column_chart(words: Words, days: Sequence[tuple[date, int]]) -> SafeString:
    """One column per day, left to right; the largest count on the axis, first and last
    day under it."""
    height, left, right, top, bottom = 220, 48, 8, 12, 184
    plot_width, plot_height = WIDTH - left - right, bottom - top
    largest = max((count for _day, count in days), default=0) or 1
    slot = plot_width / max(len(days), 1)
    body = [
        f"<line {_attrs(x1=left, y1=bottom, x2=WIDTH - right, y2=bottom, class_='chart__axis')}/>",
        _text(left - 6, top + 8, f"{largest:,}", text_anchor="end"),
        _text(left - 6, bottom, "0", text_anchor="end"),
    ]
    for index, (_day, count) in enumerate(days):
        column = plot_height * count / largest
        width = min(max(slot * 0.8, 0.5), 40)  # a lone day is a column, not a wall
        body.append(
            _rect(left + index * slot + slot * 0.1, bottom - column, width, column, "chart__bar")
        )
    if days:
        body.append(_text(left, bottom + 20, days[0][0].isoformat()))
        if len(days) > 1:
            body.append(
                _text(WIDTH - right, bottom + 20, days[-1][0].isoformat(), text_anchor="end")
            )
    return _svg(words, height, body)


# Where each state sits in the tile map: (column, row), roughly where it lies on a map of
# the country, one square each whatever its size. Alaska and Hawaii sit at the left edge.
TILES: dict[str, tuple[int, int]] = {
    "AK": (0, 0), "ME": (10, 0),
    "WI": (5, 1), "VT": (9, 1), "NH": (10, 1),
    "WA": (0, 2), "ID": (1, 2), "MT": (2, 2), "ND": (3, 2), "MN": (4, 2), "IL": (5, 2),
    "MI": (6, 2), "NY": (8, 2), "MA": (9, 2),
    "OR": (0, 3), "NV": (1, 3), "WY": (2, 3), "SD": (3, 3), "IA": (4, 3), "IN": (5, 3),
    "OH": (6, 3), "PA": (7, 3), "NJ": (8, 3), "CT": (9, 3), "RI": (10, 3),
    "CA": (0, 4), "UT": (1, 4), "CO": (2, 4), "NE": (3, 4), "MO": (4, 4), "KY": (5, 4),
    "WV": (6, 4), "VA": (7, 4), "MD": (8, 4), "DE": (9, 4),
    "AZ": (1, 5), "NM": (2, 5), "KS": (3, 5), "AR": (4, 5), "TN": (5, 5), "NC": (6, 5),
    "SC": (7, 5), "DC": (8, 5),
    "OK": (3, 6), "LA": (4, 6), "MS": (5, 6), "AL": (6, 6), "GA": (7, 6),
    "HI": (0, 7), "TX": (3, 7), "FL": (8, 7),
}  # fmt: skip


def shade(count: int, largest: int) -> int:
    """0 for none; else 1 to SHADES, each a quarter of the way to the largest count."""
    if count <= 0 or largest <= 0:
        return 0
    return min(SHADES, math.ceil(SHADES * count / largest))


def shade_ranges(largest: int, lowest: int = 1) -> list[tuple[int, int, int]]:
    """(shade, lowest, highest) for each shade that some whole count from `lowest` falls in."""
    ranges = []
    for level in range(1, SHADES + 1):
        low = max(largest * (level - 1) // SHADES + 1, lowest)
        high = largest * level // SHADES
        if low <= high:
            ranges.append((level, low, high))
    return ranges


def tile_map(
    words: Words,
    counts: Mapping[str, int],
    none_label: str,
    missing: str = "0",
    lowest: int = 1,
) -> SafeString:
    """The 50 states and DC as squares, each shaded by its count, with a legend under them;
    a state not in `counts` is unshaded and reads `missing`, and no count shown is under
    `lowest`. Codes without a tile (territories) are left to the table beside the map."""
    tile, gap, left, top = 52, 4, 14, 4
    largest = max((counts.get(code, 0) for code in TILES), default=0)
    body = []
    for code, (column, row) in TILES.items():
        x, y = left + column * (tile + gap), top + row * (tile + gap)
        count = counts.get(code, 0)
        level = shade(count, largest)
        body.append(_rect(x, y, tile, tile, f"chart__tile chart__tile--{level}"))
        text_class = (
            "chart__tile-text chart__tile-text--on-dark" if level >= 3 else "chart__tile-text"
        )
        body.append(_text(x + tile / 2, y + 22, code, text_anchor="middle", class_=text_class))
        written = f"{count:,}" if code in counts else missing
        body.append(_text(x + tile / 2, y + 40, written, text_anchor="middle", class_=text_class))
    legend_top = top + 8 * (tile + gap) + 8
    legend = [
        (0, none_label),
        *(
            (level, f"{low:,}\N{EN DASH}{high:,}")
            for level, low, high in shade_ranges(largest, lowest)
        ),
    ]
    for index, (level, label) in enumerate(legend):
        x = left + index * 120
        body.append(_rect(x, legend_top, 18, 18, f"chart__tile chart__tile--{level}"))
        body.append(_text(x + 24, legend_top + 14, label))
    return _svg(words, legend_top + 26, body)
