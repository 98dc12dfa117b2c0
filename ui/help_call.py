"""The kiosk's help request, on screen: Call staff, help that comes by itself (client.help), and what
the customer sees and hears while they wait (the Call staff screen, and the Call staff button, which
says "Staff told", or who is coming, on every other screen).

The bank is asked every second where the request stands, off the GUI thread. While a request is open
the inactivity time-out waits: a customer waiting for staff is never signed out for standing still.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QPushButton, QWidget

from client.bank_contact import ELDER_HOTLINE, hotline_words, spoken_number
from client.help import (
    ASKED,
    LONG_HESITATION,
    NO_HESITATION_SCREENS,
    ErrorCount,
    HelpState,
    reason_on_arrival,
    state_of,
)

if TYPE_CHECKING:
    from client import models
    from client.errors import CalmPayError
    from client.i18n import Translator
    from client.kiosk import Kiosk
    from client.settings import KioskSettings
    from ui.api_bridge import ApiBridge

log = logging.getLogger("calmpay.ui.help")

POLL_MS = 1000  # "I'm coming" shows within a second of staff pressing it


class SpokenScreen(Protocol):
    def entry_speech(self) -> tuple[str, Any]: ...


class HelpWindow(Protocol):
    """What the help request needs of the kiosk's window (ui.main_window.MainWindow)."""

    kiosk: Kiosk | None
    settings: KioskSettings
    current_id: str
    staff_button: QPushButton

    @property
    def t(self) -> Translator: ...

    @property
    def bridge(self) -> ApiBridge: ...

    @property
    def idle_timer(self) -> QTimer: ...

    @property
    def current(self) -> SpokenScreen: ...

    def flow_screen_id(self) -> str: ...

    def announce(self, text: str) -> None: ...

    def back(self) -> None: ...

    def user_acted(self) -> None: ...


