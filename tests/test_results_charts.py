"""The results page's SVG charts, drawn without a request: well-formed, named for screen
readers, and shaded as the counts say."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date

from urge.dashboard.charts import (
    TILES,
    Words,
    bar_chart,
    column_chart,
    shade,
    shade_ranges,
    shorten,
    tile_map,
)
from urge.legislators.states import SENATE_STATES

SVG = "{http://www.w3.org/2000/svg}"
WORDS = Words("by-x", "Actions by <channel> & more", 'A "quoted" description.')


def parsed(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (our own output, not untrusted input)


def texts(root: ET.Element) -> list[str]:
    return [element.text or "" for element in root.iter(f"{SVG}text")]


def test_it_names_each_chart_for_screen_readers_by_its_title_and_description() -> None:
    for svg in (
        bar_chart(WORDS, [("post on X", 3)]),
        column_chart(WORDS, [(date(2025, 3, 1), 2)]),
        tile_map(WORDS, {"WA": 1}, "none"),
    ):
        root = parsed(svg)
        assert root.get("role") == "img"
        assert root.get("aria-labelledby") == "by-x-title by-x-desc"
        title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
        assert title is not None
        assert title.get("id") == "by-x-title"
        assert title.text == "Actions by <channel> & more"
        assert desc is not None
        assert desc.get("id") == "by-x-desc"
        assert desc.text == 'A "quoted" description.'


def test_it_uses_no_style_attribute_and_no_script() -> None:
    svg = tile_map(WORDS, {"WA": 5, "TX": 1}, "none") + bar_chart(WORDS, [("a", 1)])
    assert "style=" not in svg
    assert "<script" not in svg
    assert "http://" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_it_draws_bars_in_proportion_with_each_count_written_after_its_bar() -> None:
    root = parsed(bar_chart(WORDS, [("post on X", 10), ("Gmail opened", 5)]))
    widths = [float(rect.get("width", 0)) for rect in root.iter(f"{SVG}rect")]
    assert widths[0] == 2 * widths[1]
    assert texts(root) == ["post on X", "10", "Gmail opened", "5"]


def test_it_escapes_labels_and_cuts_long_ones_in_the_picture_only() -> None:
    label = "<script>alert(1)</script> with a name far too long to fit"
    svg = bar_chart(WORDS, [(label, 1)])
    assert "<script>" not in svg
    assert texts(parsed(svg))[0] == shorten(label)
    assert shorten(label).endswith("…")
    assert len(shorten(label)) == 30


def test_it_draws_one_column_per_day_with_the_first_and_last_day_under_them() -> None:
    days = [(date(2025, 3, 1), 4), (date(2025, 3, 2), 0), (date(2025, 3, 3), 2)]
    root = parsed(column_chart(WORDS, days))
    heights = [float(rect.get("height", 0)) for rect in root.iter(f"{SVG}rect")]
    assert heights == [172.0, 0.0, 86.0]
    assert texts(root)[-2:] == ["2025-03-01", "2025-03-03"]


def test_it_draws_an_empty_chart_without_dividing_by_zero() -> None:
    assert parsed(bar_chart(WORDS, [])).tag == f"{SVG}svg"
    assert parsed(column_chart(WORDS, [])).tag == f"{SVG}svg"
    assert parsed(tile_map(WORDS, {}, "none")).tag == f"{SVG}svg"


def test_the_tile_map_has_one_square_per_state_and_dc_none_on_top_of_another() -> None:
    assert set(TILES) == SENATE_STATES | {"DC"}
    assert len(set(TILES.values())) == len(TILES)


def test_it_shades_each_state_by_its_share_of_the_largest_count() -> None:
    root = parsed(tile_map(WORDS, {"WA": 8, "TX": 2, "AZ": 5, "GU": 99}, "none"))
    classes = Counter(rect.get("class") for rect in root.iter(f"{SVG}rect"))
    labels = texts(root)
    assert labels[labels.index("WA") + 1] == "8"
    assert labels[labels.index("AZ") + 1] == "5"
    # GU has no square: the largest count is WA's 8, so WA is the darkest shade.
    assert (shade(8, 8), shade(5, 8), shade(2, 8), shade(0, 8)) == (4, 3, 1, 0)
    assert classes["chart__tile chart__tile--4"] == 2  # WA, and its swatch in the legend


def test_the_legend_gives_each_shade_the_counts_it_stands_for() -> None:
    assert shade_ranges(8) == [(1, 1, 2), (2, 3, 4), (3, 5, 6), (4, 7, 8)]
    assert shade_ranges(2) == [(2, 1, 1), (4, 2, 2)]
    for largest in range(1, 30):
        for count in range(1, largest + 1):
            level = shade(count, largest)
            assert any(lo <= count <= hi for lv, lo, hi in shade_ranges(largest) if lv == level)
