"""Every language has every text, with the same placeholders; money and dates per language."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from client.i18n import FALLBACK_LANGUAGE, LANGUAGES, Translator, catalog, placeholders
from client.money import format_amount


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_catalog_is_complete_and_placeholders_match(language: str) -> None:
    reference = catalog(FALLBACK_LANGUAGE)
    texts = catalog(language)
    assert set(texts) == set(reference), set(texts) ^ set(reference)
    for key, text in texts.items():
        assert text.strip(), f"{language}: {key} is empty"
        assert placeholders(text) == placeholders(reference[key]), f"{language}: {key}"


# Texts that are the same in every language on purpose: the A−/A+ text-size symbols.
LANGUAGE_NEUTRAL = {"text.smaller", "text.larger"}


@pytest.mark.parametrize("language", ["zh-Hans", "zh-Hant"])
def test_chinese_catalogs_are_really_translated(language: str) -> None:
    english = catalog("en")

    def has_words(key: str) -> bool:
        text = english[key].format(**dict.fromkeys(placeholders(english[key]), ""))
        return any(c.isalpha() for c in text)

    same = [k for k, v in catalog(language).items() if v == english[k] and k not in LANGUAGE_NEUTRAL and has_words(k)]
    assert same == []


def test_missing_key_falls_back_to_english_and_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    t = Translator("zh-Hans")
    assert t("no.such.key") == "no.such.key"
    assert "no.such.key" in caplog.text


def test_amounts_and_dates_per_language() -> None:
    moment = datetime(2026, 3, 5, 6, 7, tzinfo=UTC)  # 14:07 in Beijing
    assert Translator("en").date_time(moment) == "5 Mar 2026 2:07\u00a0pm"  # never broken between 2:07 and pm
    assert Translator("zh-Hans").date_time(moment) == "2026年3月5日 14:07"
    assert Translator("zh-Hant").date_time(moment) == "2026年3月5日 下午2:07"  # as Hong Kong writes the time
    assert format_amount(123_450, "en") == "RMB 1,234.50"
    assert format_amount(123_450, "zh-Hans") == "¥1,234.50"
    assert format_amount(123_450, "zh-Hant") == "人民幣 1,234.50"
    assert format_amount(-5, "en") == "-RMB 0.05"


def test_a_count_of_one_reads_in_the_singular() -> None:
    english = Translator("en")
    assert english("pin.digits_entered", count=1) == "1 digit entered"
    assert english("pin.digits_entered", count=2) == "2 digits entered"
    assert english("error.pin_incorrect", count=1) == "That PIN does not match this card number. You can try once more."
    assert Translator("zh-Hans")("pin.digits_entered", count=1) == "已输入 1 位"
