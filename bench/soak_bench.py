"""The soak: a thousand customers in a row through the real window, offscreen, by keyboard.

Each visit is one of tests/e2e/soak.py's (a payment with its receipt saved, a bill, history,
sign-outs and time-outs), against the embedded mock API with its mock clock and the fake speaker.
After each one the bench checks that nothing of that customer is reachable, and counts what the
process holds (widgets, Qt object wrappers, threads, open files and sockets, resident memory).

Targets: resident memory grows by at most 5 MB from customer 50 to the last; after the warm-up,
no customer leaves a widget, wrapper, thread or file behind; nothing of any customer is left.
The memory curve is printed as a table and a sparkline.

Exit code: 0 when the run completed (the report says PASS or MISS); 1 when a visit broke.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from client.api import PaymentApi
    from tests.e2e.conftest import KioskDriver

GROWTH_TARGET_KIB = 5 * 1024
MEMORY_FROM = 50  # the memory curve is judged from this customer on (caches warm)
WARM_UP = 8  # the counts are judged from this customer on
SPARKS = "▁▂▃▄▅▆▇█"


@contextmanager
def bench_kiosk() -> Iterator[KioskDriver]:
    """The real window over a fresh embedded mock API, driven by keyboard outside pytest: the same
    kiosk as tests/e2e/conftest.py's ``driver`` (elder mode, English, the fake speaker)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="calmpay-soak-") as folder:
        # Receipts, settings and the kiosk's key go here, never to the real data dir or keyring.
        os.environ["CALMPAY_DATA_DIR"] = f"{folder}/data"
        os.environ["CALMPAY_CONFIG_DIR"] = f"{folder}/config"
        from PySide6.QtWidgets import QApplication

        from client.api import PaymentApi
        from client.credentials import CredentialStore
        from client.kiosk import Kiosk
        from client.settings import KioskSettings
        from devtools.staging import close_window
        from mock_api.process import ApiProcess
        from tests.e2e.conftest import KioskDriver
        from tests.e2e.soak import EventLoopBot
        from tests.fakes import RecordingSpeaker
        from ui.main_window import MainWindow

        app = QApplication.instance() or QApplication(sys.argv[:1])
        # As in the kiosk (ui.gui_thread_gc): garbage is collected on the GUI thread only, here
        # between customers; a collection started on a worker thread could free Qt objects there.
        gc.disable()
        # The bank in a process of its own (as the kiosk runs it): the memory measured is the kiosk's.
        server = ApiProcess(Path(folder) / "bank.sqlite3")
        server.wait_ready()
        api = PaymentApi(server.url, backoff_seconds=0.01)
        _bank_clock_at_an_ordinary_moment(api)
        kiosk = Kiosk(api, CredentialStore(server.url, use_keyring=False), "soak kiosk")
        kiosk.ensure_registered()
        speaker = RecordingSpeaker()
        settings = KioskSettings(elder_mode_default=True, default_language="en", customer_language=False)
        window = MainWindow(kiosk, settings, speaker=speaker)
        window.show()
        window.activateWindow()
        checker = PaymentApi(server.url)
        checker.use_kiosk(kiosk.credentials.load())  # type: ignore[arg-type]
        driver = KioskDriver(EventLoopBot(), window, checker, speaker)  # type: ignore[arg-type]
        driver.qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=5000)
        try:
            yield driver
        finally:
            close_window(window)
            checker.close()
            api.close()
            server.stop()
            gc.collect()
            gc.enable()
            del app


def _bank_clock_at_an_ordinary_moment(api: PaymentApi) -> None:
    """The bank's mock clock forward to the next 10:00 in Beijing (the tests' ordinary hour), so no
    payment is made at an unusual time, whatever the hour here. Forward only: the seeded history
    stays in the past."""
    from datetime import datetime, timedelta

    from mock_api.config import ORDINARY_MOMENT

    now = datetime.fromisoformat(str(api.request("GET", "/v1/admin/clock")["now"]))
    ordinary = now.replace(hour=ORDINARY_MOMENT.hour, minute=0, second=0, microsecond=0)
    if ordinary <= now:
        ordinary += timedelta(days=1)
    api.advance_clock((ordinary - now).total_seconds())


