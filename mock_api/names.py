"""Payee name check, modelled on UK Confirmation of Payee: match, close match, no match, unavailable."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

CLOSE_MATCH_RATIO = 0.75


@dataclass(frozen=True)
class NameCheck:
    result: str  # match, close_match, no_match or unavailable
    actual_name: str | None  # told only on a close match, so the customer can correct a typo


def normalise(name: str) -> str:
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def check_name(given: str, holder: str | None, available: bool, written: Iterable[str] = ()) -> NameCheck:
    """``written``: the holder's name as the bank writes it in each script (劉芳 and 刘芳 for
    "刘芳 Liu Fang"), so a customer who types either script is matched."""
    if not available:
        return NameCheck("unavailable", None)
    if holder is None:
        return NameCheck("no_match", None)
    given_n, holder_n = normalise(given), normalise(holder)
    if not given_n:
        return NameCheck("no_match", None)
    variants = set().union(*(_name_variants(name) for name in (holder, *written)))
    if given_n == holder_n or given_n in variants:
        return NameCheck("match", None)
    if (
        _one_character_off(given_n, variants)
        or SequenceMatcher(None, given_n, holder_n).ratio() >= CLOSE_MATCH_RATIO
        or any(SequenceMatcher(None, given_n, variant).ratio() >= CLOSE_MATCH_RATIO for variant in variants)
    ):
        return NameCheck("close_match", holder)
    return NameCheck("no_match", None)


def _name_variants(holder: str) -> set[str]:
    """'李梅 Li Mei' answers to 李梅, Li Mei and Mei Li."""
    variants = set()
    parts = holder.split()
    latin = [p for p in parts if p.isascii()]
    other = [p for p in parts if not p.isascii()]
    if other:
        variants.add(normalise("".join(other)))
    if latin:
        variants.add(normalise("".join(latin)))
        variants.add(normalise("".join(reversed(latin))))
    return variants


def _one_character_off(given: str, variants: set[str]) -> bool:
    """刘方 for 刘芳 (or 劉方 for 劉芳): same surname, one given-name character off (a pinyin-input slip)."""
    return any(
        len(given) == len(variant) >= 2
        and not variant.isascii()
        and given[0] == variant[0]
        and sum(a != b for a, b in zip(given, variant, strict=True)) == 1
        for variant in variants
    )
