"""Stand-in audio players (there is no sound card here) and a recorder for the speaker's callbacks.

A player gets the WAV as its last argument, like ``aplay -q FILE``. Each one first checks that it
was given real audio and writes "frames peak" to its report file, so a test knows what would have
been heard. The gated player then waits for the test to let it finish: it blocks reading one byte
from a FIFO, so a test can interrupt it, or release it, without anybody sleeping.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from client.voice.engine import EngineSpeaker

_REPORT = """
import array, sys, wave
with wave.open(sys.argv[-1], "rb") as wav:
    frames = wav.getnframes()
    samples = array.array("h", wav.readframes(frames))
peak = max((abs(s) for s in samples), default=0)
with open(sys.argv[1], "a", encoding="utf-8") as report:
    report.write(f"{frames} {peak}\\n")
"""
INSTANT_PLAYER = _REPORT
GATED_PLAYER = (
    _REPORT
    + """
import os
gate = os.open(sys.argv[2], os.O_RDONLY)
os.read(gate, 1)
with open(sys.argv[1] + ".done", "a", encoding="utf-8") as done:
    done.write("played\\n")
"""
)


@dataclass
class Players:
    tmp: Path
    gate_fd: int = -1

    @property
    def report(self) -> Path:
        return self.tmp / "played.txt"

    def instant(self) -> list[str]:
        return [sys.executable, "-c", INSTANT_PLAYER, str(self.report)]

    def gated(self) -> list[str]:
        gate = self.tmp / "gate"
        if self.gate_fd < 0:
            os.mkfifo(gate)
            # Held open for reading and writing: a player's open() never blocks, and bytes written
            # before a player starts wait in the pipe for it.
            self.gate_fd = os.open(gate, os.O_RDWR)
        return [sys.executable, "-c", GATED_PLAYER, str(self.report), str(gate)]

    def release(self, count: int = 1) -> None:
        """Let ``count`` gated players finish, in the order they reach the gate."""
        os.write(self.gate_fd, b"x" * count)

    def reports(self) -> list[tuple[int, int]]:
        """(frames, peak) of every WAV a player was given, in order."""
        if not self.report.exists():
            return []
        return [(int(f), int(p)) for f, p in (line.split() for line in self.report.read_text().splitlines())]

    def completed(self) -> int:
        """How many gated players were released and finished (not killed)."""
        done = self.tmp / "played.txt.done"
        return len(done.read_text().splitlines()) if done.exists() else 0


@pytest.fixture
def players(tmp_path: Path) -> Iterator[Players]:
    result = Players(tmp_path)
    yield result
    if result.gate_fd >= 0:
        os.close(result.gate_fd)


@dataclass
class Events:
    """What the speaker reported, with the time of each report (perf_counter)."""

    log: list[tuple[str, str, bool | None, float]] = field(default_factory=list)
    _cond: threading.Condition = field(default_factory=threading.Condition)

    def on_started(self, text: str) -> None:
        with self._cond:
            self.log.append(("started", text, None, time.perf_counter()))
            self._cond.notify_all()

    def on_finished(self, text: str, interrupted: bool) -> None:
        with self._cond:
            self.log.append(("finished", text, interrupted, time.perf_counter()))
            self._cond.notify_all()

    def wait(self, kind: str, text: str, timeout: float = 10.0) -> tuple[bool | None, float]:
        """Wait for the report; returns (interrupted, when)."""

        def find() -> tuple[bool | None, float] | None:
            return next(((i, t) for k, x, i, t in self.log if (k, x) == (kind, text)), None)

        with self._cond:
            found = self._cond.wait_for(find, timeout)
        assert found is not None, f"no {kind} for {text!r} within {timeout} s; got {self.log}"
        return found

    def sequence(self) -> list[tuple[str, str, bool | None]]:
        with self._cond:
            return [(k, x, i) for k, x, i, _ in self.log]

    def started(self) -> list[str]:
        return [x for k, x, _ in self.sequence() if k == "started"]


@pytest.fixture
def events() -> Events:
    return Events()


@pytest.fixture
def make_speaker(events: Events) -> Iterator[Callable[..., EngineSpeaker]]:
    """EngineSpeaker(player_command=..., **options) reporting to ``events``; closed after the test."""
    made: list[EngineSpeaker] = []

    def make(player_command: list[str], **options: object) -> EngineSpeaker:
        speaker = EngineSpeaker(
            player_command=player_command, on_started=events.on_started, on_finished=events.on_finished, **options
        )
        assert speaker.available, speaker.reason
        made.append(speaker)
        return speaker

    yield make
    for speaker in made:
        speaker.close()
