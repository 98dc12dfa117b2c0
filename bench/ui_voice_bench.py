"""The voice as the customer meets it: from a screen appearing to its speech starting, and the
longest stall of the GUI thread while the kiosk speaks.

Runs the real window (offscreen) over an embedded mock API with the real engine (pyttsx3 over
espeak-ng). This machine has no sound card, so the player is a stand-in that takes as long as
the WAV lasts, like a real speaker would; everything before playback is real.

Targets: speech starts <= 250 ms after the screen appears; the GUI thread never stalls more
than 50 ms while speaking.
"""

from __future__ import annotations

import os
import statistics
import sys
import threading
import time
from collections.abc import Callable

START_TARGET_MS = 250
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


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from client.voice.engine import EngineSpeaker
    from devtools.staging import STAGES, settle, staged_kiosk

    app = QApplication.instance() or QApplication(sys.argv[:1])
    started = threading.Event()
    started_at: list[float] = []

    def on_started(text: str) -> None:
        started_at.append(time.perf_counter())
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

    latencies: dict[str, list[float]] = {}
    with staged_kiosk(speaker=speaker) as window:
        beat.start()
        timer.start()
        for language in ("zh-Hans", "zh-Hant", "en"):
            window.set_language(language)
            for stage in STAGES:
                if stage.name == "idle_warning":
                    continue
                stage.prepare(window)
                settle(window)
                speaker.stop()
                speaker.wait_idle(30)  # a safety warning from the last screen plays to its end
                started.clear()
                started_at.clear()
                shown = time.perf_counter()
                window._show(window.current_id, window.current_params)  # the screen appears
                _run_events_until(started.is_set, seconds=5)
                # While the speech plays, the GUI thread runs its event loop as usual.
                beat.restart()
                measuring[0] = True
                _run_events_until(lambda: False, seconds=0.6)
                measuring[0] = False
                if started_at:
                    latencies.setdefault(language, []).append((started_at[0] - shown) * 1000)
                    if os.environ.get("BENCH_VERBOSE"):
                        print(f"    {language} {stage.name}: {(started_at[0] - shown) * 1000:.0f} ms")
        timer.stop()
    speaker.close()

    _report(latencies, stalls)
    del app
    return 0


def _report(latencies: dict[str, list[float]], stalls: list[float]) -> None:
    everything = [ms for values in latencies.values() for ms in values]
    worst_stall = max(stalls, default=0.0)
    print("voice in the kiosk (real window, real engine, stand-in player):")
    for language, values in latencies.items():
        print(
            f"  {language}: speech starts p50 {statistics.median(values):.0f} ms, max {max(values):.0f} ms"
            f" over {len(values)} screens"
        )
    p50 = statistics.median(everything)
    worst = max(everything)
    print(
        f"  screen shown -> speech starts: p50 {p50:.0f} ms, max {worst:.0f} ms "
        f"(target <= {START_TARGET_MS} ms: {'PASS' if worst <= START_TARGET_MS else 'MISS'})"
    )
    print(
        f"  longest GUI-thread stall while speaking: {worst_stall:.0f} ms "
        f"(target <= {STALL_TARGET_MS} ms: {'PASS' if worst_stall <= STALL_TARGET_MS else 'MISS'})"
    )


if __name__ == "__main__":
    raise SystemExit(main())
