"""How the console words what the bank says: times, reasons, screens, refusals. Presentation only."""

from __future__ import annotations

from client.errors import CalmPayError, NetworkError
from client.i18n import Translator, placeholders

SESSION_ENDED = ("staff_session_expired", "staff_session_missing")
# Refusals the console words itself; anything else is said with the bank's code.
KNOWN_REFUSALS = (
    "staff_locked",
    "help_request_closed",
    "help_request_not_found",
    "help_request_has_no_customer",
    "payment_not_found",
    "validation_failed",
)


def mm_ss(seconds: float) -> str:
    """How long, as staff read a stopwatch: 00:42, 03:05, 75:00."""
    whole = max(int(seconds), 0)
    return f"{whole // 60:02d}:{whole % 60:02d}"


def reason(t: Translator, code: str) -> str:
    key = f"console.reason.{code}"
    return t(key) if t.has(key) else code


def screen(t: Translator, screen_id: str, step: str | None) -> str:
    """The kiosk screen's own title, as the customer sees it, and the step if it says more."""
    own = f"console.screen.{screen_id.replace('-', '_')}"  # for a title that depends on the case (the stop)
    key = f"{screen_id.replace('-', '_')}.title"
    title = screen_id
    if t.has(own):
        title = t(own)
    elif t.has(key) and not placeholders(t(key)):
        title = t(key)
    if step and step != screen_id:
        # The step is the task under way (client.resume's flows), said as staff would say it.
        task = f"console.task.{step.replace('-', '_')}"
        return t("console.screen_step", screen=title, step=t(task) if t.has(task) else step)
    return title


def refusal(t: Translator, problem: CalmPayError) -> str:
    """The bank's answer, plainly: what happened, and that nothing changed where nothing did."""
    code = problem.code
    if code == "staff_pin_incorrect":
        remaining = getattr(problem, "details", {}).get("attempts_remaining")
        if remaining is None:
            return t("console.error.staff_pin_incorrect")
        return t("console.error.staff_pin_incorrect_tries", count=int(remaining))
    if code in SESSION_ENDED:
        return t("console.error.session_ended")
    if isinstance(problem, NetworkError):
        return t("console.error.connection")
    if code in KNOWN_REFUSALS:
        return t(f"console.error.{code}")
    return t("console.error.other", code=code)
