"""A speaker for tests: it records what the kiosk says and plays nothing. (CalmPay's own suite tests
the real one too: tests/voice.)"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from client.voice import DEFAULT_RATE, DEFAULT_VOLUME, MAX_RATE, MIN_RATE, Priority


@dataclass
class Utterance:
    text: str
    language: str
    priority: Priority
    interrupted: bool = False


@dataclass
class RecordingSpeaker:
    """A fake for tests: records every utterance and every control call, plays nothing.

    It models interruption like the real engine: ``stop`` marks the utterance in progress
    (the last one) as interrupted unless it is a safety warning.
    """

    available: bool = True
    utterances: list[Utterance] = field(default_factory=list)
    volume: float = DEFAULT_VOLUME
    rate: int = DEFAULT_RATE
    paused: bool = False
    stops: int = 0
    # Told of each utterance as it is said (the failure trace listens here).
    listener: Callable[[Utterance], None] | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def say(self, text: str, *, language: str, priority: Priority = "normal") -> None:
        if not text.strip():
            return
        with self._lock:
            current = self._current()
            if current is not None and current.priority == "normal":
                current.interrupted = True  # a new prompt replaces an unfinished one
            utterance = Utterance(text, language, priority)
            self.utterances.append(utterance)
        if self.listener is not None:
            self.listener(utterance)

    def _current(self) -> Utterance | None:
        return self.utterances[-1] if self.utterances else None

    def stop(self) -> None:
        with self._lock:
            self.stops += 1
            current = self._current()
            if current is not None and current.priority == "normal":
                current.interrupted = True

    def pause(self) -> None:
        self.paused = True

    def resume(self) -> None:
        self.paused = False

    def set_volume(self, volume: float) -> None:
        self.volume = min(max(volume, 0.0), 1.0)

    def set_rate(self, words_per_minute: int) -> None:
        self.rate = min(max(words_per_minute, MIN_RATE), MAX_RATE)

    def reset(self) -> None:
        """Like the real engine: the next customer hears nothing of the last one, warnings included."""
        with self._lock:
            current = self._current()
            if current is not None:
                current.interrupted = True
        self.volume, self.rate, self.paused = DEFAULT_VOLUME, DEFAULT_RATE, False

    def close(self) -> None:
        return None

    # --- for assertions ---------------------------------------------------------------------

    @property
    def texts(self) -> list[str]:
        return [u.text for u in self.utterances]

    def clear(self) -> None:
        with self._lock:
            self.utterances.clear()
