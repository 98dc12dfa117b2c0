"""The security-prompt catalog at run time: read it, and fill a prompt for a screen.

The catalog (``assets/security/catalog.json``) holds one entry per risk reason, purpose stop,
name-check outcome and security event, in every kiosk language. Screens ask
:meth:`SecurityCatalog.prompt` for a :class:`Prompt` and show it: the headline as the title, the
safe action first and focused, the risky one (if any) behind a second, deliberate step.

The house-style checker is :mod:`client.security.lint`; the kiosk never loads it.
"""

from __future__ import annotations

import functools
import json
import string
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ASSETS = Path(__file__).resolve().parents[2] / "assets"
CATALOG_PATH = ASSETS / "security" / "catalog.json"
CATALOG_VERSION = 1

KINDS = ("risk", "stop", "event", "name_check")
FIELDS = (
    "headline",
    "what_happened",
    "why_we_ask",
    "what_you_can_do",
    "why_seeing",
    "speech",
    "safe_action",
    "proceed_action",
)


@dataclass(frozen=True)
class Prompt:
    """One security prompt in one language, placeholders filled, ready for a screen."""

    code: str
    kind: str
    headline: str
    what_happened: str
    why_we_ask: str
    what_you_can_do: str
    why_seeing: str
    speech: str
    safe_action: str
    proceed_action: str | None


@dataclass(frozen=True)
class Question:
    """A question of the safety check in one language: the reason first, then the question and
    its answers (answer id -> button label, in the order shown)."""

    code: str
    because: str
    question: str
    answers: dict[str, str]


QUESTION_FIELDS = ("because", "question", "answers")


class SecurityCatalog:
    """The parsed catalog file. It may be malformed: :func:`client.security.lint.lint` says how."""

    def __init__(self, data: Mapping[str, Any], path: Path | None = None) -> None:
        self.data = data
        self.path = path

    @property
    def codes(self) -> tuple[str, ...]:
        entries = self.data.get("entries")
        return tuple(entries) if isinstance(entries, Mapping) else ()

    @property
    def languages(self) -> tuple[str, ...]:
        languages = self.data.get("languages")
        if not isinstance(languages, list):
            return ()
        return tuple(language for language in languages if isinstance(language, str))

    def question(self, code: str, language: str) -> Question:
        """The question ``code`` ("purpose", or a follow-up the bank asks) in ``language``; an
        unknown code or language raises KeyError."""
        questions = self.data.get("questions")
        if not isinstance(questions, Mapping) or code not in questions:
            raise KeyError(f"no question {code!r}")
        if language not in self.languages or language not in questions[code]:
            raise KeyError(f"no {language!r} text for question {code!r}")
        texts = questions[code][language]
        return Question(code, str(texts["because"]), str(texts["question"]), dict(texts["answers"]))

    def prompt(self, code: str, language: str, **params: object) -> Prompt:
        """The prompt for ``code`` in ``language``; ``params`` fill ``{name}`` and ``{minutes}``.

        An unknown code or language raises KeyError, and so does a placeholder left unfilled.
        """
        entries = self.data.get("entries")
        if not isinstance(entries, Mapping) or code not in entries:
            raise KeyError(f"no security prompt for {code!r}")
        entry = entries[code]
        if language not in self.languages or language not in entry:
            raise KeyError(f"no {language!r} text for security prompt {code!r}")
        texts = entry[language]
        filled: dict[str, Any] = {}
        for field in FIELDS:
            value = texts[field]
            if value is None:
                if field != "proceed_action":
                    raise KeyError(f"security prompt {code!r} has no {language} {field}")
                filled[field] = None
                continue
            missing = placeholders(value) - params.keys()
            if missing:
                raise KeyError(f"security prompt {code!r} needs {', '.join(sorted(missing))}")
            filled[field] = value.format_map(params)
        return Prompt(code=code, kind=str(entry["kind"]), **filled)


def load_catalog(path: Path | None = None) -> SecurityCatalog:
    """The catalog at ``path`` (by default the one under assets/), read once per path per process:
    every screen shares it, so nobody changes its data. A file that is not a JSON object raises
    ValueError; a malformed catalog loads, and :func:`client.security.lint.lint` reports what is
    wrong. A failed read is not remembered: the next call tries again."""
    return _read_catalog(Path(path or CATALOG_PATH))


@functools.cache
def _read_catalog(path: Path) -> SecurityCatalog:
    data = json.loads(path.read_text("utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a security catalog is a JSON object")
    return SecurityCatalog(data, path)


def placeholders(text: str) -> set[str]:
    """The ``{names}`` in a text (raises ValueError on a stray brace)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
