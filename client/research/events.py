"""The research event log: JSON lines, schema version 1 (docs/research.md, "The event log").

Every event says what kind of thing happened, on which screen and to which control, never what was
typed: a key is a named key or ``character``, speech is its length, an error is its code. The
allowed ``detail`` fields are fixed per type, so a value cannot slip in by a new field.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

SCHEMA_VERSION = 1

# type -> the detail fields it may carry
DETAILS: dict[str, frozenset[str]] = {
    "session_start": frozenset({"study", "language", "elder_mode", "voice", "home_policy"}),
    "session_end": frozenset(),
    "consent": frozenset({"given"}),
    "task_start": frozenset({"time_limit_seconds"}),
    "task_end": frozenset({"outcome", "assisted", "detected_by"}),
    "screen_enter": frozenset(),
    "screen_exit": frozenset(),
    "key": frozenset({"key"}),
    "tap": frozenset(),
    "focus": frozenset(),
    "back": frozenset(),
    "help": frozenset(),
    "call_staff": frozenset({"reason", "by"}),
    "validation_error": frozenset({"code"}),
    "security_prompt_shown": frozenset({"prompt"}),
    "security_prompt_answered": frozenset({"prompt", "answer"}),
    "speech_played": frozenset({"chars"}),
    "speech_repeated": frozenset(),
    "speech_interrupted": frozenset(),
    "timeout_warning": frozenset(),
    "timeout_extended": frozenset(),
    "timed_out": frozenset(),
    "pause": frozenset(),
    "resume": frozenset(),
    "marker": frozenset({"label"}),
    "note": frozenset({"text"}),
    "questionnaire_shown": frozenset({"questionnaire"}),
    "questionnaire_answered": frozenset({"questionnaire", "item", "value"}),
}
EVENT_TYPES = frozenset(DETAILS)
OUTCOMES = ("success", "success_assisted", "fail", "abandoned", "timed_out")
# Named keys are logged by name; any key that types something is only a "character".
NAMED_KEYS = frozenset(
    {"Return", "Enter", "Escape", "Tab", "Backtab", "Backspace", "Delete", "Space", "Up", "Down", "Left", "Right"}
    | {"Home", "End", "PageUp", "PageDown", "Insert"}
    | {f"F{n}" for n in range(1, 13)}
)
CHARACTER = "character"
# Controls named after what they show (a payee's id, a card's or an account's last four digits, a history
# line's number): logged by their kind only.
_NAMED_AFTER_DATA = re.compile(r"^(payee|balanceBlock|historyRow|demoCard|cancelHeld)_.+$")


def key_name(name: str) -> str:
    """The name to log for a key: named keys as they are, anything that types as ``character``."""
    return name if name in NAMED_KEYS else CHARACTER


def control_name(object_name: str | None) -> str | None:
    """A control's object name as the log keeps it: never a part that names data."""
    if not object_name:
        return None
    matched = _NAMED_AFTER_DATA.match(object_name)
    return f"{matched.group(1)}_item" if matched else object_name


def utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class EventLog:
    """Appends a session's events to its ``events.jsonl`` as they happen (one line, flushed, each).

    ``monotonic`` (seconds) measures ``ms``; ``utc_now`` dates the events. Both are injectable so a
    test's session has times of its own, not the machine's."""

    def __init__(
        self,
        path: Path,
        *,
        session: str,
        participant: str,
        condition: str,
        monotonic: Callable[[], float] = time.monotonic,
        utc_now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.path = path
        self.session, self.participant, self.condition = session, participant, condition
        self.task: str | None = None
        self.screen: str | None = None
        self._monotonic, self._utc_now = monotonic, utc_now
        self._started = monotonic()
        self.events: list[dict[str, Any]] = []
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file: TextIO | None = path.open("a", encoding="utf-8")

    @property
    def elapsed_ms(self) -> int:
        return round((self._monotonic() - self._started) * 1000)

    def record(
        self, type_: str, *, screen: str | None = None, widget: str | None = None, **detail: Any
    ) -> dict[str, Any]:
        if type_ not in DETAILS:
            raise ValueError(f"unknown event type {type_!r}")
        unknown = set(detail) - DETAILS[type_]
        if unknown:
            raise ValueError(f"{type_} events carry no {', '.join(sorted(unknown))}")
        event = {
            "schema_version": SCHEMA_VERSION,
            "at": utc_text(self._utc_now()),
            "ms": self.elapsed_ms,
            "session": self.session,
            "participant": self.participant,
            "condition": self.condition,
            "task": self.task,
            "type": type_,
            "screen": screen if screen is not None else self.screen,
            "widget": control_name(widget),
            "detail": detail,
        }
        self.events.append(event)
        if self._file is not None:
            self._file.write(json.dumps(event, ensure_ascii=False) + "\n")
            self._file.flush()
        return event

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


def read_events(path: Path) -> Iterator[dict[str, Any]]:
    """The events of an ``events.jsonl``, checked against the schema version this code reads. A line
    cut short (the kiosk stopped while writing it) is left out."""
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                event = json.loads(line)
            except json.JSONDecodeError:
                continue
            if event.get("schema_version") != SCHEMA_VERSION:
                raise ValueError(f"{path}:{number}: schema version {event.get('schema_version')}, expected 1")
            yield event
