"""The voice as the customer meets it: from a screen appearing to its speech starting, and the
longest stall of the GUI thread while the kiosk speaks.

Runs the real window (offscreen) over an embedded mock API with the real engine (pyttsx3 over
espeak-ng). This machine has no sound card, so the player is a stand-in that takes as long as
the WAV lasts, like a real speaker would; everything before playback is real.

Each screen is measured with the voice silent beforehand: ``reset`` (as for a new customer)
ends whatever the screen's preparation said, safety warnings included, so a measurement never
waits for the last screen's warning to play out. A screen whose speech does not start within
5 s counts as a miss, never as a gap in the table.

Targets: speech starts <= 250 ms after the screen appears, on every screen in every language
(printed per screen); the GUI thread never stalls more than 50 ms while speaking.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from client.voice import DEFAULT_RATE, DEFAULT_VOLUME

START_TARGET_MS = 250
START_WAIT_S = 5.0
SILENCE_WAIT_S = 120.0  # a voice that keeps a warning through reset plays it out first
SCAM_STOP = "security-purpose_safe_account"
LANGUAGE_ORDER = ("zh-Hans", "zh-Hant", "en")
STALL_TARGET_MS = 50
TICK_MS = 5
# Plays a WAV by waiting for its duration: a speaker that takes real time, without a sound card.
STAND_IN_PLAYER = [
    sys.executable,
    "-c",
    "import sys, time, wave; w = wave.open(sys.argv[1]); time.sleep(w.getnframes() / w.getframerate())",
]


def _run_events_until(done: Callable[[], bool], *, seconds: float) -> None:
    """The GUI thread's event loop, until ``done()`` or the time is up."""
    from PySide6.QtCore import QCoreApplication

    deadline = time.perf_counter() + seconds
    while not done() and time.perf_counter() < deadline:
        QCoreApplication.processEvents()


