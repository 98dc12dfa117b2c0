"""Screen changes as the customer meets them, in elder mode: from a key press to the next screen
painted, over walks of the main screens; and the longest stall of the GUI thread while the bank
takes 3 s to answer (the mock API's fault injection adds the latency).

The same kiosk as the soak (bench.soak_bench.bench_kiosk): the real window, offscreen, the bank in
its own process. A 5 ms heartbeat on the GUI thread measures the stall: a late beat is a stall.

Targets: p95 <= 50 ms from key to paint; the GUI thread never stalls more than 50 ms while a
request is slow.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent, QObject

    from tests.e2e.conftest import KioskDriver

LATENCY_TARGET_MS = 50
STALL_TARGET_MS = 50
SLOW_BANK_MS = 3000
TICK_MS = 5


def _paint_watch() -> tuple[QObject, list[float], list[object]]:
    """An application event filter noting when a widget of the watched screen is painted."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QWidget

    painted: list[float] = []
    watched_view: list[object] = [None]

    class PaintWatch(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            try:
                view = watched_view[0]
                if (
                    event.type() == QEvent.Type.Paint
                    and isinstance(view, QWidget)
                    and isinstance(watched, QWidget)
                    and (watched is view or view.isAncestorOf(watched))
                ):
                    painted.append(time.perf_counter())
            except Exception:  # nothing may escape into Qt's event delivery
                pass
            return False

    return PaintWatch(), painted, watched_view


def walk(driver: KioskDriver, press: Callable[[str, str, Step], None]) -> None:
    """The main screens in turn; ``press(name, target, key)`` times one key press to ``target``."""
    from PySide6.QtCore import Qt

    from tests.demo import WANG_FANG

    def enter_on(object_name: str) -> Step:
        return _prepared(lambda: driver.tab_to(object_name), driver.enter)

    def escape() -> Step:
        return _prepared(lambda: None, lambda: driver.key(Qt.Key.Key_Escape))

    driver.wait_for("welcome")
    press("welcome → card", "card", enter_on("welcomeStart"))
    press("card → PIN", "pin", enter_on(f"demoCard_{WANG_FANG.number[-4:]}"))
    press("PIN → home (signs in)", "home", _prepared(lambda: driver.type(WANG_FANG.pin), driver.enter))
    press("home → balance", "balance", enter_on("tile_balance"))
    press("balance → home", "home", escape())
    press("home → send money", "send_payee", enter_on("tile_send_payee"))
    press("send money → amount", "amount", enter_on("payee_payee_wf_limei"))
    press("amount → review", "review", _prepared(lambda: driver.type("1"), driver.enter))
    press("review → amount", "amount", escape())
    press("amount → send money", "send_payee", escape())
    press("send money → home", "home", escape())
    press("home → bill company", "bill_biller", enter_on("tile_bill_biller"))
    press("bill company → bill number", "bill_number", enter_on("biller_water"))
    press("bill number → bill company", "bill_biller", escape())
    press("bill company → home", "home", escape())
    press("home → history", "history", enter_on("tile_history"))
    press("history → home", "home", escape())
    press("home → goodbye (signs out)", "goodbye", enter_on("homeSignOut"))
    press("goodbye → welcome", "welcome", enter_on("goodbyeStart"))


Step = tuple[Callable[[], None], Callable[[], None]]  # (what comes before, untimed; the timed key press)


def _prepared(prepare: Callable[[], None], key: Callable[[], None]) -> Step:
    return prepare, key


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ui_latency_bench", description=__doc__.split("\n")[0])
    parser.add_argument("--walks", type=int, default=15)
    args = parser.parse_args(argv)
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from bench.soak_bench import bench_kiosk
    from tests.e2e.soak import settle

    latencies: dict[str, list[float]] = {}
    with bench_kiosk() as driver:
        window = driver.window
        watch, painted, watched_view = _paint_watch()
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(watch)

        def press(name: str, target: str, step: Step) -> None:
            prepare, key = step
            prepare()
            driver.qtbot.waitUntil(lambda: not window.bridge.busy, timeout=8000)
            painted.clear()
            watched_view[0] = window._scrolls[target]
            started = time.perf_counter()
            key()
            driver.qtbot.waitUntil(lambda: window.current_id == target and bool(painted), timeout=8000)
            latencies.setdefault(name, []).append((painted[0] - started) * 1000)
            watched_view[0] = None

        try:
            for _walk in range(args.walks):
                driver.api.advance_clock(24 * 3600)  # the mock clock: a new day, no limits build up
                walk(driver, press)
                settle(driver)
            stall = _stall_while_the_bank_is_slow(driver, QElapsedTimer, QTimer)
        finally:
            app.removeEventFilter(watch)
            driver.api.set_faults()
    _report(latencies, stall, args.walks)
    return 0


def _stall_while_the_bank_is_slow(driver: KioskDriver, elapsed_timer: type, timer_class: type) -> float:
    """Sign in, then ask for the balance and the history while every answer takes 3 s; the longest
    gap between two heartbeats of the GUI thread meanwhile, in ms."""
    from PySide6.QtCore import Qt

    from tests.demo import WANG_FANG

    window = driver.window
    driver.sign_in(WANG_FANG.number, WANG_FANG.pin)
    beat = elapsed_timer()
    gaps: list[int] = []
    timer = timer_class()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(lambda: gaps.append(beat.restart()))
    driver.api.set_faults(latency_ms=SLOW_BANK_MS)
    try:
        for tile, screen in (("tile_balance", "balance"), ("tile_history", "history")):
            driver.tab_to(tile)
            beat.start()
            timer.start()
            driver.enter()  # the request goes out; the GUI thread goes on beating
            driver.wait_for(screen, timeout=SLOW_BANK_MS * 3)
            timer.stop()
            driver.key(Qt.Key.Key_Escape)
            driver.wait_for("home", timeout=SLOW_BANK_MS * 3)
    finally:
        driver.api.set_faults()
    window.end_visit("signed_out")
    return float(max(gaps, default=0) - TICK_MS) if gaps else float("nan")


def _report(latencies: dict[str, list[float]], stall: float, walks: int) -> None:
    everything = sorted(ms for values in latencies.values() for ms in values)
    p50 = statistics.median(everything)
    p95 = everything[min(int(len(everything) * 0.95), len(everything) - 1)]
    print(f"key press to the next screen painted (elder mode, {walks} walks, {len(everything)} presses):")
    for name, values in latencies.items():
        print(f"  {name:<30} p50 {statistics.median(values):6.1f} ms   max {max(values):6.1f} ms")
    print(
        f"  all: p50 {p50:.1f} ms, p95 {p95:.1f} ms (target p95 <= {LATENCY_TARGET_MS} ms: "
        f"{'PASS' if p95 <= LATENCY_TARGET_MS else 'MISS'})"
    )
    print(
        f"  longest GUI-thread stall while the bank takes {SLOW_BANK_MS / 1000:.0f} s to answer: {stall:.0f} ms "
        f"(target <= {STALL_TARGET_MS} ms: {'PASS' if stall <= STALL_TARGET_MS else 'MISS'})"
    )


if __name__ == "__main__":
    sys.exit(main())
