"""The API client against the real mock API over HTTP: typed errors, retries, idempotency."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from client import errors
from client.api import PaymentApi, new_idempotency_key
from client.credentials import CredentialStore, ensure_registered
from mock_api.server import EmbeddedServer
from tests.api.helpers import SCAM_NUMBER
from tests.demo import LI_MEI, LIU_YANG, WANG_FANG

LI_MEI_PAYEE = "payee_wf_limei"
CURRENT = WANG_FANG.account_id


def debits_to_li_mei(api: PaymentApi) -> list[int]:
    page = api.transactions(CURRENT, limit=100)
    return [t.amount_minor for t in page.items if "Li Mei" in t.description and t.amount_minor < 0]


def test_sign_in_returns_the_customer_and_hides_the_token(api: PaymentApi) -> None:
    session = api.sign_in(WANG_FANG.number, WANG_FANG.pin)
    assert session.customer.id == WANG_FANG.customer_id
    assert session.token not in repr(session) and session.token not in str(session)
    assert api.signed_in


def test_wrong_pin_is_a_typed_error_with_attempts_left(api: PaymentApi) -> None:
    with pytest.raises(errors.PinIncorrect) as first:
        api.sign_in(WANG_FANG.number, "9999")
    assert first.value.attempts_remaining == 2
    with pytest.raises(errors.PinIncorrect) as second:
        api.sign_in(WANG_FANG.number, "9999")
    assert second.value.attempts_remaining == 1
    with pytest.raises(errors.CardLocked):
        api.sign_in(WANG_FANG.number, "9999")
    with pytest.raises(errors.CardLocked):
        api.sign_in(WANG_FANG.number, WANG_FANG.pin)


def test_small_payment_to_a_familiar_payee_just_completes(wang_fang: PaymentApi) -> None:
    before = {a.id: a.balance_minor for a in wang_fang.accounts()}[CURRENT]
    payment = wang_fang.create_payment(from_account_id=CURRENT, amount_minor=20_000, payee_id=LI_MEI_PAYEE)
    assert payment.status == "completed"
    assert payment.risk.decision == "allow" and payment.risk.reasons == []
    after = {a.id: a.balance_minor for a in wang_fang.accounts()}[CURRENT]
    assert before - after == 20_000


def test_insufficient_funds_is_typed_and_carries_the_reason(api: PaymentApi) -> None:
    api.sign_in(LIU_YANG.number, LIU_YANG.pin)
    account = api.accounts()[0]
    check = api.name_check("6217000000000201", "Li Mei")
    payee = api.add_payee("6217000000000201", "Li Mei", name_check_id=check.name_check_id)
    with pytest.raises(errors.InsufficientFunds) as declined:
        api.create_payment(from_account_id=account.id, amount_minor=account.balance_minor + 1, payee_id=payee.id)
    assert declined.value.reasons == ["insufficient_funds"]
    assert api.accounts()[0].balance_minor == account.balance_minor


def test_dropped_response_after_commit_is_retried_with_the_same_key_and_paid_once(
    wang_fang: PaymentApi,
) -> None:
    before = debits_to_li_mei(wang_fang)
    wang_fang.set_faults(drop_next_responses=1)
    payment = wang_fang.create_payment(from_account_id=CURRENT, amount_minor=12_300, payee_id=LI_MEI_PAYEE)
    assert payment.status == "completed"
    after = debits_to_li_mei(wang_fang)
    assert len(after) == len(before) + 1 and after[0] == -12_300
    summary = wang_fang.ledger_summary()
    assert summary["unbalanced_journals"] == 0 and summary["total_minor"] == 0


def test_timed_out_payment_retried_later_with_the_same_key_is_paid_once(api_server: EmbeddedServer) -> None:
    impatient = PaymentApi(api_server.url, timeout=0.3, retries=1, backoff_seconds=0.01)
    ensure_registered(impatient, CredentialStore(api_server.url), "impatient kiosk")
    impatient.sign_in(WANG_FANG.number, WANG_FANG.pin)
    before = debits_to_li_mei(impatient)
    impatient.set_faults(latency_ms=600)
    # The first attempt times out; its retry finds the same request still running on the server.
    with pytest.raises(errors.StillProcessing) as unknown:
        impatient.create_payment(from_account_id=CURRENT, amount_minor=4_560, payee_id=LI_MEI_PAYEE)
    assert unknown.value.outcome_unknown
    key = unknown.value.context["idempotency_key"]
    assert key
    impatient.set_faults()
    patient = PaymentApi(api_server.url, backoff_seconds=0.05, retries=8)
    patient._token = impatient._token  # same customer session, a new connection
    payment = patient.create_payment(from_account_id=CURRENT, amount_minor=4_560, payee_id=LI_MEI_PAYEE, key=key)
    assert payment.status == "completed"
    assert len(debits_to_li_mei(patient)) == len(before) + 1
    patient.close()
    impatient.close()


def test_service_errors_are_retried_then_reported_as_unavailable(wang_fang: PaymentApi) -> None:
    wang_fang.set_faults(error_rate=1.0)
    with pytest.raises(errors.ServiceUnavailable):
        wang_fang.accounts()
    wang_fang.set_faults()
    assert wang_fang.accounts()


def test_a_dead_server_is_connection_lost() -> None:
    with socket_port() as port:
        api = PaymentApi(f"http://127.0.0.1:{port}", retries=1, backoff_seconds=0.01)
        with pytest.raises(errors.ConnectionLost):
            api.health()
        api.close()


def test_an_expired_session_is_forgotten(wang_fang: PaymentApi) -> None:
    wang_fang.advance_clock(16 * 60)
    with pytest.raises(errors.SessionExpired):
        wang_fang.accounts()
    assert not wang_fang.signed_in


def test_sign_out_ends_the_session_on_the_server(api_server: EmbeddedServer, wang_fang: PaymentApi) -> None:
    token = wang_fang._token
    wang_fang.sign_out()
    assert not wang_fang.signed_in
    response = httpx.get(f"{api_server.url}/v1/accounts", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "session_expired"


class socket_port:
    """A loopback port that nothing listens on."""

    def __enter__(self) -> int:
        import socket

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        return int(self.sock.getsockname()[1])

    def __exit__(self, *exc: object) -> None:
        self.sock.close()


def test_no_answer_in_time_is_a_timeout_whose_outcome_is_unknown(api_server: EmbeddedServer) -> None:
    api = PaymentApi(api_server.url, timeout=0.3, retries=0)
    with PaymentApi(api_server.url) as admin:
        admin.set_faults(latency_ms=600)
    with pytest.raises(errors.RequestTimedOut) as timed_out:
        api.billers()
    assert timed_out.value.outcome_unknown
    api.close()


def test_the_demo_cards_come_from_the_bank_as_this_kiosk(api: PaymentApi) -> None:
    cards = api.demo_cards()
    assert [(card.card_number, card.name) for card in cards][:2] == [
        (WANG_FANG.number, WANG_FANG.name),
        (LI_MEI.number, LI_MEI.name),
    ]
    assert len(cards) == 7
    assert all(set(card.model_dump()) == {"card_number", "name", "names"} for card in cards)  # never a PIN


def test_the_demo_cards_need_a_registered_kiosk(api_server: EmbeddedServer) -> None:
    with PaymentApi(api_server.url) as unregistered, pytest.raises(errors.KioskNotRegistered):
        unregistered.demo_cards()


# --- resume: drafts, a payment found by its key, handoff to the phone ---------------------------


def test_drafts_carry_their_expiry_and_a_missing_one_is_none(wang_fang: PaymentApi) -> None:
    assert wang_fang.draft("send-money") is None
    saved = wang_fang.save_draft("send-money", {"step": "amount", "payee_id": LI_MEI_PAYEE})
    assert saved.expires_at - saved.updated_at == timedelta(hours=24)
    assert wang_fang.draft("send-money") == saved
    assert wang_fang.drafts() == [saved]
    wang_fang.delete_draft("send-money")
    wang_fang.delete_draft("send-money")  # already gone: fine
    assert wang_fang.draft("send-money") is None
    with pytest.raises(errors.InvalidRequest) as refused:
        wang_fang.save_draft("send-money", {"step": "confirm", "verification_code": "123456"})
    assert refused.value.code == "draft_holds_secret"


def test_a_payment_whose_answer_was_lost_is_found_by_its_key_and_made_once(wang_fang: PaymentApi) -> None:
    """The kiosk stopped before it heard the answer: on the next sign-in it asks by the key."""
    before = debits_to_li_mei(wang_fang)
    lost = PaymentApi(wang_fang.base_url, retries=0)
    lost._token = wang_fang._token
    wang_fang.set_faults(drop_next_responses=1)
    with pytest.raises(errors.ConnectionLost) as unknown:
        lost.create_payment(from_account_id=CURRENT, amount_minor=6_540, payee_id=LI_MEI_PAYEE)
    lost.close()
    key = unknown.value.context["idempotency_key"]
    found = wang_fang.payment_by_key(key)
    assert found is not None and found.status == "completed" and found.amount_minor == 6_540
    assert len(debits_to_li_mei(wang_fang)) == len(before) + 1


def test_payment_by_key_tells_waiting_blocked_and_never_made(api_server: EmbeddedServer, wang_fang: PaymentApi) -> None:
    waiting_key = new_idempotency_key()
    waiting = wang_fang.create_payment(
        from_account_id=CURRENT, amount_minor=6_000_000, payee_id=LI_MEI_PAYEE, key=waiting_key
    )
    assert waiting.status == "requires_action"
    assert wang_fang.payment_by_key(waiting_key) == waiting

    check = wang_fang.name_check(SCAM_NUMBER, "平安理财服务中心 Safe Wealth Service Centre")
    scam = wang_fang.add_payee(
        SCAM_NUMBER, "平安理财服务中心 Safe Wealth Service Centre", name_check_id=check.name_check_id
    )
    blocked_key = new_idempotency_key()
    with pytest.raises(errors.PaymentBlocked) as blocked:
        wang_fang.create_payment(from_account_id=CURRENT, amount_minor=10_000, payee_id=scam.id, key=blocked_key)
    found = wang_fang.payment_by_key(blocked_key)
    assert found is not None and (found.id, found.status) == (blocked.value.payment_id, "blocked")

    assert wang_fang.payment_by_key(new_idempotency_key()) is None
    with PaymentApi(api_server.url, backoff_seconds=0.01) as li_mei:
        ensure_registered(li_mei, CredentialStore(api_server.url), "another kiosk")
        li_mei.sign_in(LI_MEI.number, LI_MEI.pin)
        assert li_mei.payment_by_key(waiting_key) is None  # Wang Fang's key is nothing to Li Mei


def test_a_draft_is_handed_to_the_phone_once(api_server: EmbeddedServer, wang_fang: PaymentApi) -> None:
    saved = wang_fang.save_draft("send-money", {"step": "review", "payee_id": LI_MEI_PAYEE, "amount_minor": 50_000})
    handoff = wang_fang.handoff("send-money")
    assert handoff.link == "https://calmpay.example/continue/" + handoff.token
    assert handoff.token not in repr(handoff) and handoff.token not in str(handoff)
    with PaymentApi(api_server.url, backoff_seconds=0.01) as phone:
        ensure_registered(phone, CredentialStore(api_server.url), "phone")
        phone.sign_in(WANG_FANG.number, WANG_FANG.pin)
        assert phone.claim_handoff(handoff.token) == saved
        with pytest.raises(errors.Conflict) as used:
            phone.claim_handoff(handoff.token)
        assert used.value.code == "handoff_used"
        with pytest.raises(errors.NotFound) as unknown:
            phone.claim_handoff("no-such-token")
        assert unknown.value.code == "handoff_not_found"
    with pytest.raises(errors.NotFound) as missing:
        wang_fang.handoff("pay-bill")
    assert missing.value.code == "draft_not_found"
