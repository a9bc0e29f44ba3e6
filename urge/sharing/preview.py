"""The picture a shared link shows: 1200 x 630 PNG, the campaign's title drawn on it, one per
language, made by `urge load` and kept in the database (models.PreviewImage).

Made once, when the campaign is loaded, never while a visitor waits. The title needs a font
with its characters: Traditional Chinese needs a CJK font, which a minimal machine (or CI)
may lack. The fonts tried are URGE_PREVIEW_FONT when it is set, else the Noto CJK fonts
where Debian, Fedora and Arch put them and DejaVu; then the Latin font Pillow carries. The
first that draws every character of the title is used. When none does, the picture is drawn
without the title (the bill and the site's address only) and `urge load` says so.
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

from urge.campaigns.models import Campaign, CampaignText
from urge.core.memo import per_version
from urge.sharing.models import PreviewImage

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
# The site's own colours (urge/core/static/core/urge.css): harbour blue, amber, paper.
BACKGROUND = (15, 61, 94)
ACCENT = (242, 183, 5)
INK = (251, 250, 247)
SOFT = (196, 214, 228)

TITLE_TOP, TITLE_BOTTOM = 170, 520
TITLE_SIZES = (76, 68, 60, 54, 48, 42)
MAX_TITLE_LINES = 4

# Searched in this order unless URGE_PREVIEW_FONT is set. A .ttc holds several faces: the one for
# the language is chosen by name (FACE_SUFFIXES).
FONT_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",  # Debian, Ubuntu: fonts-noto-cjk
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Bold.ttc",  # Fedora
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc",  # Arch
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",  # Latin only
)
# Traditional Chinese glyph forms: the Taiwan or Hong Kong face of a CJK collection.
FACE_SUFFIXES = {"zh-hant": (" TC", " HK")}
MAX_FACES = 16
BUILT_IN = "(Pillow's built-in font)"


@dataclass(frozen=True)
class Drawn:
    png: bytes
    has_title: bool

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.png).hexdigest()[:16]


def draw_preview(title: str, language: str, footer: str, host: str) -> Drawn:
    """The picture for `title` in `language`, with `footer` (the bill) and `host` (where the
    link leads) in small type; without the title if no font draws all of it."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.text((MARGIN, 64), host, font=_font(_line_font(host, "en"), 30), fill=SOFT)
    draw.rectangle((MARGIN, 124, MARGIN + 120, 132), fill=ACCENT)
    source = font_for(title, language)
    if source is not None:
        _draw_title(draw, title, source)
    draw.text((MARGIN, 548), footer, font=_font(_line_font(footer, language), 32), fill=ACCENT)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return Drawn(buffer.getvalue(), has_title=source is not None)


# --- fonts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FontSource:
    """A font file and the face in it; path BUILT_IN for the one Pillow carries."""

    path: str
    index: int = 0


def font_for(text: str, language: str) -> FontSource | None:
    """The first font that draws every character of `text`, or None."""
    for source in _candidates(language):
        if covers(_font(source, 40), text):
            return source
    return None


def _line_font(text: str, language: str) -> FontSource:
    """For the small lines (the host name, the bill): the first font that draws them."""
    return font_for(text, language) or FontSource(BUILT_IN)


def _candidates(language: str) -> Iterator[FontSource]:
    configured = getattr(settings, "URGE_PREVIEW_FONT", None)
    # A font the operator named is the one wanted: no other is looked for.
    for path in [configured] if configured else FONT_FILES:
        if Path(path).is_file():
            face = _face(path, language)
            if face is not None:
                yield face
    yield FontSource(BUILT_IN)


@functools.cache
def _face(path: str, language: str) -> FontSource | None:
    """The face of `path` for `language` (by its name's suffix), else its first; None if the
    file is no font FreeType reads."""
    suffixes = FACE_SUFFIXES.get(language, ())
    first: FontSource | None = None
    for index in range(MAX_FACES):
        try:
            family, _style = ImageFont.truetype(path, 20, index=index).getname()
        except OSError:
            break
        first = first or FontSource(path, index)
        if any((family or "").endswith(suffix) for suffix in suffixes):
            return FontSource(path, index)
    return first


@functools.cache
def _font(source: FontSource, size: int) -> ImageFont.FreeTypeFont:
    if source.path == BUILT_IN:
        font = ImageFont.load_default(size)
        assert isinstance(font, ImageFont.FreeTypeFont)  # Pillow is built with FreeType
        return font
    return ImageFont.truetype(source.path, size, index=source.index)


# A code point no font draws: what a font shows for a character it lacks.
_NOT_A_CHARACTER = "\U0010fffd"


