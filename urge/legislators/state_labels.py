"""State names as a page in the reader's language shows them; messages to offices keep
the English names of urge/legislators/states.py."""

from __future__ import annotations

from django.utils import translation

from urge.legislators.states import STATE_NAMES

# The names Hong Kong and Taiwan readers know (州 for a state, the usual transliterations).
# A table rather than gettext: "Washington" or "Georgia" as a msgid would collide with
# other meanings, and every code needs a name in every language the site speaks.
ZH_HANT_STATE_NAMES: dict[str, str] = {
    "AL": "阿拉巴馬州",
    "AK": "阿拉斯加州",
    "AZ": "亞利桑那州",
    "AR": "阿肯色州",
    "CA": "加利福尼亞州",
    "CO": "科羅拉多州",
    "CT": "康涅狄格州",
    "DE": "特拉華州",
    "FL": "佛羅里達州",
    "GA": "喬治亞州",
    "HI": "夏威夷州",
    "ID": "愛達荷州",
    "IL": "伊利諾州",
    "IN": "印第安納州",
    "IA": "愛荷華州",
    "KS": "堪薩斯州",
    "KY": "肯塔基州",
    "LA": "路易斯安那州",
    "ME": "緬因州",
    "MD": "馬里蘭州",
    "MA": "麻薩諸塞州",
    "MI": "密歇根州",
    "MN": "明尼蘇達州",
    "MS": "密西西比州",
    "MO": "密蘇里州",
    "MT": "蒙大拿州",
    "NE": "內布拉斯加州",
    "NV": "內華達州",
    "NH": "新罕布什爾州",
    "NJ": "新澤西州",
    "NM": "新墨西哥州",
    "NY": "紐約州",
    "NC": "北卡羅來納州",
    "ND": "北達科他州",
    "OH": "俄亥俄州",
    "OK": "俄克拉荷馬州",
    "OR": "俄勒岡州",
    "PA": "賓夕法尼亞州",
    "RI": "羅德島州",
    "SC": "南卡羅來納州",
    "SD": "南達科他州",
    "TN": "田納西州",
    "TX": "德克薩斯州",
    "UT": "猶他州",
    "VT": "佛蒙特州",
    "VA": "維吉尼亞州",
    "WA": "華盛頓州",
    "WV": "西維吉尼亞州",
    "WI": "威斯康辛州",
    "WY": "懷俄明州",
    "DC": "華盛頓哥倫比亞特區",
    "PR": "波多黎各",
    "GU": "關島",
    "VI": "美屬維爾京群島",
    "AS": "美屬薩摩亞",
    "MP": "北馬里亞納群島",
    "AA": "美洲軍郵區",
    "AE": "歐洲軍郵區",
    "AP": "太平洋軍郵區",
    "FM": "密克羅尼西亞聯邦",
    "MH": "馬紹爾群島",
    "PW": "帛琉",
}

LOCAL_STATE_NAMES: dict[str, dict[str, str]] = {"zh-hant": ZH_HANT_STATE_NAMES}


def state_label(code: str, language: str | None = None) -> str:
    """The name of a state (or territory) in `language`, by default the page's; the code
    itself when it names nothing known."""
    names = LOCAL_STATE_NAMES.get(language or translation.get_language() or "", STATE_NAMES)
    return names.get(code) or STATE_NAMES.get(code, code)
