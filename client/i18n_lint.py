"""One vocabulary per language, checked (``python -m client.i18n_lint --check``).

The glossary (``assets/i18n/glossary.toml``, explained in docs/glossary.md) names the word for each
thing the kiosk talks about in Mainland Simplified, Hong Kong Traditional and English, and the words
to avoid. :func:`check` reads every text of the translation catalogs and of the security catalog and
reports a word to avoid, a spelling the glossary does not use, two spellings of one thing in one
language, and a character of the wrong script (Simplified in zh-Hant, Traditional in zh-Hans, any
Chinese in English), judged with OpenCC's conversion tables, in context (皇后 is Traditional too,
以后 is not). Only this tool and the tests load this module: the kiosk never does, so OpenCC is a
development dependency.
"""

from __future__ import annotations

import argparse
import json
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import opencc

from client.i18n import CATALOG_DIR, LANGUAGES
from client.security.catalog import CATALOG_PATH

GLOSSARY_PATH = CATALOG_DIR / "glossary.toml"
CHINESE = ("zh-Hans", "zh-Hant")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_MASK = "\x00"  # stands where an accepted word was taken out, so no new word forms across it


@dataclass(frozen=True)
class Text:
    """One text as a customer meets it: where it lives, its language, its words."""

    where: str
    language: str
    text: str


@dataclass(frozen=True)
class Concept:
    id: str
    words: Mapping[str, tuple[str, ...]]  # language -> accepted forms, the word to use first
    avoid: Mapping[str, tuple[str, ...]]  # language -> words that must not stand for it


@dataclass(frozen=True)
class Variants:
    language: str
    forms: tuple[str, ...]
    use: str | None  # None: either form, but only one of them in a language
    why: str = ""


@dataclass(frozen=True)
class Glossary:
    concepts: tuple[Concept, ...]
    variants: tuple[Variants, ...]
    allowed_characters: Mapping[str, str]  # language -> characters the script rule lets through


@dataclass(frozen=True)
class Violation:
    rule: str  # avoid, variant, mixed, script
    language: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where} ({self.language}): [{self.rule}] {self.message}"


# --- the glossary --------------------------------------------------------------------------------


def load_glossary(path: Path = GLOSSARY_PATH) -> Glossary:
    return parse_glossary(tomllib.loads(path.read_text("utf-8")))


def parse_glossary(data: Mapping[str, Any]) -> Glossary:
    """The glossary from its TOML data; ValueError says what is wrong with it."""
    unknown = sorted(set(data) - {"script", "concept", "variants"})
    if unknown:
        raise ValueError(f"unknown section {unknown[0]!r}")
    concepts = tuple(_concept(entry) for entry in data.get("concept", []))
    ids = [concept.id for concept in concepts]
    if len(set(ids)) != len(ids):
        raise ValueError("two concepts have the same id")
    variants = tuple(_variants(entry) for entry in data.get("variants", []))
    allowed = data.get("script", {}).get("allow", {})
    if not isinstance(allowed, Mapping) or set(allowed) - set(LANGUAGES):
        raise ValueError("script.allow maps a kiosk language to characters")
    return Glossary(concepts, variants, {language: str(chars) for language, chars in allowed.items()})


def _forms(value: Any, what: str) -> tuple[str, ...]:
    forms = (value,) if isinstance(value, str) else tuple(value) if isinstance(value, list) else ()
    if not forms or not all(isinstance(form, str) and form.strip() for form in forms):
        raise ValueError(f"{what}: a word or a list of words")
    return forms


def _concept(entry: Mapping[str, Any]) -> Concept:
    concept_id = entry.get("id")
    if not isinstance(concept_id, str) or not concept_id:
        raise ValueError(f"a concept without an id: {dict(entry)}")
    unknown = sorted(set(entry) - {"id", "avoid", *LANGUAGES})
    if unknown:
        raise ValueError(f"{concept_id}: unknown key {unknown[0]!r}")
    words = {language: _forms(entry.get(language), f"{concept_id}/{language}") for language in LANGUAGES}
    avoid_data = entry.get("avoid", {})
    if not isinstance(avoid_data, Mapping) or set(avoid_data) - set(LANGUAGES):
        raise ValueError(f"{concept_id}: avoid maps a kiosk language to words")
    avoid = {language: _forms(value, f"{concept_id}/avoid/{language}") for language, value in avoid_data.items()}
    for language, avoided in avoid.items():
        if set(avoided) & set(words[language]):
            raise ValueError(f"{concept_id}/{language}: a word both used and avoided")
    return Concept(concept_id, words, avoid)


