"""Voice benchmark: how long after ``say()`` the kiosk starts talking, with the real engine.

An :class:`client.voice.engine.EngineSpeaker` (pyttsx3 over espeak-ng, its one worker thread)
says a typical screen prompt in each language, with a spoken amount, the languages taking turns so
that every utterance also switches the espeak voice (the worst case: a new customer picks another
language). The machine may have no sound card, so a stand-in player takes aplay's place: it opens
the WAV and exits. The time measured is from the ``say()`` call to ``on_started``, which the
speaker calls once the player process is running, so it covers queueing, synthesis to a WAV and
starting the player; a real aplay adds its device open (a few ms) on top. The report also gives
how long the ``say()`` call itself took, which is what the UI thread pays.

The stall of the Qt event loop while speaking is the UI's side: measure it there, calling
:func:`engine_latency` or reusing :data:`PROMPTS`.

Exit code: 0 when every utterance started and finished (even if a target is missed: the report
says PASS or MISS); 1 when an utterance never started; 2 when the speech engine is not available.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from client.voice.engine import EngineSpeaker
from client.voice.spoken import spoken_amount

TARGET_START_MS = 250.0  # from say() to the first sound
TARGET_SAY_CALL_MS = 5.0  # the say() call itself, on the UI thread
START_TIMEOUT_S = 10.0

# A typical screen: its title and one-line instruction, then an amount the customer asked to hear.
PROMPTS = {
    "zh-Hans": "确认转账。请核对收款人和金额，然后按确认。金额：" + spoken_amount(123_450, "zh-Hans"),
    "zh-Hant": "確認轉賬。請核對收款人和金額，然後按確認。金額：" + spoken_amount(123_450, "zh-Hant"),
    "en": "Confirm the transfer. Check the payee and the amount, then press Confirm. Amount: "
    + spoken_amount(123_450, "en"),
}
# Stands in for "aplay -q FILE": reads the WAV header, as a player would, and exits.
STAND_IN_PLAYER = (sys.executable, "-c", "import sys, wave; wave.open(sys.argv[-1]).close()")


@dataclass
class Latency:
    language: str
    start_ms: list[float] = field(default_factory=list)  # say() -> on_started
    say_call_ms: list[float] = field(default_factory=list)  # the say() call itself


class _Probe:
    """The speaker's callbacks, turned into events the benchmark can wait on."""

    def __init__(self) -> None:
        self.started_at = 0.0
        self.started = threading.Event()
        self.finished = threading.Event()

    def on_started(self, text: str) -> None:
        self.started_at = time.perf_counter()
        self.started.set()

    def on_finished(self, text: str, interrupted: bool) -> None:
        self.finished.set()


def engine_latency(
    runs: int = 10, languages: Sequence[str] = tuple(PROMPTS), player_command: Sequence[str] = STAND_IN_PLAYER
) -> list[Latency]:
    """say() -> playback start for each language, ``runs`` times each, languages taking turns.

    RuntimeError when the engine is not available or an utterance does not start."""
    probe = _Probe()
    results = {language: Latency(language) for language in languages}
    with EngineSpeaker(
        player_command=player_command, on_started=probe.on_started, on_finished=probe.on_finished
    ) as speaker:
        if not speaker.available:
            raise RuntimeError(f"the speech engine is not available: {speaker.reason}")
        for _ in range(runs):
            for language in languages:
                probe.started.clear()
                probe.finished.clear()
                before = time.perf_counter()
                speaker.say(PROMPTS[language], language=language)
                after = time.perf_counter()
                if not probe.started.wait(START_TIMEOUT_S):
                    raise RuntimeError(f"{language}: playback did not start within {START_TIMEOUT_S:g} s")
                results[language].start_ms.append((probe.started_at - before) * 1000)
                results[language].say_call_ms.append((after - before) * 1000)
                if not probe.finished.wait(START_TIMEOUT_S):
                    raise RuntimeError(f"{language}: the stand-in player did not finish")
    return list(results.values())


def mark(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def report(latencies: list[Latency]) -> None:
    runs = len(latencies[0].start_ms) if latencies else 0
    print(f"CalmPay voice benchmark: say() -> playback start, real engine, stand-in player, {runs} runs per language")
    for result in latencies:
        p50, worst = statistics.median(result.start_ms), max(result.start_ms)
        call = max(result.say_call_ms)
        print(
            f"  {result.language:8s} start p50 {p50:6.1f} ms  max {worst:6.1f} ms  target <= {TARGET_START_MS:g} ms "
            f"{mark(worst <= TARGET_START_MS)}   say() call max {call:5.2f} ms  target <= {TARGET_SAY_CALL_MS:g} ms "
            f"{mark(call <= TARGET_SAY_CALL_MS)}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.voice_bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10, help="utterances per language (default 10)")
    args = parser.parse_args(argv)
    try:
        latencies = engine_latency(args.runs)
    except RuntimeError as error:
        print(f"voice benchmark: {error}", file=sys.stderr)
        return 2 if "not available" in str(error) else 1
    report(latencies)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
