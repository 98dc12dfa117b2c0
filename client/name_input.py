"""Typing a name on the kiosk's own keyboard: letters as they are, or pinyin with characters to choose.

A kiosk has no input method of its own, and a keypad customer has no keyboard at all, so the
name keyboard (ui.name_keyboard) turns pinyin into characters itself. The readings come from
pypinyin's character table (every character's pinyin, all its readings); the characters offered
are the common ones of GB 2312 (levels 1 and 2), names' characters first. Traditional candidates
are the same characters in Hong Kong script (OpenCC's s2hk table), read by pypinyin as written.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

Script = Literal["hans", "hant"]
Mode = Literal["pinyin", "letters"]

CANDIDATES_PER_PAGE = 6  # chosen by the number keys 1-6; six large characters fit a 1024-px row
LETTERS = "abcdefghijklmnopqrstuvwxyz"

# Characters of names, the most common first: surnames, then characters of given names. They come
# first among the candidates of their pinyin (李 before 里 and 理 for "li"). Mainland names:
COMMON_NAME_CHARACTERS_HANS = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩邓冯曹彭曾肖田董潘袁蔡蒋余于杜叶程"
    "魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾"
    "龚邵万覃武钱戴严欧莫孔向常汤康易乔赖文"
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华玉兰桂萍红鹏飞梅琳雪婷慧建国志海波辉斌宇浩"
    "凯欣晨阳佳怡子涵梓轩思雨嘉晓燕春玲丹云"
)
# Hong Kong names, written as Hong Kong writes them:
COMMON_NAME_CHARACTERS_HANT = (
    "陳李黃張梁林劉吳蔡鄭王楊何鄧謝曾郭羅周朱馮葉潘胡譚袁盧蘇許麥余關馬杜鍾彭徐鄺高姚莫方孫趙"
    "董程岑黎崔"
    "美玲家明嘉偉詠欣慧敏儀珊文志華國德俊輝強健麗芳婷雯淑秀英玉蘭鳳娟詩穎琪思子浩宇軒達雄"
)

# Surnames read otherwise than their usual reading (曾 is ceng in 曾经, zeng as a name): as names,
# these readings come first.
SURNAME_READINGS = {
    "曾": "zeng", "覃": "qin", "区": "ou", "區": "ou", "单": "shan", "單": "shan", "仇": "qiu",
    "解": "xie", "查": "zha", "朴": "piao", "盖": "ge", "蓋": "ge", "乐": "yue", "樂": "yue",
}  # fmt: skip


def _common_characters() -> list[str]:
    """GB 2312's characters: level 1 (the 3,755 most used) then level 2, in the standard's order."""
    characters = []
    for row in range(0xB0, 0xF8):
        for cell in range(0xA1, 0xFF):
            if row == 0xD7 and cell > 0xF9:  # the end of level 1 is five cells short of the row
                continue
            characters.append(bytes((row, cell)).decode("gb2312"))
    return characters


def plain_pinyin(reading: str) -> str:
    """'lǚ' -> 'lv', 'lǐ' -> 'li': as typed on a keyboard, ü as v and without tones."""
    decomposed = unicodedata.normalize("NFD", reading).replace("u\u0308", "v")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def readings(character: str) -> tuple[str, ...]:
    """Every reading of ``character`` in plain pinyin (曾: zeng, ceng), none for a non-character."""
    from pypinyin.pinyin_dict import pinyin_dict

    found = pinyin_dict.get(ord(character), "")
    return tuple(dict.fromkeys(plain_pinyin(reading) for reading in found.split(",") if reading))


@cache
def _to_hong_kong() -> object:
    import opencc

    return opencc.OpenCC("s2hk")


def _pool(script: Script) -> list[str]:
    """The characters offered, in rank order: names' characters first, then the common ones."""
    if script == "hans":
        return list(dict.fromkeys([*COMMON_NAME_CHARACTERS_HANS, *_common_characters()]))
    converter = _to_hong_kong()
    common = "".join(_common_characters())
    converted = converter.convert(common)  # type: ignore[attr-defined]
    return list(dict.fromkeys([*COMMON_NAME_CHARACTERS_HANT, *converted]))


