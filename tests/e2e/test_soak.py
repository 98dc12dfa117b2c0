"""The soak in CI: customer after customer through the real window, by keyboard, against the real
mock API over HTTP. Each one leaves nothing the next can reach, and nothing the process keeps.
(The thousand-customer run, with the memory curve, is bench/soak_bench.py.)"""

from __future__ import annotations

import threading

import pytest

from tests.e2e.conftest import KioskDriver
from tests.e2e.soak import VISITS, left_behind, serve, settle, take_census, try_to_go_back

CUSTOMERS = 24  # every kind of visit 8 times; the thousand are the bench's
WARM_UP = 2 * len(VISITS)  # every kind of visit twice: caches filled, pool threads started


@pytest.mark.slow
def test_customer_after_customer_leaves_nothing_behind(driver: KioskDriver) -> None:
    counts = []
    for number in range(CUSTOMERS):
        visit = serve(driver, number)
        assert left_behind(driver, visit) == [], f"customer {number} ({visit.kind})"
        assert try_to_go_back(driver) == "welcome", f"customer {number}: Back or a jump reached a screen"
        if number == WARM_UP - 1:
            busy_moment(driver)
        settle(driver)
        counts.append(take_census(driver).counts())
    # A leak grows. Fewer is no leak: a thread or file of an earlier test in the run may end meanwhile.
    settled = counts[WARM_UP - 1]
    grew = [
        (number, {name: count for name, count in census.items() if count > settled[name]})
        for number, census in enumerate(counts[WARM_UP:], WARM_UP)
        if any(count > settled[name] for name, count in census.items())
    ]
    assert grew == [], f"after the warm-up no customer should leave more than {settled}"


def busy_moment(driver: KioskDriver) -> None:
    """Two calls to the bank at once, as when a sign-out meets a draft still being written: the kiosk's
    two worker threads and two connections are then in use, as in any later visit whose calls overlap
    (before, a first overlap after the warm-up counted as a leak: a thread and a socket more, once)."""
    meet = threading.Barrier(2, timeout=5)
    kiosk = driver.window.kiosk

    def together() -> object:
        meet.wait()
        return kiosk.api.health()

    calls = [driver.window.bridge.call(together) for _ in range(2)]
    driver.qtbot.waitUntil(lambda: all(call.done for call in calls), timeout=8000)


def test_the_kiosk_caps_qts_pixmap_cache(driver: KioskDriver) -> None:
    # The soak bench's memory curve: with Qt's default 10 MB cap, about 10 MB more over the first
    # few hundred customers (styled backgrounds of screens already left); with this cap, about 1.5.
    from PySide6.QtGui import QPixmapCache

    from ui.main_window import PIXMAP_CACHE_KIB

    assert QPixmapCache.cacheLimit() == PIXMAP_CACHE_KIB < 10 * 1024
