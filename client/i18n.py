"""The one translation mechanism, shared by client/ and ui/.

Catalogs are flat JSON files in assets/i18n/ (one per language) that a translator can edit
without touching code: ``"pin.attempts_left": "{count} tries left"``. Every language has
every key (a test checks), so a missing key is a bug: it is logged and English is shown.
"""

from __future__ import annotations

import json
import logging
import string
from datetime import datetime, timedelta, timezone
from functools import cache
from pathlib import Path

log = logging.getLogger("calmpay.i18n")

ASSETS = Path(__file__).resolve().parent.parent / "assets"
CATALOG_DIR = ASSETS / "i18n"
# Order on the welcome screen. Names are written in their own language.
LANGUAGES: dict[str, str] = {"zh-Hans": "简体中文", "zh-Hant": "繁體中文", "en": "English"}
DEFAULT_LANGUAGE = "zh-Hans"
FALLBACK_LANGUAGE = "en"
# The branch's local time (China Standard Time), for dates shown to customers.
LOCAL_TIME = timezone(timedelta(hours=8))


@cache
def catalog(language: str) -> dict[str, str]:
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    return dict(json.loads((CATALOG_DIR / f"{language}.json").read_text("utf-8")))


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


class Translator:
    """``t = Translator("en"); t("home.title")``; parameters fill ``{placeholders}``."""

    def __init__(self, language: str = DEFAULT_LANGUAGE) -> None:
        self.language = language
        self._catalog = catalog(language)

    def __call__(self, key: str, **params: object) -> str:
        if params.get("count") == 1 and f"{key}.one" in self._catalog:
            key = f"{key}.one"  # "1 digit entered", "once more": not "1 digits", "1 more times"
        text = self._catalog.get(key)
        if text is None:
            log.error("no %s text for %r", self.language, key)
            text = catalog(FALLBACK_LANGUAGE).get(key, key)
        return text.format(**params) if params else text

    def has(self, key: str) -> bool:
        return key in self._catalog

    @property
    def is_chinese(self) -> bool:
        return self.language.startswith("zh")

    def date(self, moment: datetime) -> str:
        local = moment.astimezone(LOCAL_TIME)
        if self.is_chinese:
            return f"{local.year}年{local.month}月{local.day}日"
        return f"{local.day} {local:%b} {local.year}"

    def date_time(self, moment: datetime) -> str:
        local = moment.astimezone(LOCAL_TIME)
        return f"{self.date(moment)} {local:%H:%M}"

    def time(self, moment: datetime) -> str:
        return f"{moment.astimezone(LOCAL_TIME):%H:%M}"