class HelpCall(QObject):
    changed = Signal()  # the state changed: the Call staff screen shows it anew
    asked = Signal(str, bool)  # a request raised: its reason, and whether it came by itself

    def __init__(self, window: HelpWindow, parent: QWidget) -> None:
        super().__init__(parent)
        self.window = window
        self.request: models.HelpRequest | None = None
        self.state: HelpState | None = None
        self.proactive = False
        self.errors = ErrorCount()
        self._asking = False
        self._stop_when_raised = False  # stopped by the customer before the bank had answered the ask
        self._flow_screen = ""
        self._arrived = time.monotonic()  # on the flow screen the customer is on
        self.poll_timer = QTimer(self, interval=POLL_MS)
        self.poll_timer.timeout.connect(self._ask_bank)
        self.hesitation_timer = QTimer(self, singleShot=True)
        self.hesitation_timer.timeout.connect(self._hesitated)

    @property
    def open(self) -> bool:
        return self._asking or (self.state is not None and self.state.open)

    @property
    def someone_coming(self) -> bool:
        """Staff have been told (or are being told) and will come: the customer is not timed out. Told
        to phone the helpline instead, they may walk away: the usual time-out applies then."""
        return self._asking or (self.state is not None and self.state.kind in ("waiting", "coming"))

    # --- raising a request ------------------------------------------------------------------------

    def ask(self, reason: str = ASKED, *, proactive: bool = False) -> None:
        """Ask for staff (once: a request already open stays the one staff answer)."""
        kiosk = self.window.kiosk
        if self.open or kiosk is None:
            return
        self._asking, self.proactive = True, proactive
        self.asked.emit(reason, proactive)
        self.state = HelpState("asking")
        self.hesitation_timer.stop()
        self.window.idle_timer.stop()  # someone is coming: no time-out while the customer waits
        self._show()
        waited = round(time.monotonic() - self._arrived)
        call = self.window.bridge.call(kiosk.raise_help, self.window.flow_screen_id(), reason, waited)
        call.succeeded.connect(self._raised)
        call.failed.connect(self._unreachable)
        log.info("help asked for: %s", reason)

    def _raised(self, request: models.HelpRequest) -> None:
        self._asking = False
        if self._stop_when_raised:
            self._stop_when_raised = False
            self.request = request
            self.cancel()
            return
        self._update(request)
        if self.request is not None and self.request.open:
            self.poll_timer.start()

    def _unreachable(self, problem: CalmPayError) -> None:
        self._asking = False
        log.warning("help request not sent: %s", problem.code)
        self._set(HelpState("unreachable"))
        self.window.user_acted()  # nobody knows: the usual time-out applies again

    def _ask_bank(self) -> None:
        kiosk, request = self.window.kiosk, self.request
        if kiosk is None or request is None:
            self.poll_timer.stop()
            return
        call = self.window.bridge.call(kiosk.help_request, request.id)
        call.succeeded.connect(self._update)
        call.failed.connect(lambda problem: log.info("help request not read: %s", problem.code))

    def _update(self, request: models.HelpRequest) -> None:
        if self.request is not None and request.id != self.request.id:
            return  # an answer about an earlier request
        state = state_of(request, self.window.t.language)
        if state.kind == "waiting" and not self.window.settings.staff_nearby:
            state = HelpState("no_staff")
        self.request = request
        self._set(state)

    def _set(self, state: HelpState) -> None:
        before, self.state = self.state, state
        if state == before:
            return
        if not state.open:
            self.poll_timer.stop()
        self._show()
        self.changed.emit()
        on_call_screen = self.window.current_id == "staff"
        if state.kind in ("closed", "cancelled"):
            self.request = None
            if on_call_screen:
                self.window.back()
            self.window.announce(self.window.t("staff.finished" if state.kind == "closed" else "staff.stopped"))
            self.window.user_acted()  # the time-out applies again
        else:
            if state.kind == "no_staff":
                self.window.user_acted()  # nobody will come: the usual time-out applies
            self._say_change(before, state, on_call_screen)

    def _say_change(self, before: HelpState | None, state: HelpState, on_call_screen: bool) -> None:
        """Every change is said once: on the call screen with its new title ("Staff have been told")."""
        if on_call_screen:
            self.window.announce(self.window.current.entry_speech()[0])
        else:
            self.window.announce(self.spoken(state))

    # --- what is said and shown -------------------------------------------------------------------

    def text(self, state: HelpState | None = None, *, spoken: bool = False) -> str:
        """The customer's words for ``state`` (the call screen's main text)."""
        state = state or self.state or HelpState("asking")
        t = self.window.t
        number = spoken_number(ELDER_HOTLINE) if spoken else ELDER_HOTLINE
        words: dict[str, Any] = {**hotline_words(), "elder_hotline": number, "name": state.staff_name}
        if state.kind == "waiting" and self.proactive:
            return t("staff.waiting.proactive")
        key = {
            "asking": "staff.asking",
            "waiting": "staff.waiting",
            "coming": "staff.coming",
            "no_staff": "staff.no_staff",
            "unreachable": "staff.unreachable",
            "closed": "staff.finished",
            "cancelled": "staff.stopped",
        }[state.kind]
        return t(key, **words)

    def spoken(self, state: HelpState | None = None) -> str:
        return self.text(state, spoken=True)

    def _show(self) -> None:
        """While staff are being told or are coming, the Call staff button (always in the same place)
        says so: "Staff told", or who is coming. It takes no room a screen needs; its name says it all."""
        button, t, state = self.window.staff_button, self.window.t, self.state
        if state is None or state.kind not in ("asking", "waiting", "coming"):
            button.setText(t("nav.call_staff"))
            button.setAccessibleName(t("nav.call_staff"))
        elif state.kind == "coming":
            button.setText(t("nav.call_staff.coming", name=state.staff_name))
            button.setAccessibleName(f"{t('nav.call_staff')}. {self.text(state)}")
        else:
            button.setText(t("nav.call_staff.waiting"))
            button.setAccessibleName(f"{t('nav.call_staff')}. {t('help.staff_told')}")

    def retranslate(self) -> None:
        if self.state is not None and self.state.kind == "coming" and self.request is not None:
            self.state = state_of(self.request, self.window.t.language)  # the name in the new language
        self._show()

    # --- the customer's side: cancelling, moving, erring, hesitating ---------------------------------

    def cancel(self) -> None:
        """The customer said twice that they no longer need help."""
        kiosk, request = self.window.kiosk, self.request
        if self._asking:
            self._stop_when_raised = True
        if kiosk is None or request is None:
            self._set(HelpState("cancelled"))
            return
        call = self.window.bridge.call(kiosk.cancel_help, request.id)
        call.succeeded.connect(self._update)
        call.failed.connect(lambda _problem: self._set(HelpState("cancelled")))

    def screen_arrived(self, screen_id: str, params: dict[str, Any], covering: bool) -> None:
        self._show()
        if covering or screen_id == self._flow_screen:  # Help or Call staff, or back from one of them
            return
        self._flow_screen, self._arrived = screen_id, time.monotonic()
        self.errors.screen_changed(screen_id)
        reason = reason_on_arrival(screen_id, params)
        if reason is not None:
            self.ask(reason, proactive=True)

    def problem_shown(self, screen_id: str, code: str | None) -> None:
        reason = self.errors.problem_shown(screen_id, code)
        if reason is not None:
            self.ask(reason, proactive=True)

    def activity(self, screen_id: str) -> None:
        """A key, a touch, a new screen: the silence on this step starts again."""
        if self.open or screen_id in NO_HESITATION_SCREENS:
            self.hesitation_timer.stop()
            return
        self.hesitation_timer.start(self.window.settings.hesitation_seconds * 1000)

    def _hesitated(self) -> None:
        if self.window.current_id not in NO_HESITATION_SCREENS:
            self.ask(LONG_HESITATION, proactive=True)

    def visit_ended(self) -> None:
        """The customer left (signed out, timed out): nobody is at the kiosk to help any more."""
        kiosk, request = self.window.kiosk, self.request
        if kiosk is not None and request is not None and self.open:
            self.window.bridge.call(kiosk.cancel_help, request.id)
        self.poll_timer.stop()
        self.hesitation_timer.stop()
        self.request, self.state, self._asking, self.proactive = None, None, False, False
        self._stop_when_raised, self._flow_screen = False, ""
        self.errors.reset()
        self._show()
