"""When the kiosk asks for a person by itself, and what the customer is told about a help request.

Help comes by itself when something is wrong (DESIGN.md, "Human help"): a payment stopped to protect
the customer, a locked card, a paused account, three problems on one screen, or a long silence on
one step. Each raises one help request at the bank (a kiosk has one open at a time); the customer is
told calmly that someone is coming. No Qt here: ui.help_call shows it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pydantic loads after the kiosk's first paint; this module is loaded before it
    from client import models

ASKED = "asked"
SCAM_STOP = "scam_stop"
CARD_LOCKED = "card_locked"
ACCOUNT_PAUSED = "account_paused"
REPEATED_ERRORS = "repeated_errors"
LONG_HESITATION = "long_hesitation"

ERRORS_BEFORE_HELP = 3  # problems shown on one screen before someone is asked to come

# Screens that explain a serious problem themselves: arriving on one asks for a person.
REASON_OF_SCREEN = {"stop": SCAM_STOP}
# A kept card's reason for being kept (client.flow.CARD_KEPT_CODES).
REASON_OF_KEPT_CARD = {"card_locked": CARD_LOCKED, "account_frozen": ACCOUNT_PAUSED}
# Problems from the bank that need a person at once, wherever they are shown.
REASON_OF_PROBLEM = {"account_frozen": ACCOUNT_PAUSED, "card_locked": CARD_LOCKED, "payment_blocked": SCAM_STOP}
# Screens where nobody is being helped (nobody there yet, or leaving), or where help is already the topic.
NO_HESITATION_SCREENS = frozenset({"welcome", "goodbye", "staff", "card_kept", "stop"})


def reason_on_arrival(screen_id: str, params: dict[str, object]) -> str | None:
    if screen_id == "card_kept":
        return REASON_OF_KEPT_CARD.get(str(params.get("code", "card_locked")), CARD_LOCKED)
    return REASON_OF_SCREEN.get(screen_id)


@dataclass
class ErrorCount:
    """Problems shown on the screen the customer is on; a new screen starts again at none."""

    screen_id: str = ""
    count: int = 0
    raised_on: set[str] = field(default_factory=set)  # screens of this visit that already asked

    def screen_changed(self, screen_id: str) -> None:
        if screen_id != self.screen_id:
            self.screen_id, self.count = screen_id, 0

    def problem_shown(self, screen_id: str, code: str | None) -> str | None:
        """The reason to ask for a person now, if this problem makes one."""
        self.screen_changed(screen_id)
        if code in REASON_OF_PROBLEM:
            return REASON_OF_PROBLEM[code]
        self.count += 1
        if self.count >= ERRORS_BEFORE_HELP and screen_id not in self.raised_on:
            self.raised_on.add(screen_id)
            return REPEATED_ERRORS
        return None

    def reset(self) -> None:
        self.screen_id, self.count = "", 0
        self.raised_on.clear()


@dataclass(frozen=True)
class HelpState:
    """What the customer is told about their help request."""

    kind: str  # asking, waiting, coming, no_staff, unreachable, closed, cancelled
    staff_name: str = ""

    @property
    def open(self) -> bool:
        return self.kind in ("asking", "waiting", "coming", "no_staff")


def state_of(request: models.HelpRequest, language: str) -> HelpState:
    if request.status == "coming" and request.staff is not None:
        return HelpState("coming", request.staff.name_in(language))
    if request.status in ("closed", "cancelled"):
        return HelpState(request.status)
    return HelpState("waiting" if request.staff_on_duty else "no_staff")