@cache
def _index(script: Script) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Plain pinyin -> the characters whose usual (first) reading it is, and those with it as a
    rarer reading (吳 is read yu too, 曾 is zeng as a surname), each in rank order."""
    usual: dict[str, list[str]] = {}
    rarer: dict[str, list[str]] = {}
    for character in _pool(script):
        for position, reading in enumerate(readings(character)):
            as_name = SURNAME_READINGS.get(character) == reading
            (usual if position == 0 or as_name else rarer).setdefault(reading, []).append(character)
    return {
        reading: (tuple(usual.get(reading, ())), tuple(rarer.get(reading, ())))
        for reading in usual.keys() | rarer.keys()
    }


def candidates(typed: str, script: Script) -> tuple[str, ...]:
    """The characters for what was typed, in the order a customer looks for them: those usually
    read so (li: 李 黎 丽 …), those also read so, then those whose usual reading starts with it
    (li: 刘 林 梁 …); names' characters first in each group."""
    typed = typed.lower()
    if not typed:
        return ()
    index = _index(script)
    usual, rarer = index.get(typed, ((), ()))
    rank = _rank(script)
    longer = sorted(
        {
            character
            for reading, (characters, _) in index.items()
            if reading != typed and reading.startswith(typed)
            for character in characters
        },
        key=rank.__getitem__,
    )
    return tuple(dict.fromkeys([*usual, *rarer, *longer]))


@cache
def _rank(script: Script) -> dict[str, int]:
    return {character: position for position, character in enumerate(_pool(script))}


def script_for(language: str) -> Script | None:
    """The script a customer's language writes names in; None: letters only (English)."""
    return {"zh-Hans": "hans", "zh-Hant": "hant"}.get(language)  # type: ignore[return-value]


@dataclass
class NameComposer:
    """What the name keyboard has typed but not yet put in the name: the pinyin and its page of
    characters. Letters mode puts letters straight into the name."""

    script: Script | None
    mode: Mode = "letters"
    typed: str = ""
    page: int = 0
    _found: tuple[str, ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        if self.script is not None:
            self.mode = "pinyin"

    @property
    def composing(self) -> bool:
        return bool(self.typed)

    def switch_mode(self) -> Mode:
        """Pinyin <-> letters (only where the customer's language writes characters)."""
        self.clear()
        if self.script is not None:
            self.mode = "letters" if self.mode == "pinyin" else "pinyin"
        return self.mode

    def letter(self, letter: str) -> str:
        """A letter pressed: returns the text to put into the name now ("" while composing)."""
        if self.mode == "letters" or self.script is None:
            return letter
        self.typed += letter.lower()
        self._refresh()
        return ""

    def delete(self) -> bool:
        """Delete pressed: True if it took a letter of the pinyin (else the name loses its last character)."""
        if not self.typed:
            return False
        self.typed = self.typed[:-1]
        self._refresh()
        return True

    def _refresh(self) -> None:
        self.page = 0
        self._found = candidates(self.typed, self.script) if self.script is not None else ()

    @property
    def found(self) -> tuple[str, ...]:
        return self._found

    def shown(self) -> tuple[str, ...]:
        """The page of characters on screen, numbered 1 to CANDIDATES_PER_PAGE."""
        start = self.page * CANDIDATES_PER_PAGE
        return self._found[start : start + CANDIDATES_PER_PAGE]

    @property
    def has_more(self) -> bool:
        return (self.page + 1) * CANDIDATES_PER_PAGE < len(self._found)

    @property
    def has_earlier(self) -> bool:
        return self.page > 0

    def more(self) -> None:
        if self.has_more:
            self.page += 1

    def earlier(self) -> None:
        if self.has_earlier:
            self.page -= 1

    def choose(self, number: int) -> str:
        """The character numbered ``number`` (1-based) on the page, to put into the name; the
        pinyin is done. "" if there is no such number."""
        shown = self.shown()
        if not 1 <= number <= len(shown):
            return ""
        character = shown[number - 1]
        self.clear()
        return character

    def commit_letters(self) -> str:
        """The pinyin as letters, for a name written in letters after all (Enter while composing)."""
        letters = self.typed
        self.clear()
        return letters

    def clear(self) -> None:
        self.typed = ""
        self.page = 0
        self._found = ()
