"""The inactivity guard (WCAG 2.2.1): after a quiet spell it warns, counts down with "I need more
time" as often as the customer likes, and then asks the window to end the visit."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from client.i18n import Translator
from client.settings import KioskSettings
from ui.widgets import button, label, set_role, spaced

# Screens where nobody is signed in: nothing to guard.
UNGUARDED_SCREENS = frozenset({"welcome", "goodbye"})
PAGE_MARGINS = 2 * 32 + 40  # the page's side margins and the panel's padding


class IdleGuard(QObject):
    """Owns the warning panel and its two timers. ``covering`` says when the panel shows or goes
    (the window locks the screen under it meanwhile); ``timed_out`` and ``sign_out_requested`` end
    the visit; ``warned`` carries the sentence to say."""

    covering = Signal(bool)
    warned = Signal(str)
    timed_out = Signal()
    sign_out_requested = Signal()
    extended = Signal()  # "I need more time"

    def __init__(
        self,
        page: QWidget,
        *,
        settings: Callable[[], KioskSettings],
        translator: Callable[[], Translator],
        width: Callable[[], int],
    ) -> None:
        super().__init__(page)
        self._settings = settings
        self._translator = translator
        self._width = width
        self.seconds_left = 0
        self.extensions = 0
        self.warning = False  # the warning is up (set before the screen is covered, which moves the focus)

        self.panel = QFrame(page)
        self.panel.setObjectName("idleWarning")
        set_role(self.panel, "warning")
        layout = QVBoxLayout(self.panel)
        self.title = label("idleTitle", "value", parent=self.panel)
        self.text = label("idleText", "", parent=self.panel)
        row = QHBoxLayout()
        self.more_time_button = button("idleMoreTime", "primary", self.panel)
        self.more_time_button.clicked.connect(self.extend_time)
        self.sign_out_button = button("idleSignOut", "secondary", self.panel)
        self.sign_out_button.clicked.connect(self.sign_out_requested)
        row.addWidget(self.more_time_button, 2)
        row.addWidget(self.sign_out_button, 1)
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        layout.addLayout(row)
        self.panel.setVisible(False)

        self.idle_timer = QTimer(self, singleShot=True)
        self.idle_timer.timeout.connect(self.warn)
        self.countdown_timer = QTimer(self, interval=1000)
        self.countdown_timer.timeout.connect(self._tick)

    def user_acted(self, screen_id: str) -> None:
        if self.warning:
            return  # the warning waits for an answer to it
        if screen_id in UNGUARDED_SCREENS:
            self.idle_timer.stop()
            return
        self.idle_timer.start(self._settings().idle_seconds * 1000)

    def warn(self) -> None:
        self.warning = True
        self.idle_timer.stop()
        self.seconds_left = self._settings().warning_seconds
        self.covering.emit(True)
        self.panel.setVisible(True)
        self.retranslate()
        self.more_time_button.setFocus()
        self.countdown_timer.start()
        self.warned.emit(f"{self._translator()('idle.title')} {self.text.accessibleName()}")

    def _tick(self) -> None:
        self.seconds_left -= 1
        self.retranslate()
        if self.seconds_left <= 0:
            self.timed_out.emit()

    def extend_time(self) -> None:
        """'I need more time': as often as the customer likes."""
        self.extensions += 1
        self.extended.emit()
        self.close()
        self.idle_timer.start(self._settings().idle_seconds * 1000)

    def close(self) -> None:
        self.warning = False
        self.countdown_timer.stop()
        self.panel.setVisible(False)
        self.covering.emit(False)

    def reset(self) -> None:
        """A visit ended: no timer runs, no warning shows, no extension is counted."""
        self.idle_timer.stop()
        self.close()
        self.extensions = 0

    def chrome(self) -> list[tuple[QWidget, str]]:
        return [(self.more_time_button, "idle.more_time"), (self.sign_out_button, "idle.sign_out")]

    def retranslate(self) -> None:
        t = self._translator()
        self.title.setText(spaced(t("idle.title")))
        text = t("idle.text", seconds=self.seconds_left)
        self.text.setText(spaced(text))
        self.text.setAccessibleName(text)
        # Nested layouts do not pass height-for-width up: reserve the wrapped height ourselves.
        width = max(self._width() - PAGE_MARGINS, 400)
        for wrapped in (self.title, self.text):
            wrapped.setMinimumHeight(wrapped.heightForWidth(width))
