"""Link previews: the campaign and action pages carry Open Graph and X card tags in both
languages, every URL in them absolute on URGE_SITE_URL, and the picture they name is a
1200 x 630 PNG served by this site, made by `urge load` with the title drawn in the page's
language, or without the title, and a warning, where no font has its characters."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from PIL import Image, ImageFont

from tests.wsgi import request
from urge.campaigns.models import Campaign
from urge.core.httpcache import HttpCache
from urge.legislators.models import DataRelease
from urge.sharing.models import PreviewImage
from urge.sharing.preview import font_for, make_previews, units

SITE = "https://urge.example.org"
ACT = "/c/hketo/act/?t=S000001%2CS000002&state=WA"
EN_TITLE = "Bring the HKETO Certification Act to a vote in the Senate"
ZH_TITLE = "促請參議院表決《香港經濟貿易辦事處認證法案》"
HAS_CJK_FONT = font_for(ZH_TITLE, "zh-hant") is not None


@pytest.fixture(autouse=True)
def _public_address(settings: Any) -> None:
    settings.URGE_SITE_URL = SITE


@pytest.fixture
def latin_font(tmp_path: Path) -> str:
    """A font without a single Chinese character: the one Pillow carries, as a file."""
    path = tmp_path / "latin.ttf"
    font = ImageFont.load_default(20)
    assert isinstance(font, ImageFont.FreeTypeFont)
    assert isinstance(font.path, io.BytesIO)
    path.write_bytes(font.path.getvalue())
    return str(path)


def tags(html: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, value in re.findall(r'<meta (?:property|name)="([\w:]+)" content="([^"]*)">', html):
        found.setdefault(name, []).append(value)
    return found


@pytest.mark.parametrize(
    ("path", "title", "locale", "alternate"),
    [
        ("/c/hketo/", EN_TITLE, "en_US", "zh_HK"),
        ("/zh-hant/c/hketo/", ZH_TITLE, "zh_HK", "en_US"),
        (ACT, EN_TITLE, "en_US", "zh_HK"),
        ("/zh-hant" + ACT, ZH_TITLE, "zh_HK", "en_US"),
    ],
)
def test_the_pages_carry_link_preview_tags_in_their_language(
    hketo: Campaign,
    release: DataRelease,
    site: HttpCache,
    path: str,
    title: str,
    locale: str,
    alternate: str,
) -> None:
    make_previews(hketo)
    found = tags(request(site, path).text)
    language = "/zh-hant" if path.startswith("/zh-hant") else ""
    assert found["og:title"] == [title]
    assert found["og:description"][0]
    # The campaign page, whichever page is shared: an action page's targets stay out of it.
    assert found["og:url"] == [f"{SITE}{language}/c/hketo/"]
    assert found["og:locale"] == [locale]
    assert found["og:locale:alternate"] == [alternate]
    assert found["twitter:card"] == ["summary_large_image"]
    (image,) = found["og:image"]
    assert image.startswith(f"{SITE}/c/hketo/preview/")
    assert image.endswith(".png")
    assert (found["og:image:width"], found["og:image:height"]) == (["1200"], ["630"])
    assert found["og:image:type"] == ["image/png"]


def test_the_picture_is_served_by_this_site_as_a_1200_by_630_png(
    hketo: Campaign, site: HttpCache
) -> None:
    make_previews(hketo)
    pictures = set()
    for path in ("/c/hketo/", "/zh-hant/c/hketo/"):
        (image,) = tags(request(site, path).text)["og:image"]
        for _ in range(2):  # the second answer comes from the cache
            answer = request(site, urlsplit(image).path)
            assert answer.status == 200
            assert answer.headers["Content-Type"] == "image/png"
            assert "immutable" in answer.headers["Cache-Control"]
            with Image.open(io.BytesIO(answer.body)) as picture:
                assert (picture.format, picture.size) == ("PNG", (1200, 630))
        assert "Age" in answer.headers
        pictures.add(answer.body)
    assert len(pictures) == 2  # one per language
    assert request(site, "/c/hketo/preview/0123456789abcdef.png").status == 404


def test_a_referral_code_stays_in_the_shared_address_and_an_unknown_one_does_not(
    hketo: Campaign, site: HttpCache
) -> None:
    assert tags(request(site, "/c/hketo/?ref=dc4hk").text)["og:url"] == [
        f"{SITE}/c/hketo/?ref=dc4hk"
    ]
    assert tags(request(site, "/c/hketo/?ref=made-up").text)["og:url"] == [f"{SITE}/c/hketo/"]


def test_before_any_picture_is_made_the_tags_say_so(hketo: Campaign, site: HttpCache) -> None:
    found = tags(request(site, "/c/hketo/").text)
    assert "og:image" not in found
    assert found["twitter:card"] == ["summary"]


@pytest.mark.skipif(not HAS_CJK_FONT, reason="no CJK font on this machine (fonts-noto-cjk)")
def test_with_a_cjk_font_both_pictures_carry_their_title(hketo: Campaign) -> None:
    assert make_previews(hketo) == []
    assert set(PreviewImage.objects.values_list("language", "has_title")) == {
        ("en", True),
        ("zh-hant", True),
    }


def test_without_a_chinese_font_the_picture_has_no_title_and_load_says_so(
    campaign_folder: Path, db: None, settings: Any, latin_font: str
) -> None:
    settings.URGE_PREVIEW_FONT = latin_font
    out, err = io.StringIO(), io.StringIO()
    call_command("load", str(campaign_folder), stdout=out, stderr=err)
    assert "Created campaign 'hketo'" in out.getvalue()
    assert "Warning: hketo: the zh-hant link-preview image has no title" in err.getvalue()
    assert "fonts-noto-cjk" in err.getvalue()
    assert "the en link-preview" not in err.getvalue()
    rows = {row.language: row for row in PreviewImage.objects.all()}
    assert (rows["en"].has_title, rows["zh-hant"].has_title) == (True, False)
    for row in rows.values():
        with Image.open(io.BytesIO(bytes(row.png))) as picture:
            assert picture.size == (1200, 630)


def test_loading_again_makes_the_same_picture_under_the_same_address(hketo: Campaign) -> None:
    make_previews(hketo)
    first = dict(PreviewImage.objects.values_list("language", "digest"))
    make_previews(hketo)
    assert dict(PreviewImage.objects.values_list("language", "digest")) == first
    assert PreviewImage.objects.count() == 2


def test_a_chinese_title_breaks_between_characters_never_next_to_a_bracket() -> None:
    pieces = ["表", "決", "《法", "案》。", "Vote", " ", "now"]
    assert units("表決《法案》。Vote now") == pieces


def test_a_font_setting_that_names_no_font_is_said(
    hketo: Campaign, settings: Any, tmp_path: Path
) -> None:
    settings.URGE_PREVIEW_FONT = str(tmp_path / "missing.ttf")
    warnings = make_previews(hketo)
    assert (
        warnings[0]
        == f"URGE_PREVIEW_FONT={tmp_path / 'missing.ttf'} is no font file this machine reads."
    )
    assert PreviewImage.objects.get(language="en").has_title  # drawn with the built-in font
