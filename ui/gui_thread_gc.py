"""Python's cycle collector runs on the GUI thread only.

Automatic collection starts in whichever thread happens to allocate: a bank call on a bridge
worker, the voice worker. A Qt object that Python owns and that sits in a reference cycle (a
screen and its window refer to each other) is then destroyed on that thread, and Qt crashes,
at random. So automatic collection is switched off while the kiosk runs, and a timer on the GUI
thread collects as often as Python itself would (the same thresholds, checked every second).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

CHECK_INTERVAL_MS = 1000


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None, *, interval_ms: int = CHECK_INTERVAL_MS) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self, interval=interval_ms)
        self._timer.timeout.connect(self.collect_if_due)
        self._timer.start()

    def collect_if_due(self) -> int:
        """Collect the generations Python would have collected by now; returns how many objects went."""
        counts, thresholds = gc.get_count(), gc.get_threshold()
        generation = -1
        for level in range(3):
            if counts[level] <= thresholds[level]:
                break
            generation = level
        return gc.collect(generation) if generation >= 0 else 0

    def stop(self) -> None:
        """Hand collection back to Python (as it was before)."""
        self._timer.stop()
        if self._was_enabled:
            gc.enable()
