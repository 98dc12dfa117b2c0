"""The narrow interface a screen gets instead of the window.

A screen can move the kiosk on (go, back, start over), run a blocking client call off the GUI
thread, say and explain things, and read the few things every screen shares (the language, the
theme, the customer's visit). It cannot reach the window's widgets or its private state; the
window (ui.main_window.MainWindow) is one implementation, a test double can be another.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtWidgets import QWidget

from client.errors import CalmPayError
from client.i18n import Translator
from client.money import AmountError
from client.receipt_files import ReceiptFiles
from client.security.catalog import SecurityCatalog
from client.voice import Priority
from ui.theme import Theme

if TYPE_CHECKING:  # the kiosk's operations (httpx, pydantic) load after the Welcome screen has painted
    from client.kiosk import DraftWrite, Kiosk, Visit
    from ui.help_call import HelpCall


class Shell(Protocol):
    # --- shared, read-only --------------------------------------------------------------------

    @property
    def t(self) -> Translator:
        """The current language's texts."""

    @property
    def theme(self) -> Theme:
        """Elder mode and text size, as the customer chose them."""

    @property
    def kiosk(self) -> Kiosk:
        """The kiosk's operations (blocking ones go through :meth:`run`)."""

    @property
    def visit(self) -> Visit | None:
        """The customer at the kiosk now, or None."""

    @property
    def security_catalog(self) -> SecurityCatalog:
        """The plain-language security prompts."""

    @property
    def receipt_files(self) -> ReceiptFiles:
        """Where printed receipts are kept until the visit ends."""

    @property
    def speak_amounts(self) -> bool:
        """Amounts are private: spoken only once the customer asked to hear them."""

    # --- moving on ------------------------------------------------------------------------------

    def go(self, screen_id: str, *, remember: bool = True, **params: Any) -> None: ...

    def back(self) -> None: ...

    def start_over(self) -> None: ...

    def call_staff(self) -> None: ...

    def begin_visit(self, visit: Visit) -> None:
        """A customer signed in: their visit starts, on the home screen, with no way back."""

    def end_visit(self, reason: str) -> None: ...

    def hand_off(self) -> None:
        """Show the code that carries the task under way on to the customer's phone."""

    def keep_typed(self) -> None:
        """Keep what the customer typed on this screen with their unfinished task: a step taken
        without leaving the screen (the name check)."""

    def keep_progress(self, write: DraftWrite) -> None:
        """Write the customer's unfinished task at the bank, off the GUI thread (client.resume)."""

    # --- work off the GUI thread ----------------------------------------------------------------

    def run(
        self,
        function: Callable[..., Any],
        *args: Any,
        ok: Callable[[Any], None] | None = None,
        fail: Callable[[CalmPayError], None] | None = None,
    ) -> None: ...

    def run_quietly(
        self,
        function: Callable[..., Any],
        *args: Any,
        ok: Callable[[Any], None] | None = None,
        fail: Callable[[CalmPayError], None] | None = None,
    ) -> None:
        """Like :meth:`run`, without "please wait" or locking the screen: for a screen that asks
        the bank by itself every few seconds (the Receive money screen)."""

    # --- words ------------------------------------------------------------------------------------

    def announce(self, text: str, priority: Priority = "normal") -> None: ...

    def explain(self, problem: CalmPayError | AmountError, *, spoken: bool = False) -> str: ...

    def money(self, minor: int, *, spoken: bool = False) -> str: ...

    def repeat(self) -> None: ...

    def hear_amounts(self, on: bool = True) -> None:
        """The customer asked to hear amounts (``on``): from now on in this visit they are spoken,
        until they ask not to (``on=False``)."""

    @property
    def voice_available(self) -> bool:
        """Whether this kiosk can speak at all (a speech engine and a speaker were found)."""

    @property
    def voice_paused(self) -> bool:
        """The customer paused the voice."""

    def resume_voice(self) -> None:
        """The voice on again, as the Resume button does."""

    def refresh_header(self) -> None:
        """The screen's title or instruction changed: show and name it anew."""

    # --- human help ---------------------------------------------------------------------------------

    @property
    def help_call(self) -> HelpCall:
        """The kiosk's help request: what the Call staff screen shows (ui.help_call)."""

    def problem_shown(self, screen_id: str, code: str | None) -> None:
        """A problem was shown on ``screen_id`` (``code``: the bank's, if any): some, or a third on one
        screen, bring a person to help (client.help)."""

    # --- the customer's display choices -----------------------------------------------------------

    def set_language(self, language: str) -> None: ...

    def set_elder_mode(self, elder: bool) -> None: ...

    # --- the fixed frame around every screen --------------------------------------------------------

    def header_end(self) -> QWidget:
        """The last header control: a screen's own controls follow it in the Tab order."""

    def back_control(self) -> QWidget:
        """The Back button, where the focus goes when a screen has nothing else to offer."""

    def call_staff_control(self) -> QWidget:
        """The Call staff button, where the focus goes when only a person can help now."""