def _variants(entry: Mapping[str, Any]) -> Variants:
    language, use = entry.get("language"), entry.get("use")
    forms = _forms(entry.get("forms"), f"variants {entry}")
    if language not in LANGUAGES or len(forms) < 2:
        raise ValueError(f"variants need a kiosk language and two forms or more: {dict(entry)}")
    if use is not None and use not in forms:
        raise ValueError(f"variants {forms}: use {use!r} is not one of the forms")
    unknown = sorted(set(entry) - {"language", "forms", "use", "why"})
    if unknown:
        raise ValueError(f"variants {forms}: unknown key {unknown[0]!r}")
    return Variants(language, forms, use, str(entry.get("why", "")))


# --- the texts -----------------------------------------------------------------------------------


def i18n_texts(catalogs: Mapping[str, Mapping[str, str]]) -> list[Text]:
    """``{"zh-Hant": {"home.title": "您好，{name}", ...}, ...}``: every text of the screens."""
    return [
        Text(f"i18n:{key}", language, text)
        for language, texts in catalogs.items()
        for key, text in texts.items()
        if isinstance(text, str)
    ]


def security_texts(data: Mapping[str, Any]) -> list[Text]:
    """Every text of the security catalog: the prompts and the safety check's questions."""
    found: list[Text] = []
    for code, entry in data.get("entries", {}).items():
        for language in LANGUAGES:
            found += _texts_of(f"security:{code}", language, entry.get(language) or {})
    for code, entry in data.get("questions", {}).items():
        for language in LANGUAGES:
            texts = dict(entry.get(language) or {})
            answers = texts.pop("answers", None) or {}
            found += _texts_of(f"security:question {code}", language, texts)
            found += _texts_of(f"security:question {code}/answer", language, answers, separator=" ")
    return found


def _texts_of(where: str, language: str, fields: Mapping[str, Any], separator: str = "/") -> list[Text]:
    return [
        Text(f"{where}{separator}{field}", language, text) for field, text in fields.items() if isinstance(text, str)
    ]


def project_texts(i18n_dir: Path = CATALOG_DIR, catalog_path: Path = CATALOG_PATH) -> list[Text]:
    catalogs = {language: json.loads((i18n_dir / f"{language}.json").read_text("utf-8")) for language in LANGUAGES}
    return i18n_texts(catalogs) + security_texts(json.loads(catalog_path.read_text("utf-8")))


# --- the check -----------------------------------------------------------------------------------


def check(texts: Iterable[Text], glossary: Glossary) -> list[Violation]:
    """Every way the texts leave the glossary; empty when they follow it."""
    texts = [Text(text.where, text.language, _PLACEHOLDER.sub(" ", text.text)) for text in texts]
    violations: list[Violation] = []
    for text in texts:
        violations.extend(_avoided(text, glossary))
        violations.extend(_wrong_variants(text, glossary))
        violations.extend(_wrong_script(text, glossary))
    violations.extend(_mixed(texts, glossary))
    return violations


def check_project(
    glossary_path: Path = GLOSSARY_PATH, i18n_dir: Path = CATALOG_DIR, catalog_path: Path = CATALOG_PATH
) -> list[Violation]:
    return check(project_texts(i18n_dir, catalog_path), load_glossary(glossary_path))


@cache
def _pattern(word: str, language: str) -> re.Pattern[str]:
    """A Chinese word anywhere; an English one (a regular expression) as a whole word, any case."""
    if language in CHINESE:
        return re.compile(re.escape(word))
    return re.compile(rf"\b(?:{word})\b", re.IGNORECASE)


def _find(words: Iterable[str], text: str, language: str) -> list[str]:
    return [match.group(0) for word in words for match in _pattern(word, language).finditer(text)]


def _avoided(text: Text, glossary: Glossary) -> Iterator[Violation]:
    for concept in glossary.concepts:
        avoid = concept.avoid.get(text.language, ())
        if not avoid:
            continue
        # The accepted words come out first: 電話費 is no 話費, 客戶號碼 no 戶號.
        accepted = concept.words[text.language]
        plain = text.text
        for word in sorted(accepted, key=len, reverse=True):
            plain = _pattern(re.escape(word) if text.language == "en" else word, text.language).sub(_MASK, plain)
        for found in sorted(set(_find(avoid, plain, text.language))):
            message = f"{found!r} for {concept.id}: write {accepted[0]!r}"
            yield Violation("avoid", text.language, text.where, message)


def _wrong_variants(text: Text, glossary: Glossary) -> Iterator[Violation]:
    for group in glossary.variants:
        if group.language != text.language or group.use is None:
            continue
        others = [form for form in group.forms if form != group.use]
        for found in sorted(set(_find(others, text.text, text.language))):
            why = f" ({group.why})" if group.why else ""
            yield Violation("variant", text.language, text.where, f"{found!r}: write {group.use!r}{why}")


