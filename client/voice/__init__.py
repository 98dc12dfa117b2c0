"""Voice prompts: the speaker interface and a null speaker (voice off).

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
- volume and rate are per customer: ``reset`` restores the defaults for the next one, and
  silences everything of the last one still queued or playing (safety warnings too);
- a long text is spoken sentence by sentence (:mod:`client.voice.sentences`), so it starts at
  once; an interrupted utterance loses its remaining sentences with it;
- empty text is ignored (it breaks espeak).
"""

from __future__ import annotations

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