def covers(font: ImageFont.FreeTypeFont, text: str) -> bool:
    """Whether `font` has a glyph for every visible character of `text`: a character it
    lacks comes out as the same box (or nothing) that it draws for a code point no font
    has."""
    missing = _bitmap(font, _NOT_A_CHARACTER)
    return all(
        _bitmap(font, char) != missing
        for char in set(text)
        if not char.isspace() and unicodedata.category(char) not in ("Cf", "Cc", "Zs")
    )


def _bitmap(font: ImageFont.FreeTypeFont, char: str) -> tuple[tuple[int, int], bytes]:
    mask = font.getmask(char)
    return mask.size, bytes(mask)


# --- the title -------------------------------------------------------------------------------

# A line may break between any two CJK characters, and between words elsewhere; closing
# punctuation stays with what it closes.
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_UNITS = re.compile(rf"[{_CJK}]|[^\s{_CJK}]+|\s+")
# Full-width comma, full stop, enumeration comma, semicolon, colon, marks, brackets; ASCII ones.
# Full-width opening bracket and double, corner and lenticular brackets; the ASCII one.
_OPENING = set("\uff08\u300a\u300c\u300e\u3010(")
_CLOSING = set("\uff0c\u3002\u3001\uff1b\uff1a\uff01\uff1f\uff09\u300b\u300d\u300f\u3011,.;:!?)")


def units(text: str) -> list[str]:
    """The pieces a line may break between: no line starts with a closing mark, nor ends
    with an opening one."""
    found: list[str] = []
    for unit in _UNITS.findall(text):
        if found and (unit[0] in _CLOSING or found[-1][-1] in _OPENING):
            found[-1] += unit
        else:
            found.append(unit)
    return found


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Lines of `text` no wider than `width` where breaks allow (a single word longer than
    the line stays whole)."""
    lines: list[str] = []
    line = ""
    for unit in units(text):
        candidate = line + unit
        if not line.strip() or font.getlength(candidate.rstrip()) <= width:
            line = candidate.lstrip() if not line.strip() else candidate
            continue
        lines.append(line.rstrip())
        line = unit.lstrip()
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _draw_title(draw: ImageDraw.ImageDraw, title: str, source: FontSource) -> None:
    width = WIDTH - 2 * MARGIN
    for size in TITLE_SIZES:
        font = _font(source, size)
        lines = wrap(title, font, width)
        step = round(size * 1.3)
        fits = all(font.getlength(line) <= width for line in lines)
        if fits and len(lines) <= MAX_TITLE_LINES and len(lines) * step <= TITLE_BOTTOM - TITLE_TOP:
            break
    lines = lines[:MAX_TITLE_LINES]
    for number, line in enumerate(lines):
        draw.text((MARGIN, TITLE_TOP + number * step), line, font=font, fill=INK)


# --- stored and served -------------------------------------------------------------------


def make_previews(campaign: Campaign) -> list[str]:
    """Draw and store the campaign's picture in each of its languages; what went wrong, as
    warnings for `urge load` to print (nothing personal, nothing secret)."""
    warnings: list[str] = []
    configured = getattr(settings, "URGE_PREVIEW_FONT", None)
    if configured and (not Path(configured).is_file() or _face(configured, "en") is None):
        warnings.append(f"URGE_PREVIEW_FONT={configured} is no font file this machine reads.")
    texts = list(CampaignText.objects.filter(campaign=campaign))
    host = urlsplit(settings.URGE_SITE_URL).netloc or settings.URGE_SITE_URL
    for text in texts:
        footer = f"{campaign.bill_number} · {text.bill_name}"
        footer = footer if font_for(footer, text.language) else campaign.bill_number
        drawn = draw_preview(text.title, text.language, footer, host)
        with Image.open(io.BytesIO(drawn.png)) as image:
            width, height = image.size
        PreviewImage.objects.update_or_create(
            campaign=campaign,
            language=text.language,
            defaults={
                "digest": drawn.digest,
                "png": drawn.png,
                "width": width,
                "height": height,
                "has_title": drawn.has_title,
            },
        )
        if not drawn.has_title:
            warnings.append(
                f"{campaign.slug}: the {text.language} link-preview image has no title: no font "
                "here draws its characters. Install a CJK font (Debian: fonts-noto-cjk) or "
                "set URGE_PREVIEW_FONT to one, then load the campaign again."
            )
    PreviewImage.objects.filter(campaign=campaign).exclude(
        language__in=[text.language for text in texts]
    ).delete()
    return warnings


@dataclass(frozen=True)
class Preview:
    digest: str
    width: int
    height: int


@per_version
def preview_for(campaign: Campaign, language: str) -> Preview | None:
    """The stored picture's name and size in `language`, or None when none was made."""
    row = (
        PreviewImage.objects.filter(campaign=campaign, language=language)
        .values_list("digest", "width", "height")
        .first()
    )
    return Preview(*row) if row else None
