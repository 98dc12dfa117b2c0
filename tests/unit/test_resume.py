"""Unfinished tasks: what a draft holds, what is read back, what is offered (client/resume.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from client import models, resume
from client.resume import Offer, Progress
from tests.unit.test_flow import payment


def draft(flow: str, data: dict[str, Any]) -> models.Draft:
    saved = datetime(2025, 3, 15, 10, 0, tzinfo=UTC)
    return models.Draft(flow=flow, data=data, updated_at=saved, expires_at=saved + timedelta(hours=24))


texts = st.none() | st.text(max_size=30)
progresses = st.builds(
    Progress,
    flow=st.sampled_from(resume.FLOWS),
    step=st.sampled_from(["amount", "review", "risk", "add_payee", "bill_number", "bill_found"]),
    payee_id=texts,
    amount_minor=st.none() | st.integers(min_value=1, max_value=10**12),
    biller_id=texts,
    customer_number=texts,
    account_number=texts,
    name=texts,
    payment_key=texts,
)


@given(progresses)
def test_a_draft_reads_back_as_it_was_kept(progress: Progress) -> None:
    assert Progress.from_draft(progress.flow, progress.to_data()) == progress


@pytest.mark.parametrize(
    "data",
    [
        {"version": 2, "step": "amount"},  # a later kiosk's draft
        {"step": "amount"},
        {"version": 1, "step": 5},
        {"version": 1, "step": "review", "amount_minor": "500"},
        {"version": 1, "step": "review", "amount_minor": -1},
        {"version": 1, "step": "review", "amount_minor": True},
        {"version": 1, "step": "review", "payee_id": ["x"]},
        {"version": 1, "step": "review", "payment_key": 7},
    ],
)
def test_a_draft_this_kiosk_cannot_read_is_not_offered(data: dict[str, Any]) -> None:
    assert Progress.from_draft("send", data) is None
    assert resume.latest([draft("send", data)]) is None


def test_the_newest_readable_draft_is_offered() -> None:
    drafts = [draft("send", {"version": 9, "step": "amount"}), draft("bill", {"version": 1, "step": "bill_number"})]
    assert resume.latest(drafts) == ("bill", Progress("bill", "bill_number"))
    assert resume.latest([draft("unknown_flow", {"version": 1, "step": "x"})]) is None


def test_a_draft_never_holds_a_pin_or_a_code() -> None:
    data = Progress("send", "risk", payee_id="p", amount_minor=500, payment_key="k").to_data()
    assert set(data) == {"version", "step", "payee_id", "amount_minor", "payment_key"}


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        ("completed", "made"),
        ("held", "held"),
        ("blocked", "not_made"),
        ("cancelled", "not_made"),
        ("requires_action", "not_made"),
    ],
)
def test_what_became_of_a_payment_sent_before_the_kiosk_stopped(status: str, outcome: str) -> None:
    assert resume.outcome_of(payment(status)) == outcome
    assert resume.outcome_of(None) == "not_sent"  # the bank never made one with that key


def test_only_a_task_whose_payment_was_not_made_can_be_carried_on() -> None:
    progress = Progress("send", "review", payee_id="p", amount_minor=500)
    assert Offer(progress).can_carry_on
    assert Offer(progress, "not_made").can_carry_on
    assert not Offer(progress, "made", payment("completed")).can_carry_on
    assert not Offer(progress, "held", payment("held")).can_carry_on
