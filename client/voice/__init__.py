"""Voice prompts: the speaker interface, a null speaker (voice off) and a recording fake.

The package, lightest first (importing this one costs nothing: it loads neither pyttsx3 nor the
command-line tool):

- ``client.voice``: :class:`Speaker`, :data:`Priority`, :class:`NullSpeaker`, volume and rate;
- :mod:`client.voice.spoken`: amounts and dates the way a person says them;
- :mod:`client.voice.engine`: the real voice (pyttsx3 over espeak-ng, one dedicated worker) and
  :func:`~client.voice.engine.create_speaker`;
- :mod:`client.voice.cli`: ``python -m client.voice --lang zh-Hans --out prompt.wav "请插卡"``.

Rules every speaker keeps (DESIGN.md "Voice"):
- ``say`` never blocks the caller; a new normal utterance replaces what is being said;
- ``stop`` silences normal speech (the customer acted) but never a safety warning, which
  always plays in full;
- volume and rate are per customer: ``reset`` restores the defaults for the next one;
- empty text is ignored (it breaks espeak).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Literal, Protocol

Priority = Literal["normal", "safety"]

DEFAULT_VOLUME = 0.8
DEFAULT_RATE = 150  # words per minute: slower than espeak's 175, for older listeners
MIN_RATE, MAX_RATE = 90, 220


class Speaker(Protocol):
    available: bool

    def say(self, text: str, *, language: str, priority: Priority = "normal") -> None: ...

    def stop(self) -> None: ...

    def pause(self) -> None: ...

    def resume(self) -> None: ...

    def set_volume(self, volume: float) -> None: ...

    def set_rate(self, words_per_minute: int) -> None: ...

    def reset(self) -> None: ...

    def close(self) -> None: ...


class NullSpeaker:
    """Voice off: accepts everything, says nothing."""

    available = False

    def say(self, text: str, *, language: str, priority: Priority = "normal") -> None:
        return None

    def stop(self) -> None:
        return None

    def pause(self) -> None:
        return None

    def resume(self) -> None:
        return None

    def set_volume(self, volume: float) -> None:
        return None

    def set_rate(self, words_per_minute: int) -> None:
        return None

    def reset(self) -> None:
        return None

    def close(self) -> None:
        return None


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
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def say(self, text: str, *, language: str, priority: Priority = "normal") -> None:
        if not text.strip():
            return
        with self._lock:
            current = self._current()
            if current is not None and current.priority == "normal":
                current.interrupted = True  # a new prompt replaces an unfinished one
            self.utterances.append(Utterance(text, language, priority))

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
