"""The kiosk's blocking operations only fetch; the visit changes when their result is applied
(on the GUI thread, in the app). Real mock API over HTTP, no Qt."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from client import errors, models
from client.api import PaymentApi
from client.credentials import CredentialStore
from client.kiosk import Kiosk, PaymentUpdated
from mock_api.server import EmbeddedServer
from tests.demo import WANG_FANG

LI_MEI = "payee_wf_limei"


@pytest.fixture
def kiosk(api_server: EmbeddedServer) -> Iterator[Kiosk]:
    api = PaymentApi(api_server.url, backoff_seconds=0.01)
    kiosk = Kiosk(api, CredentialStore(api_server.url), "test kiosk")
    kiosk.ensure_registered()
    yield kiosk
    api.close()


def test_sign_in_makes_a_visit_that_is_the_kiosks_only_once_started(kiosk: Kiosk) -> None:
    visit = kiosk.sign_in(WANG_FANG.number, WANG_FANG.pin)
    assert kiosk.visit is None
    kiosk.start_visit(visit)
    assert kiosk.visit is visit and visit.customer.name


def test_paying_fetches_first_and_changes_the_visit_only_when_applied(kiosk: Kiosk) -> None:
    kiosk.start_visit(kiosk.sign_in(WANG_FANG.number, WANG_FANG.pin))
    visit = kiosk.visit
    assert visit is not None
    kiosk.start_send(next(p for p in visit.payees if p.id == LI_MEI))
    kiosk.set_amount(20_000)
    balance, draft = visit.main_account.balance_minor, visit.send
    change = kiosk.pay(kiosk.payment_order())
    assert isinstance(change, PaymentUpdated) and change.payment.status == "completed"
    # Nothing of the visit changed on the way (in the app, this runs on a worker thread).
    assert visit.last_payment is None and visit.send is draft and visit.main_account.balance_minor == balance
    payment = kiosk.apply(change)
    assert visit.last_payment == payment
    assert visit.main_account.balance_minor == balance - 20_000
    assert visit.send.payee is None and visit.send.amount_minor is None  # a fresh draft


def test_a_bill_found_keeps_its_drafts_key_when_applied(kiosk: Kiosk) -> None:
    kiosk.start_visit(kiosk.sign_in(WANG_FANG.number, WANG_FANG.pin))
    visit = kiosk.visit
    assert visit is not None
    biller = next(b for b in visit.billers if b.category == "electricity")
    key = kiosk.start_bill(biller).idempotency_key
    found = kiosk.lookup_bill(biller, "1234567890")
    assert visit.bill.bill is None
    bill = kiosk.apply(found)
    assert visit.bill.bill == bill and visit.bill.customer_number == "1234567890"
    assert visit.bill.idempotency_key == key


def test_ending_a_visit_forgets_it_at_once_and_hands_back_the_token_to_end(kiosk: Kiosk) -> None:
    kiosk.start_visit(kiosk.sign_in(WANG_FANG.number, WANG_FANG.pin))
    token = kiosk.end_visit()
    assert kiosk.visit is None and token is not None
    kiosk.sign_out(token)
    assert not kiosk.api.signed_in


ZHANG_WEI = "payee_wf_zhangwei"
WANG_QIANG = "payee_wf_wangqiang"


@pytest.fixture
def no_retry_kiosk(api_server: EmbeddedServer) -> Iterator[Kiosk]:
    """A kiosk whose client gives up at the first lost answer, as a customer would see it."""
    api = PaymentApi(api_server.url, retries=0)
    kiosk = Kiosk(api, CredentialStore(api_server.url), "test kiosk")
    kiosk.ensure_registered()
    kiosk.start_visit(kiosk.sign_in(WANG_FANG.number, WANG_FANG.pin))
    yield kiosk
    api.close()


def payment_to(kiosk: Kiosk, payee_id: str, amount_minor: int) -> models.Payment:
    visit = kiosk.visit
    assert visit is not None
    kiosk.start_send(next(p for p in visit.payees if p.id == payee_id))
    kiosk.set_amount(amount_minor)
    payment = kiosk.apply(kiosk.pay(kiosk.payment_order()))
    assert payment.status == "requires_action", payment
    return payment


def balance(kiosk: Kiosk) -> int:
    return kiosk.api.accounts()[0].balance_minor


def test_the_same_press_gets_the_same_key_and_other_answers_another(no_retry_kiosk: Kiosk) -> None:
    kiosk = no_retry_kiosk
    first = kiosk.action_key("pay_1", "confirm", True, None, None)
    assert kiosk.action_key("pay_1", "confirm", True, None, None) == first
    assert kiosk.action_key("pay_1", "confirm", True, None, "123456") != first  # another code
    assert kiosk.action_key("pay_1", "cancel") != first
    assert kiosk.action_key("pay_1", "cancel") == kiosk.action_key("pay_1", "cancel")
    assert kiosk.action_key("pay_2", "cancel") != kiosk.action_key("pay_1", "cancel")


def test_pressing_confirm_again_after_a_lost_answer_replays_it_and_pays_once(no_retry_kiosk: Kiosk) -> None:
    kiosk = no_retry_kiosk
    payment = payment_to(kiosk, LI_MEI, 30_303)  # an unusual time: confirm to go on
    before = balance(kiosk)
    kiosk.api.set_faults(drop_next_responses=1)
    with pytest.raises(errors.ConnectionLost):  # paid on the bank's side, but the answer is lost
        kiosk.confirm(payment.id, acknowledged=True, key=kiosk.action_key(payment.id, "confirm", True, None, None))
    again = kiosk.confirm(payment.id, acknowledged=True, key=kiosk.action_key(payment.id, "confirm", True, None, None))
    assert again.payment.status == "completed"  # the same answer, replayed
    assert balance(kiosk) == before - 30_303  # paid exactly once


def test_pressing_cancel_again_after_a_lost_answer_replays_it_and_refunds_once(no_retry_kiosk: Kiosk) -> None:
    kiosk = no_retry_kiosk
    before = balance(kiosk)
    payment = payment_to(kiosk, ZHANG_WEI, 150_000)  # a new payee: held for a cooling-off time
    key = kiosk.action_key(payment.id, "confirm", True, "rent", None)
    held = kiosk.apply(kiosk.confirm(payment.id, acknowledged=True, purpose="rent", key=key))
    assert held.status == "held" and balance(kiosk) == before - 150_000
    kiosk.api.set_faults(drop_next_responses=1)
    with pytest.raises(errors.ConnectionLost):
        kiosk.cancel(payment.id, key=kiosk.action_key(payment.id, "cancel"))
    again = kiosk.cancel(payment.id, key=kiosk.action_key(payment.id, "cancel"))
    assert again.payment.status == "cancelled"
    assert balance(kiosk) == before  # the money came back exactly once


def test_the_bank_judges_the_answer_to_what_the_payment_is_for(no_retry_kiosk: Kiosk) -> None:
    kiosk = no_retry_kiosk
    before = balance(kiosk)
    payment = payment_to(kiosk, ZHANG_WEI, 10_000)  # a new payee: what is it for?
    assert "purpose" in payment.risk.requires
    change = kiosk.answer_purpose(payment.id, "rent", key=kiosk.action_key(payment.id, "purpose", "rent"))
    assert isinstance(change, PaymentUpdated)
    answered = kiosk.apply(change)
    assert answered.status == "requires_action" and answered.purpose == "rent"
    assert "purpose" not in answered.risk.requires and "acknowledge" in answered.risk.requires
    assert balance(kiosk) == before  # an answer pays nothing

    scam = payment_to(kiosk, ZHANG_WEI, 10_001)
    with pytest.raises(errors.PaymentBlocked) as blocked:
        kiosk.answer_purpose(scam.id, "prize_or_refund", key=kiosk.action_key(scam.id, "purpose", "prize_or_refund"))
    assert blocked.value.reasons == ["purpose_scam_script"]
    assert kiosk.api.payment(scam.id).status == "blocked"
    assert balance(kiosk) == before


def test_the_bank_asks_a_follow_up_and_stops_the_coached_answer(no_retry_kiosk: Kiosk) -> None:
    kiosk = no_retry_kiosk
    before = balance(kiosk)
    payment = payment_to(kiosk, ZHANG_WEI, 10_000)
    asked = kiosk.apply(kiosk.answer_purpose(payment.id, "own_account", key=kiosk.action_key(payment.id, "p", 1)))
    assert asked.risk.follow_up == "someone_asked" and "purpose" in asked.risk.requires
    with pytest.raises(errors.PaymentBlocked) as blocked:
        kiosk.answer_purpose(
            payment.id, "own_account", answers={"someone_asked": True}, key=kiosk.action_key(payment.id, "p", 2)
        )
    assert blocked.value.details["script"] == "safe_account"
    assert kiosk.api.payment(payment.id).status == "blocked"
    assert balance(kiosk) == before


def test_the_code_can_be_sent_again(no_retry_kiosk: Kiosk) -> None:
    kiosk = no_retry_kiosk
    payment = payment_to(kiosk, WANG_QIANG, 2_000_000)  # large: a code to the phone
    texts = len(kiosk.api.phone_messages())
    again = kiosk.apply(kiosk.resend_code(payment.id, key=kiosk.action_key(payment.id, "resend", 0)))
    assert again.status == "requires_action" and "verification_code" in again.risk.requires
    assert len(kiosk.api.phone_messages()) == texts + 1  # a new code, in a new text


def test_pressing_an_answer_again_after_a_lost_answer_replays_it(no_retry_kiosk: Kiosk) -> None:
    kiosk = no_retry_kiosk
    payment = payment_to(kiosk, ZHANG_WEI, 10_000)
    kiosk.api.set_faults(drop_next_responses=1)
    with pytest.raises(errors.ConnectionLost):  # taken on the bank's side, but the answer is lost
        kiosk.answer_purpose(payment.id, "rent", key=kiosk.action_key(payment.id, "purpose", "rent"))
    again = kiosk.answer_purpose(payment.id, "rent", key=kiosk.action_key(payment.id, "purpose", "rent"))
    assert again.payment.purpose == "rent" and "purpose" not in again.payment.risk.requires


def test_a_kept_card_is_refused_before_any_pin_is_sent(kiosk: Kiosk) -> None:
    card, pin = WANG_FANG.number, WANG_FANG.pin
    for _ in range(3):
        with pytest.raises((errors.PinIncorrect, errors.CardLocked)) as refused:
            kiosk.sign_in(card, "9999")
    kiosk.keep_card(card, refused.value)
    assert kiosk.why_kept(card) == "card_locked"
    for _ in range(3):  # the bank would pause the account after two; nothing reaches it
        with pytest.raises(errors.CardLocked):
            kiosk.sign_in(card, pin)
    wrong = errors.from_envelope(401, {"error": {"code": "pin_incorrect", "type": "authentication_error"}})
    kiosk.keep_card("6222020000000002", wrong)  # a wrong PIN keeps nothing
    assert kiosk.why_kept("6222020000000002") is None


def test_a_change_to_the_shortcuts_shows_at_once_and_the_last_one_can_be_undone(kiosk: Kiosk) -> None:
    kiosk.start_visit(kiosk.sign_in(WANG_FANG.number, WANG_FANG.pin))
    visit = kiosk.visit
    assert visit is not None and visit.layout is not None and len(visit.layout.shortcuts) >= 2
    before_layout, before_preferences = visit.layout, visit.preferences
    first, second = visit.layout.shortcuts[:2]
    kiosk.pin(second)
    assert visit.layout.shortcuts[1].pinned and visit.layout.shortcuts[1].item == second.item  # at once, in place
    kiosk.remove_shortcut(first)
    assert first.item not in [s.item for s in visit.layout.shortcuts]
    edit = kiosk.undo_shortcut_edit()  # the last change only: the removal
    assert edit is not None and edit.action == "removed" and edit.shortcuts == (first,)
    assert [s.item for s in visit.layout.shortcuts][:2] == [first.item, second.item]
    assert visit.layout.shortcuts[1].pinned and second.item in visit.preferences.pinned  # the pin stays
    assert kiosk.undo_shortcut_edit() is None  # one step back, no further
    kiosk.remove_shortcut(first)
    restore = kiosk.restore_shortcuts()  # brought back at once, where it fits
    assert first.item not in restore.removed and first.item in [s.item for s in visit.layout.shortcuts]
    assert visit.last_edit is not None and visit.last_edit.action == "brought_back"
    kiosk.keep_shortcut_edits()  # the customer moved on: no Undo any more
    assert kiosk.undo_shortcut_edit() is None
    assert visit.layout.shortcuts[-1].item == first.item  # after the others: nothing there moved
    assert before_layout.shortcuts[0] == first and before_preferences.removed == ()  # the visit began so
