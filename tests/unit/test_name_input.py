"""The name keyboard's pinyin: which characters come up, in which order and script, and the typing state."""

from __future__ import annotations

import opencc
import pytest

from client.name_input import (
    CANDIDATES_PER_PAGE,
    COMMON_NAME_CHARACTERS_HANS,
    COMMON_NAME_CHARACTERS_HANT,
    NameComposer,
    candidates,
    plain_pinyin,
    readings,
    script_for,
)


def test_pinyin_as_typed_has_no_tones_and_writes_u_umlaut_as_v() -> None:
    assert plain_pinyin("lǐ") == "li"
    assert plain_pinyin("lǚ") == "lv"
    assert plain_pinyin("nǜ") == "nv"
    assert readings("曾") == ("ceng", "zeng")


@pytest.mark.parametrize(
    ("typed", "script", "first"),
    [
        ("li", "hans", "李"),
        ("mei", "hans", "梅"),
        ("zhang", "hans", "张"),
        ("lv", "hans", "吕"),
        ("chen", "hant", "陳"),
        ("liu", "hant", "劉"),
        ("huang", "hant", "黃"),
        ("mei", "hant", "美"),
        ("ling", "hant", "玲"),
        ("zeng", "hans", "曾"),  # read zeng as a surname, though ceng is its usual reading
    ],
)
def test_a_names_character_comes_first(typed: str, script: str, first: str) -> None:
    assert candidates(typed, script)[0] == first  # type: ignore[arg-type]


def test_exact_readings_come_before_longer_ones() -> None:
    found = candidates("li", "hans")
    assert found.index("里") < found.index("刘")  # li before liu
    assert "林" in found and "梁" in found  # lin, liang: typed so far
    assert candidates("l", "hans")[:4] == ("李", "刘", "林", "罗")  # one letter: the common surnames


def test_a_rarer_reading_comes_after_the_usual_ones() -> None:
    found = candidates("yu", "hant")
    assert found.index("余") < found.index("吳")  # 吳 is wu; yu only in old texts


def test_traditional_candidates_are_in_hong_kong_script_only() -> None:
    to_simplified = opencc.OpenCC("hk2s")
    for typed in ("chen", "liu", "zhang", "huang", "wei", "guo"):
        found = candidates(typed, "hant")
        assert found, typed
        simplified_only = [c for c in found if to_simplified.convert(c) == c and opencc.OpenCC("s2hk").convert(c) != c]
        assert not simplified_only, (typed, simplified_only[:5])
    assert "陈" not in candidates("chen", "hant") and "刘" not in candidates("liu", "hant")


def test_nothing_for_what_is_not_pinyin() -> None:
    assert candidates("xx", "hans") == ()
    assert candidates("", "hans") == ()


def test_the_name_lists_have_no_repeats_and_are_in_their_script() -> None:
    assert len(set(COMMON_NAME_CHARACTERS_HANS)) == len(COMMON_NAME_CHARACTERS_HANS)
    assert len(set(COMMON_NAME_CHARACTERS_HANT)) == len(COMMON_NAME_CHARACTERS_HANT)
    assert opencc.OpenCC("hk2s").convert(COMMON_NAME_CHARACTERS_HANS) == COMMON_NAME_CHARACTERS_HANS
    as_converted = opencc.OpenCC("s2hk").convert(COMMON_NAME_CHARACTERS_HANT)
    differ = {
        (ours, converted)
        for ours, converted in zip(COMMON_NAME_CHARACTERS_HANT, as_converted, strict=True)
        if ours != converted
    }
    assert differ == {("余", "餘")}  # the surname stays 余 in Hong Kong; converted text would say 餘
    assert "余" in candidates("yu", "hant")[:3]


def test_languages_and_their_scripts() -> None:
    assert script_for("zh-Hans") == "hans"
    assert script_for("zh-Hant") == "hant"
    assert script_for("en") is None


def test_pinyin_waits_for_its_character_then_gives_it() -> None:
    composer = NameComposer("hans")
    assert composer.mode == "pinyin"
    assert composer.letter("l") == "" and composer.letter("i") == ""
    assert composer.typed == "li" and composer.shown()[0] == "李"
    assert len(composer.shown()) == CANDIDATES_PER_PAGE
    assert composer.choose(1) == "李"
    assert not composer.composing and composer.shown() == ()


def test_pages_of_characters() -> None:
    composer = NameComposer("hans")
    for letter in "li":
        composer.letter(letter)
    first_page = composer.shown()
    assert not composer.has_earlier and composer.has_more
    composer.more()
    assert composer.has_earlier and composer.shown() != first_page
    second_on_page_two = composer.found[CANDIDATES_PER_PAGE + 1]
    assert composer.choose(2) == second_on_page_two


def test_choosing_a_number_not_shown_gives_nothing() -> None:
    composer = NameComposer("hans")
    composer.letter("x")
    composer.letter("x")
    assert composer.choose(1) == ""
    assert composer.typed == "xx"


def test_delete_takes_the_pinyin_first() -> None:
    composer = NameComposer("hant")
    composer.letter("l")
    assert composer.delete() is True
    assert composer.delete() is False  # nothing typed: the name itself loses a character


def test_letters_mode_and_english_type_letters() -> None:
    assert NameComposer(None).letter("A") == "A"
    composer = NameComposer("hans")
    composer.letter("l")
    assert composer.switch_mode() == "letters"
    assert not composer.composing
    assert composer.letter("L") == "L"
    assert composer.switch_mode() == "pinyin"
    assert NameComposer(None).switch_mode() == "letters"  # English has no pinyin to switch to


def test_enter_while_composing_keeps_the_letters() -> None:
    composer = NameComposer("hans")
    for letter in "mei":
        composer.letter(letter)
    assert composer.commit_letters() == "mei"
    assert not composer.composing
