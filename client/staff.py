"""The staff console's business side (no Qt): a staff member's session at the bank, the help queue,
answering and closing requests, acting on a customer's account with them there, and the metrics.

The staff PIN is typed at sign-in and again for each action on a customer's account; it is sent to
the bank and never kept here. The staff token lives in memory for the console's run only.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from client import models
from client.api import PaymentApi

log = logging.getLogger("calmpay.staff")

OUTCOMES = ("solved", "referred", "customer_left")
CSV_COLUMNS = (
    "id",
    "kiosk",
    "reason",
    "screen",
    "step",
    "status",
    "outcome",
    "created_at",
    "answered_at",
    "closed_at",
    "seconds_to_answer",
    "seconds_to_resolve",
    "waited_on_step_seconds",
    "staff",
)


class StaffDesk:
    """One staff member's console session at the bank."""

    def __init__(self, api: PaymentApi) -> None:
        self.api = api
        self.session: models.StaffSession | None = None

    @property
    def signed_in(self) -> bool:
        return self.session is not None

    def sign_in(self, staff_number: str, pin: str) -> models.StaffSession:
        answer = self.api.request("POST", "/v1/staff/sessions", json={"staff_number": staff_number, "pin": pin})
        self.session = models.StaffSession.model_validate(answer)
        log.info("staff %s signed in", self.session.staff.id)
        return self.session

    def sign_out(self) -> None:
        session, self.session = self.session, None  # forgotten at once, whatever the bank answers
        if session is not None:
            self.end_session(session)

    def end_session(self, session: models.StaffSession) -> None:
        """End ``session`` at the bank. A console takes the session off the desk on its GUI thread first
        (``desk.session = None``), so a sign-in that follows at once is never undone by this call."""
        self.api.request("DELETE", "/v1/staff/sessions/current", token=session.token)

    def _token(self) -> str:
        if self.session is None:
            raise RuntimeError("sign in to the staff console first")
        return self.session.token

    def queue(self, *, include_closed: bool = False) -> list[models.StaffHelpRequest]:
        params = {"include_closed": "true"} if include_closed else None
        answer = self.api.request("GET", "/v1/staff/help-requests", params=params, token=self._token())
        return [models.StaffHelpRequest.model_validate(item) for item in answer]

    def answer(self, request_id: str) -> models.StaffHelpRequest:
        """ "I'm coming": the kiosk shows and says this staff member's name."""
        path = f"/v1/staff/help-requests/{_part(request_id)}/answer"
        return models.StaffHelpRequest.model_validate(self.api.request("POST", path, token=self._token()))

    def close(self, request_id: str, outcome: str) -> models.StaffHelpRequest:
        if outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {OUTCOMES}")
        path = f"/v1/staff/help-requests/{_part(request_id)}/close"
        answer = self.api.request("POST", path, json={"outcome": outcome}, token=self._token())
        return models.StaffHelpRequest.model_validate(answer)

    def held_payments(self, request_id: str) -> list[models.HeldPayment]:
        path = f"/v1/staff/help-requests/{_part(request_id)}/held-payments"
        return [models.HeldPayment.model_validate(p) for p in self.api.request("GET", path, token=self._token())]

    def unfreeze(self, request_id: str, pin: str) -> None:
        """After checking the customer's identity in person; the PIN again, for the bank's log."""
        path = f"/v1/staff/help-requests/{_part(request_id)}/unfreeze"
        self.api.request("POST", path, json={"pin": pin}, token=self._token())

    def cancel_held(self, request_id: str, payment_id: str, pin: str) -> models.Payment:
        path = f"/v1/staff/help-requests/{_part(request_id)}/held-payments/{_part(payment_id)}/cancel"
        return models.Payment.model_validate(self.api.request("POST", path, json={"pin": pin}, token=self._token()))

    def actions(self) -> list[models.StaffAction]:
        return [
            models.StaffAction.model_validate(a)
            for a in self.api.request("GET", "/v1/staff/actions", token=self._token())
        ]

    def metrics(self) -> models.HelpMetrics:
        return models.HelpMetrics.model_validate(self.api.request("GET", "/v1/staff/metrics", token=self._token()))


def _part(text: str) -> str:
    return quote(text, safe="")


@dataclass(frozen=True)
class MetricsExport:
    requests: list[models.StaffHelpRequest]
    metrics: models.HelpMetrics


def metrics_csv(requests: Iterable[models.StaffHelpRequest]) -> str:
    """One row per request: when it came, when staff answered and closed it, and how it ended. No
    amount, name or number: the requests carry none."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in requests:
        to_answer = (r.answered_at - r.created_at).total_seconds() if r.answered_at else None
        to_resolve = (r.closed_at - r.created_at).total_seconds() if r.closed_at and r.status == "closed" else None
        writer.writerow(
            (
                r.id,
                r.kiosk_label,
                r.reason,
                r.screen,
                r.step or "",
                r.status,
                r.outcome or "",
                r.created_at.isoformat(),
                r.answered_at.isoformat() if r.answered_at else "",
                r.closed_at.isoformat() if r.closed_at else "",
                _seconds(to_answer),
                _seconds(to_resolve),
                r.waited_seconds,
                r.staff.id if r.staff else "",
            )
        )
    return out.getvalue()


def _seconds(value: float | None) -> str:
    return "" if value is None else f"{value:.0f}"


def export_metrics(desk: StaffDesk, path: Path) -> MetricsExport:
    """Every request, open and closed, as CSV at ``path`` (UTF-8 with a BOM, so spreadsheets read it)."""
    requests = desk.queue(include_closed=True)
    path.write_text("\ufeff" + metrics_csv(requests), encoding="utf-8")
    return MetricsExport(requests, desk.metrics())