def sparkline(values: list[float]) -> str:
    low, high = min(values), max(values)
    span = (high - low) or 1
    return "".join(SPARKS[min(int((value - low) / span * len(SPARKS)), len(SPARKS) - 1)] for value in values)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.soak_bench", description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=1000)
    parser.add_argument("--every", type=int, default=50, help="a row of the memory table every N customers")
    args = parser.parse_args(argv)
    logging.getLogger("calmpay").setLevel(logging.ERROR)  # "refusing balance: nobody is signed in" is the test's jump
    from tests.e2e.soak import left_behind, serve, settle, take_census, try_to_go_back

    rss_kib: list[int] = []
    counts: list[dict[str, int]] = []
    leftovers: list[tuple[int, str, list[str]]] = []
    started = time.perf_counter()
    try:
        with bench_kiosk() as driver:
            for number in range(args.customers):
                visit = serve(driver, number)
                found = left_behind(driver, visit)
                if try_to_go_back(driver) != "welcome":
                    found.append("Back or a jump reached a screen")
                if found:
                    leftovers.append((number, visit.kind, found))
                driver.speaker.utterances.clear()  # the fake speaker's record is the bench's, not the kiosk's
                settle(driver)
                # The walk over every Python object takes a while: the wrappers are counted every tenth customer.
                census = take_census(driver, wrappers=number % 10 == 9 or number == WARM_UP - 1)
                rss_kib.append(census.rss_kib)
                counts.append(census.counts())
    except Exception as error:  # a visit broke: say where, and fail the bench
        import traceback

        traceback.print_exc(limit=-4)
        print(f"soak: customer {len(rss_kib)} broke: {type(error).__name__}: {error}")
        return 1
    seconds = time.perf_counter() - started
    _report(args, rss_kib, counts, leftovers, seconds)
    return 0


def _report(
    args: argparse.Namespace,
    rss_kib: list[int],
    counts: list[dict[str, int]],
    leftovers: list[tuple[int, str, list[str]]],
    seconds: float,
) -> None:
    customers = len(rss_kib)
    print(f"soak: {customers} customers in {seconds:.0f} s ({seconds / customers * 1000:.0f} ms each), offscreen")
    print("  customer   resident MiB")
    for number in [*range(0, customers, args.every), customers - 1]:
        print(f"  {number + 1:>8}   {rss_kib[number] / 1024:8.1f}")
    step = max(customers // 60, 1)
    print(f"  memory curve (every {step}): {sparkline([rss_kib[i] for i in range(0, customers, step)])}")
    start = min(MEMORY_FROM, customers - 1)
    growth = rss_kib[-1] - rss_kib[start]
    verdict = "PASS" if growth <= GROWTH_TARGET_KIB else "MISS"
    print(
        f"  resident memory growth from customer {start + 1} to {customers}: {growth / 1024:+.1f} MiB "
        f"(target <= {GROWTH_TARGET_KIB / 1024:.0f} MiB: {verdict})"
    )
    settled = counts[min(WARM_UP - 1, customers - 1)]
    for name in settled:
        values = [census[name] for census in counts[WARM_UP - 1 :] if census[name] >= 0]
        changed = sum(value != settled[name] for value in values)
        print(
            f"  {name:<17} after warm-up {settled[name]:>5}, at the end {values[-1]:>5}, "
            f"{changed} of {len(values)} counts differ ({'PASS' if changed == 0 else 'MISS'})"
        )
    print(
        f"  left behind after sign-out: {len(leftovers)} of {customers} customers "
        f"({'PASS' if not leftovers else 'MISS'})"
    )
    for number, kind, found in leftovers[:5]:
        print(f"    customer {number + 1} ({kind}): {found[:3]}")


if __name__ == "__main__":
    sys.exit(main())
