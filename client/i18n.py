"""The one translation mechanism, shared by client/ and ui/.

Catalogs are flat JSON files in assets/i18n/ (one per language) that a translator can edit
without touching code: ``"pin.attempts_left": "{count} tries left"``. Every language has
every key (a test checks), so a missing key is a bug: it is logged and English is shown.
"""

from __future__ import annotations

import json
import logging
import string
from datetime import date, datetime, timedelta, timezone
from functools import cache
from pathlib import Path

from babel.dates import format_date, format_skeleton, format_time

from client.money import locale_of

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

    @property
    def locale(self) -> str:
        """The Babel (CLDR) locale of this language's customers (Hong Kong for 繁體)."""
        return locale_of(self.language)

    def date(self, moment: datetime | date) -> str:
        """'2026年3月5日' (Chinese), '5 Mar 2026' (English), in the branch's local time."""
        return format_date(_local(moment), "long" if self.is_chinese else "medium", locale=self.locale)

    def date_time(self, moment: datetime) -> str:
        return f"{self.date(moment)} {self.time(moment)}"

    def time(self, moment: datetime) -> str:
        """'14:07' (简体), '下午2:07' (繁體, as Hong Kong writes it), '2:07 pm' (English)."""
        # CLDR puts a narrow no-break space before "pm", which not every kiosk font has: a plain one.
        return format_time(_local(moment), "short", locale=self.locale).replace("\u202f", "\u00a0")

    def month(self, moment: date) -> str:
        """A bill's month: '2026年11月', 'November 2026'."""
        return format_skeleton("yMMMM", moment, locale=self.locale)

    def day(self, moment: date) -> str:
        """A day in the year without the year, as a due date is said: '11月25日', '25 November'."""
        return format_skeleton("MMMMd", moment, locale=self.locale)


def _local(moment: datetime | date) -> datetime | date:
    """A moment as the branch's wall clock shows it (naive, so Babel converts nothing); a day as it is."""
    if isinstance(moment, datetime):
        return moment.astimezone(LOCAL_TIME).replace(tzinfo=None)
    return moment