def _mixed(texts: Sequence[Text], glossary: Glossary) -> Iterator[Violation]:
    """Two spellings of one thing in one language's texts, wherever they stand."""
    for group in glossary.variants:
        places: dict[str, list[str]] = {}
        for text in texts:
            if text.language == group.language:
                for form in group.forms:
                    if _pattern(form, text.language).search(text.text):
                        places.setdefault(form, []).append(text.where)
        if len(places) > 1:
            said = "; ".join(
                f"{form!r} in {len(wheres)} text{'s' * (len(wheres) != 1)} (e.g. {wheres[0]})"
                for form, wheres in places.items()
            )
            yield Violation("mixed", group.language, "all texts", f"two spellings of one thing: {said}")


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def wrong_script_characters(text: str, language: str, allowed: str = "") -> list[str]:
    """The characters of ``text`` that belong to the other Chinese script, in order, each once.

    A character is of the other script when OpenCC's conversion changes it both alone (its
    character table) and where it stands (its phrase table): 余 in 余額 is Simplified, 后 in 皇后
    is Traditional too, and 只 in 還是只付 stays 只 whatever a phrase entry says. In zh-Hant the
    conversion to Traditional must change it both to OpenCC's standard forms and to Hong Kong's
    (which keep 台 in 平台); in zh-Hans the conversion to Simplified must change it. English has no
    Chinese at all.
    """
    if language == "en":
        found = _HAN.findall(text)
    elif language == "zh-Hant":
        found = _converted(text, _converter("s2t"), _converter("s2hk"))
    elif language == "zh-Hans":
        found = _converted(text, _converter("t2s"))
    else:
        return []
    return [char for char in dict.fromkeys(found) if char not in allowed]


def _converted(text: str, *converters: opencc.OpenCC) -> list[str]:
    alone = [char for char in text if all(converter.convert(char) != char for converter in converters)]
    in_place = [converter.convert(text) for converter in converters]
    if not alone or not all(len(converted) == len(text) for converted in in_place):
        return alone  # nothing to judge, or a phrase changed length (rare): by the character table
    return [char for index, char in enumerate(text) if all(c[index] != char for c in in_place) and char in alone]


def _wrong_script(text: Text, glossary: Glossary) -> Iterator[Violation]:
    allowed = glossary.allowed_characters.get(text.language, "")
    wrong = wrong_script_characters(text.text, text.language, allowed)
    if wrong:
        kind = {"en": "Chinese", "zh-Hant": "Simplified", "zh-Hans": "Traditional"}[text.language]
        yield Violation("script", text.language, text.where, f"{kind} characters: {''.join(wrong)}")


# --- the glossary as a table, for people ---------------------------------------------------------


def glossary_table(glossary: Glossary) -> str:
    """The concepts as a Markdown table (docs/glossary.md shows it; a test keeps the two equal)."""
    rows = [
        "| Concept | 简体 (Mainland) | 繁體 (Hong Kong) | English | Not these |",
        "|---|---|---|---|---|",
    ]
    for concept in glossary.concepts:
        words = [" / ".join(concept.words[language]) for language in ("zh-Hans", "zh-Hant", "en")]
        avoided = "; ".join(
            f"{language}: {', '.join(_readable(word) for word in concept.avoid[language])}"
            for language in LANGUAGES
            if language in concept.avoid
        )
        rows.append(f"| {concept.id} | {' | '.join(words)} | {avoided.replace('|', '/')} |")
    return "\n".join(rows) + "\n"


def _readable(word: str) -> str:
    """An English pattern as a person reads it: transfer\\w* as transfer…, payees? as payee(s)."""
    return re.sub(r"s\?$", "(s)", word.replace("\\w*", "…"))


# --- the command ---------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m client.i18n_lint", description="Check every text against the glossary."
    )
    parser.add_argument("--check", action="store_true", help="check the texts and the security catalog")
    parser.add_argument("--table", action="store_true", help="print the glossary as a Markdown table")
    parser.add_argument("--glossary", type=Path, default=GLOSSARY_PATH, help="default: %(default)s")
    parser.add_argument("--i18n-dir", type=Path, default=CATALOG_DIR, help="default: %(default)s")
    parser.add_argument("--catalog", type=Path, default=CATALOG_PATH, help="default: %(default)s")
    args = parser.parse_args(argv)
    if not (args.check or args.table):
        parser.print_help()
        return 2
    try:
        glossary = load_glossary(args.glossary)
        texts = project_texts(args.i18n_dir, args.catalog) if args.check else []
    except (OSError, ValueError) as exc:  # tomllib and json errors are ValueErrors
        print(f"vocabulary: cannot read the files: {exc}")
        return 1
    if args.table:
        print(glossary_table(glossary), end="")
    if not args.check:
        return 0
    violations = check(texts, glossary)
    for violation in violations:
        print(violation)
    count = len(violations)
    print(
        f"vocabulary: {len(texts)} texts, {len(glossary.concepts)} concepts, "
        f"{count} violation{'' if count == 1 else 's'}"
    )
    return 1 if violations else 0


if __name__ == "__main__":
    raise SystemExit(main())