def main(screens: Sequence[str] = ()) -> int:
    """Measure every screen, or only the stages named in ``screens``."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from client.voice.engine import EngineSpeaker
    from devtools.staging import STAGES, settle, staged_kiosk

    app = QApplication.instance() or QApplication(sys.argv[:1])
    started = threading.Event()
    started_at: list[float] = []
    started_texts: dict[str, float] = {}

    def on_started(text: str) -> None:
        started_at.append(time.perf_counter())
        started_texts[text] = started_at[-1]
        started.set()

    speaker = EngineSpeaker(player_command=STAND_IN_PLAYER, on_started=on_started)
    if not speaker.available:
        print(f"voice bench: the speech engine is not available here ({speaker.reason})")
        return 1

    # A 5 ms heartbeat on the GUI thread: a late beat is a stall.
    beat = QElapsedTimer()
    stalls: list[float] = []
    measuring = [False]

    def heartbeat() -> None:
        elapsed = beat.restart()
        if measuring[0]:
            stalls.append(max(elapsed - TICK_MS, 0))

    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(heartbeat)

    # Per screen and language: ms from the screen appearing to its speech starting (None: no speech).
    latencies: dict[str, dict[str, float | None]] = {}
    with staged_kiosk(speaker=speaker) as window:
        beat.start()
        timer.start()
        for language in LANGUAGE_ORDER:
            window.set_language(language)
            for stage in STAGES:
                if stage.name == "idle_warning" or (screens and stage.name not in screens):
                    continue
                stage.prepare(window)
                settle(window)
                speaker.reset()  # silence, as for a new customer: the last screen's warning too
                if not speaker.wait_idle(SILENCE_WAIT_S):
                    print(f"voice bench: the voice did not fall silent before {stage.name} ({language})")
                    return 1
                started.clear()
                started_at.clear()
                shown = time.perf_counter()
                window._show(window.current_id, window.current_params)  # the screen appears
                _run_events_until(started.is_set, seconds=START_WAIT_S)
                # While the speech plays, the GUI thread runs its event loop as usual.
                beat.restart()
                measuring[0] = True
                _run_events_until(lambda: False, seconds=0.6)
                measuring[0] = False
                latency = (started_at[0] - shown) * 1000 if started_at else None
                latencies.setdefault(stage.name, {})[language] = latency
        timer.stop()
        behind_a_warning = {} if screens else _scam_stop_behind_a_warning(window, speaker, started_texts)
    speaker.close()

    _report(latencies, stalls)
    _report_scam_stop_synthesis()
    _report_behind_a_warning(behind_a_warning)
    del app
    return 0


def _scam_stop_behind_a_warning(window: Any, speaker: Any, started_texts: dict[str, float]) -> dict[str, float | None]:
    """Seconds from the scam-stop screen appearing to its speech, when it comes while the last
    screen's warning (the new-payee one) is still being said: safety warnings play in full, so the
    new screen's warning waits for the old one's end. Per language; None if it never started."""
    from devtools.staging import STAGES, settle

    new_payee = next(stage for stage in STAGES if stage.name == "security-new_payee")
    waits: dict[str, float | None] = {}
    for language in LANGUAGE_ORDER:
        window.set_language(language)
        new_payee.prepare(window)
        settle(window)
        speaker.reset()
        speaker.wait_idle(SILENCE_WAIT_S)
        started_texts.clear()
        window._show(window.current_id, window.current_params)  # the new-payee warning begins
        _run_events_until(lambda: bool(started_texts), seconds=START_WAIT_S)
        shown = time.perf_counter()
        window.go("stop", remember=False, code=SCAM_STOP.removeprefix("security-"))
        warning = " ".join(window.current.entry_speech()[0].split())
        _run_events_until(lambda text=warning: text in started_texts, seconds=60)
        waits[language] = started_texts[warning] - shown if warning in started_texts else None
    speaker.reset()
    return waits


def _report_behind_a_warning(waits: dict[str, float | None]) -> None:
    if not waits:
        return
    print("  scam-stop screen shown while the last screen's warning still speaks (it plays in full first):")
    print(
        "    speech starts after "
        + ", ".join(f"{language} {'never' if wait is None else f'{wait:.1f} s'}" for language, wait in waits.items())
    )


def _cell(latency: float | None) -> str:
    if latency is None:
        return "  none"
    return f"{latency:4.0f} ms" + ("" if latency <= START_TARGET_MS else " MISS")


def _report(latencies: dict[str, dict[str, float | None]], stalls: list[float]) -> None:
    worst_stall = max(stalls, default=0.0)
    print("voice in the kiosk (real window, real engine, stand-in player):")
    print("  screen shown -> speech starts, per screen:")
    print(f"    {'screen':<42}" + "".join(f"{language:>12}" for language in LANGUAGE_ORDER))
    for name, by_language in latencies.items():
        print(f"    {name:<42}" + "".join(f"{_cell(by_language.get(language)):>12}" for language in LANGUAGE_ORDER))
    for language in LANGUAGE_ORDER:
        values = [row[language] for row in latencies.values() if language in row]
        heard = [ms for ms in values if ms is not None]
        silent = len(values) - len(heard)
        print(
            f"  {language}: speech starts p50 {statistics.median(heard):.0f} ms, max {max(heard):.0f} ms"
            f" over {len(heard)} screens"
            + (f"; {silent} screens said nothing within {START_WAIT_S:.0f} s" if silent else "")
        )
    scam = latencies.get(SCAM_STOP, {})
    print(
        f"  scam-stop screen ({SCAM_STOP}): "
        + ", ".join(f"{language} {_cell(scam.get(language)).strip()}" for language in LANGUAGE_ORDER)
    )
    everything = [ms for row in latencies.values() for ms in row.values()]
    heard = [ms for ms in everything if ms is not None]
    worst = max(heard)
    met = len(heard) == len(everything) and worst <= START_TARGET_MS
    print(
        f"  screen shown -> speech starts: p50 {statistics.median(heard):.0f} ms, max {worst:.0f} ms over"
        f" {len(everything)} screens (target <= {START_TARGET_MS} ms on every screen: {'PASS' if met else 'MISS'})"
    )
    print(
        f"  longest GUI-thread stall while speaking: {worst_stall:.0f} ms "
        f"(target <= {STALL_TARGET_MS} ms: {'PASS' if worst_stall <= STALL_TARGET_MS else 'MISS'})"
    )


def _report_scam_stop_synthesis(rounds: int = 5) -> None:
    """What sentence by sentence saves on the longest warning: the whole text's synthesis (what
    speech used to wait for) against its first sentence's (what it waits for now)."""
    from client.security.catalog import load_catalog
    from client.voice.engine import synthesise, voice_for
    from client.voice.sentences import split_sentences

    catalog = load_catalog()
    print("  scam-stop warning, synthesis before the first sound (median of 5):")
    with tempfile.TemporaryDirectory(prefix="calmpay-bench-") as scratch:
        wav = Path(scratch) / "speech.wav"
        for language in LANGUAGE_ORDER:
            text = catalog.prompt(SCAM_STOP.removeprefix("security-"), language).speech
            first = split_sentences(text)[0].strip()
            timings = {}
            for label, part in (("whole text", text), ("first sentence", first)):
                runs = []
                for _ in range(rounds):
                    began = time.perf_counter()
                    synthesise(part, voice_for(language), DEFAULT_RATE, DEFAULT_VOLUME, wav)
                    runs.append((time.perf_counter() - began) * 1000)
                timings[label] = statistics.median(runs)
            print(
                f"    {language}: whole text {timings['whole text']:.0f} ms,"
                f" first sentence {timings['first sentence']:.0f} ms"
            )


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
