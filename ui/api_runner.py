"""Runs the screens' blocking client calls off the GUI thread (through ui.api_bridge) with a calm
"please wait" that shows only when an answer is slow, and drops answers that belong to a visit
that has ended."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from client.errors import CalmPayError
from ui.api_bridge import ApiBridge
from ui.screens.base import Screen
from ui.widgets import label

if TYPE_CHECKING:
    from client.kiosk import VisitChange

BUSY_DELAY_MS = 300  # show "please wait" only if an answer takes longer than this


class ApiRunner(QObject):
    def __init__(
        self,
        page: QWidget,
        *,
        current: Callable[[], Screen],
        apply: Callable[[VisitChange], Any],
        refocus: Callable[[QWidget], None] = QWidget.setFocus,
        keeps_focus: Callable[[QWidget], bool] = lambda _widget: False,
    ) -> None:
        super().__init__(page)
        self._current = current
        self._refocus = refocus  # the window's: without speaking over what the screen is saying
        self._keeps_focus = keeps_focus  # outside the screen, yet where the screen put the focus
        self._apply = apply  # workers only fetch; what they found changes the visit here, on the GUI thread
        self.bridge = ApiBridge(page)
        self.generation = 0  # bumped at every sign-out: late answers for a past visit are dropped
        self._busy_calls = 0
        self.busy = label("busyIndicator", "busy", wrap=False, parent=page)
        self.busy.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.busy.setVisible(False)
        self._busy_timer = QTimer(self, singleShot=True, interval=BUSY_DELAY_MS)
        self._busy_timer.timeout.connect(lambda: self.busy.setVisible(self._busy_calls > 0))

    def forget_visit(self) -> None:
        """Answers still on their way belong to a visit that has ended: drop them when they come."""
        self.generation += 1

    def run(
        self,
        function: Callable[..., Any],
        *args: Any,
        ok: Callable[[Any], None] | None = None,
        fail: Callable[[CalmPayError], None] | None = None,
    ) -> None:
        """Call ``function`` off the GUI thread; "please wait" shows after 300 ms; the screen is
        locked against double taps meanwhile. Answers that arrive after a sign-out are dropped.
        A :class:`client.kiosk.VisitChange` is applied to the visit first; ``ok`` gets its value."""
        generation = self.generation
        screen = self._current()
        call = self.bridge.call(function, *args)
        self._busy_calls += 1
        screen.setEnabled(False)
        self._busy_timer.start()

        def succeeded(result: Any) -> None:
            self._finished(screen)
            self._hand_over(generation, result, ok)

        def failed(problem: CalmPayError) -> None:
            self._finished(screen)
            if generation != self.generation:
                return
            if fail is not None:
                fail(problem)
            else:
                screen.show_problem(problem)

        call.succeeded.connect(succeeded)
        call.failed.connect(failed)

    def run_quietly(
        self,
        function: Callable[..., Any],
        *args: Any,
        ok: Callable[[Any], None] | None = None,
        fail: Callable[[CalmPayError], None] | None = None,
    ) -> None:
        """Like :meth:`run`, for a screen that keeps itself up to date (it asks the bank every few
        seconds): no "please wait" and no lock, so the screen never changes under the customer and
        the focus stays where they put it. Answers that arrive after a sign-out are dropped."""
        generation = self.generation
        call = self.bridge.call(function, *args)

        def failed(problem: CalmPayError) -> None:
            if generation == self.generation and fail is not None:
                fail(problem)

        call.succeeded.connect(lambda result: self._hand_over(generation, result, ok))
        call.failed.connect(failed)

    def _hand_over(self, generation: int, result: Any, ok: Callable[[Any], None] | None) -> None:
        """An answer for the visit it was asked for (never a later one): a
        :class:`client.kiosk.VisitChange` is applied to the visit first; ``ok`` gets its value."""
        if generation != self.generation:
            return
        from client.kiosk import VisitChange  # loaded by now: every call is the kiosk's

        if isinstance(result, VisitChange):
            result = self._apply(result)
        if ok is not None:
            ok(result)

    def _finished(self, screen: Screen) -> None:
        """The answer is in: no more "please wait", the screen takes keys again, the focus stays on it."""
        self._busy_calls -= 1
        if self._busy_calls == 0:
            self._busy_timer.stop()
            self.busy.setVisible(False)
        screen.setEnabled(True)
        # While the screen waited it could not hold the focus, so Qt gave it to the top bar or the
        # scroll area, where Enter would switch elder mode: it comes back to the screen's main control.
        # (Not while the idle warning covers the screen: then the screen is still disabled.)
        focused = QApplication.focusWidget()
        lost = focused is None or not (screen.isAncestorOf(focused) or self._keeps_focus(focused))
        if self._current() is screen and screen.isEnabled() and lost:
            focus = screen.first_focus()
            if focus is not None:
                self._refocus(focus)
