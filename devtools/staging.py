"""Put the kiosk on each of its screens in a realistic state, for the audit and screenshots.

Runs the real window against an embedded mock API with the demo data; every screen is
reached through the kiosk's own operations, so what is audited is what customers see.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEventLoop
from PySide6.QtWidgets import QApplication

from client import errors, models, resume
from client.api import PaymentApi
from client.credentials import CredentialStore
from client.kiosk import Kiosk
from client.settings import KioskSettings
from client.staff import StaffDesk
from client.voice import Speaker
from emvqr import PaymentCode, encode
from mock_api.config import ORDINARY_MOMENT, Clock
from mock_api.seed import DEMO_CUSTOMERS, DEMO_STAFF
from mock_api.server import EmbeddedServer
from ui.main_window import MainWindow

_WANG_FANG = next(customer for customer in DEMO_CUSTOMERS if customer.id == "cus_wangfang")
WANG_FANG = (_WANG_FANG.card, _WANG_FANG.pin)  # the demo customer every stage signs in as
LI_NA = next((staff.number, staff.pin) for staff in DEMO_STAFF if staff.id == "stf_lina")  # at the console
_LI_MEI = next(customer for customer in DEMO_CUSTOMERS if customer.id == "cus_limei")
LI_MEI = (_LI_MEI.card, _LI_MEI.pin)  # pays Wang Fang's QR code from her banking app
KIOSK_SIZE = (1280, 1024)  # a common kiosk screen; screenshots and the audit use it
LI_MEI_PAYEE = "payee_wf_limei"
ZHANG_WEI_PAYEE = "payee_wf_zhangwei"
WANG_QIANG_PAYEE = "payee_wf_wangqiang"


@dataclass(frozen=True)
class Stage:
    name: str  # file and report name; usually the screen id
    screen_id: str
    prepare: Callable[[MainWindow], None]


def settle(window: MainWindow, timeout_ms: int = 10_000) -> None:
    """Let queued work finish: pending API calls, layout, deferred deletes."""
    deadline = QDeadlineTimer(timeout_ms)
    while window.bridge.busy and not deadline.hasExpired():
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    for _ in range(3):
        QCoreApplication.processEvents()
    window.fit_screen()  # the parts of a long screen, for the room it has now
    QCoreApplication.processEvents()


def meet_at_this_size(window: MainWindow) -> None:
    """The screen as a customer meets it at the window's present size: from its first part, with
    "Next part" focused when the main control is further on (stages are prepared at 1280x1024)."""
    focused = QApplication.focusWidget()
    screen = window.current
    if focused is not None and not (screen.isAncestorOf(focused) or window.pager.bar.isAncestorOf(focused)):
        return  # something covers the screen (the inactivity warning): it keeps the focus
    focus = window.pager.arrive(screen.first_focus())
    if focus is not None:
        window.focus_quietly(focus)
    settle(window)


def _signed_in(window: MainWindow) -> Kiosk:
    window.help_call.visit_ended()  # each stage starts with no call for staff under way
    kiosk = window.kiosk
    if kiosk.visit is None:
        kiosk.start_visit(kiosk.sign_in(*WANG_FANG))
    window.history.clear()
    return kiosk


def _payee(kiosk: Kiosk, payee_id: str):  # type: ignore[no-untyped-def]
    assert kiosk.visit is not None
    return next(p for p in kiosk.visit.payees if p.id == payee_id)


def _pay(kiosk: Kiosk) -> models.Payment:
    """Pay the draft under review, here and now (the kiosk's UI runs this off the GUI thread)."""
    return kiosk.apply(kiosk.pay(kiosk.payment_order()))


def _signed_out(window: MainWindow) -> None:
    window.help_call.visit_ended()
    if window.kiosk.visit is not None:
        window.end_visit("signed_out")
        settle(window)


def _go(screen_id: str, **params: object) -> Callable[[MainWindow], None]:
    def prepare(window: MainWindow) -> None:
        _signed_in(window)
        window.go(screen_id, remember=False, **params)

    return prepare


def _go_signed_out(screen_id: str, **params: object) -> Callable[[MainWindow], None]:
    def prepare(window: MainWindow) -> None:
        _signed_out(window)
        window.go(screen_id, remember=False, **params)

    return prepare


def _amount(window: MainWindow) -> None:
    kiosk = _signed_in(window)
    kiosk.start_send(_payee(kiosk, LI_MEI_PAYEE))
    window.go("amount", remember=False)
    window.screens["amount"].amount.setText("200")


def _add_payee(window: MainWindow) -> None:
    _signed_in(window)
    window.go("add_payee", remember=False)
    screen = window.screens["add_payee"]
    screen.account.setText("6222030000001002")
    screen.name.setText("Liu Fan")
    screen.check()  # asks the bank as the customer would (settle waits for the answer)


def _add_payee_check_again(window: MainWindow) -> None:
    """The bank refused to save: the name check was too old. The result goes; "check again" shows."""
    _add_payee(window)
    settle(window)
    refusal = errors.ApiError("name_check_expired", "too old", status=400, error_type="invalid_request")
    window.screens["add_payee"].refused(refusal)


def _add_payee_name(window: MainWindow) -> None:
    """A name half typed on the on-screen keyboard: 李 chosen, "mei" waiting for its character."""
    _signed_in(window)
    window.go("add_payee", remember=False)
    screen = window.screens["add_payee"]
    screen.account.setText("6217000000000201")
    keyboard = screen.keyboard
    keyboard.clear()
    screen.name.setText("李" if keyboard.composer.script is not None else "Li ")
    for letter in "mei":
        keyboard.press(letter)
    (keyboard.candidates[0] if keyboard.composer.composing else keyboard.letters["i"]).setFocus()


def _bill_found(window: MainWindow) -> None:
    kiosk = _signed_in(window)
    assert kiosk.visit is not None
    biller = next(b for b in kiosk.visit.billers if b.category == "electricity")
    kiosk.start_bill(biller)
    kiosk.apply(kiosk.lookup_bill(biller, "1234567890"))
    window.go("bill_found", remember=False)


def _review(window: MainWindow) -> None:
    kiosk = _signed_in(window)
    kiosk.start_send(_payee(kiosk, LI_MEI_PAYEE))
    kiosk.set_amount(20_000)
    window.go("review", remember=False)


# A shop's payment code at another bank (Zhang Wei's account), as the kiosk's scanner reads it.
SCANNED_CODE = PaymentCode("6222030000001001", "ZHANG WEI", "张伟", amount_minor=8_800, reference="INV 42")


def _review_scanned(window: MainWindow) -> None:
    """The review of a scanned payment code: who (with the account's last digits) and how much."""
    kiosk = _signed_in(window)
    scan = kiosk.read_code(encode(SCANNED_CODE))
    assert not isinstance(scan, str), scan
    window.go(kiosk.start_scan(scan).screen_id, remember=False)


def _home_scan_refused(window: MainWindow) -> None:
    """A damaged code scanned on Home: what happened, that nothing was paid, what to do."""
    _signed_in(window)
    window.go("home", remember=False)
    payload = encode(SCANNED_CODE)
    window.screens["home"].scanned(payload[:-1] + ("0" if payload[-1] != "0" else "1"))


def _help_during_a_task(window: MainWindow) -> None:
    """Help over the review: "Carry on on my phone" is offered."""
    _review(window)
    window.go("help", about="review")


def _calling_staff(answer: str) -> Callable[[MainWindow], None]:
    """Call staff from the amount step, with Li Na at the staff console: ``answer`` is what the kiosk
    has heard back (waiting, coming), or no_staff (nobody at a console), or question (the customer
    pressed "I don't need help any more" and is asked again). On ``back``: back on the amount step
    while Li Na comes (the Call staff button says so)."""

    def prepare(window: MainWindow) -> None:
        _amount(window)
        desk = StaffDesk(PaymentApi(window.kiosk.api.base_url))
        if answer != "no_staff":
            desk.sign_in(*LI_NA)
        window.call_staff()
        settle(window)
        if answer in ("coming", "back"):
            request = desk.queue()[0]
            desk.answer(request.id)
            window.help_call._ask_bank()
            settle(window)
        if answer == "back":
            window.back()
        if answer == "question":
            window.screens["staff"].done.click()
        window.help_call.poll_timer.stop()  # the picture stays as it is: nobody answers meanwhile
        if desk.signed_in:
            desk.sign_out()
        desk.api.close()

    return prepare


def _handoff(window: MainWindow) -> None:
    """The code that carries the review on to the customer's phone."""
    _review(window)
    window.go("help", about="review")
    window.hand_off()


def _risk(window: MainWindow) -> None:
    kiosk = _signed_in(window)
    kiosk.start_send(_payee(kiosk, ZHANG_WEI_PAYEE))
    kiosk.set_amount(600_000)
    payment = _pay(kiosk)
    window.go("risk", remember=False, payment=payment)


def _risk_code(window: MainWindow) -> None:
    kiosk = _signed_in(window)
    kiosk.start_send(_payee(kiosk, LI_MEI_PAYEE))
    kiosk.set_amount(4_500_000)
    payment = _pay(kiosk)
    key = kiosk.action_key(payment.id, "purpose", "rent")
    window.go("risk", remember=False, payment=kiosk.apply(kiosk.answer_purpose(payment.id, "rent", key=key)))
    screen = window.screens["risk"]
    screen.understand.click()  # the warning's deliberate second step ...
    screen.go_on()  # ... then on to the code
    screen.read_phone()
    settle(window)


def _result(window: MainWindow) -> None:
    kiosk = _signed_in(window)
    kiosk.start_send(_payee(kiosk, LI_MEI_PAYEE))
    kiosk.set_amount(12_300 + len(window.history))
    window.go("result", remember=False, payment=_pay(kiosk))


def _receipt(window: MainWindow) -> None:
    kiosk = _signed_in(window)
    assert kiosk.visit is not None
    payment = kiosk.visit.last_payment
    if payment is None or payment.status != "completed":
        kiosk.start_send(_payee(kiosk, LI_MEI_PAYEE))
        kiosk.set_amount(9_900)
        payment = _pay(kiosk)
    window.go("receipt", remember=False, receipt=kiosk.receipt(payment.id))


def _risk_prompt(payee_id: str, amount_minor: int, purpose: str | None = None) -> Callable[[MainWindow], None]:
    """A payment that needs the safety check, shown at its explanation (purpose answered)."""

    def prepare(window: MainWindow) -> None:
        kiosk = _signed_in(window)
        kiosk.api.advance_clock(11 * 60)  # out of the rapid-repeat window of the stages before
        kiosk.start_send(_payee(kiosk, payee_id))
        kiosk.set_amount(amount_minor)
        payment = _pay(kiosk)
        window.go("risk", remember=False, payment=payment)
        if purpose is not None:  # answered at the bank, then shown as the check shows an answer taken
            key = kiosk.action_key(payment.id, "purpose", purpose)
            window.screens["risk"].purpose_taken(
                kiosk.apply(kiosk.answer_purpose(payment.id, purpose, key=key)), purpose
            )

    return prepare


def _stop(code: str) -> Callable[[MainWindow], None]:
    return _go("stop", code=code)


def _name_check(account: str, name: str) -> Callable[[MainWindow], None]:
    def prepare(window: MainWindow) -> None:
        _signed_in(window)
        window.go("add_payee", remember=False)
        screen = window.screens["add_payee"]
        screen.account.setText(account)
        screen.name.setText(name)
        screen.check()

    return prepare


def _receive_amount(window: MainWindow) -> None:
    _signed_in(window)
    window.go("receive_amount", remember=False)
    window.screens["receive_amount"].amount.setText("88")


def _receive_code(amount_minor: int | None) -> Callable[[MainWindow], None]:
    def prepare(window: MainWindow) -> None:
        _signed_in(window)
        window.go("receive_code", remember=False, amount_minor=amount_minor)
        settle(window)
        screen = window.screens["receive_code"]
        request = screen.request
        if request is not None and request.expires_at is None:
            # A bank that gives codes an end time: the line it adds, so the layout is checked with it.
            screen.request = request.model_copy(update={"expires_at": request.created_at + timedelta(minutes=15)})
            screen.refresh()

    return prepare


def _resume(outcome: resume.Outcome) -> Callable[[MainWindow], None]:
    """The offer at sign-in: 500.00 to Li Mei left at the review (``not_sent``), or sent before the
    kiosk stopped and ``made`` (really paid here) or ``not_made``."""

    def prepare(window: MainWindow) -> None:
        kiosk = _signed_in(window)
        progress = resume.Progress("send", "review", payee_id=LI_MEI_PAYEE, amount_minor=50_000, payment_key="k")
        payment = None
        if outcome == "made":
            kiosk.start_send(_payee(kiosk, LI_MEI_PAYEE))
            kiosk.set_amount(50_000)
            payment = _pay(kiosk)
        assert kiosk.visit is not None
        kiosk.visit.offer = resume.Offer(progress, outcome, payment)
        window.go("resume", remember=False)

    return prepare


def _receive_answered(outcome: str) -> Callable[[MainWindow], None]:
    """The code paid by Li Mei's banking app ("arrived"), or cancelled elsewhere ("closed")."""

    def prepare(window: MainWindow) -> None:
        _receive_code(8_800)(window)
        screen = window.screens["receive_code"]
        request = screen.request
        assert request is not None
        if outcome == "closed":
            window.kiosk.api.cancel_payment_request(request.id)
        else:
            _pay_request_as_li_mei(window, request.id, 8_800)
        screen.poll()
        settle(window)

    return prepare


def _receive_failed(window: MainWindow) -> None:
    """The bank did not answer when the code was asked for."""
    _signed_in(window)
    window.kiosk.api.set_faults(error_rate=1.0)
    try:
        window.go("receive_code", remember=False, amount_minor=8_800)
        settle(window)
    finally:
        window.kiosk.api.set_faults()


def _pay_request_as_li_mei(window: MainWindow, request_id: str, amount_minor: int) -> None:
    payer = PaymentApi(window.kiosk.api.base_url)
    try:
        payer.use_kiosk(window.kiosk.credentials.load())  # type: ignore[arg-type]
        payer.sign_in(*LI_MEI)
        account = payer.accounts()[0].id
        payment = payer.create_payment(
            from_account_id=account, amount_minor=amount_minor, payment_request_id=request_id
        )
        if payment.needs_action:
            answers: dict[str, bool] = {}
            if "purpose" in payment.risk.requires:
                payment = payer.answer_purpose(payment.id, "family_friends")
                while payment.risk.follow_up and payment.risk.follow_up not in answers:
                    answers[payment.risk.follow_up] = False
                    payment = payer.answer_purpose(payment.id, "family_friends", answers=answers)
            payer.confirm_payment(payment.id, acknowledged=True, purpose="family_friends")
        payer.sign_out()
    finally:
        payer.close()


def _questionnaire(questions: tuple[str, ...], answered: int = 0) -> Callable[[MainWindow], None]:
    """The questions of a usability session, ``answered`` of them already answered (with 3s)."""

    def prepare(window: MainWindow) -> None:
        _signed_out(window)
        window.go("questionnaire", remember=False, questions=questions)
        screen = window.screens["questionnaire"]
        for _ in range(answered):
            screen.points[3].click()

    return prepare


def _idle_warning(window: MainWindow) -> None:
    _signed_in(window)
    window.go("home", remember=False)
    window._warn_idle()
    window.countdown_timer.stop()


STAGES: tuple[Stage, ...] = (
    Stage("welcome", "welcome", _go_signed_out("welcome")),
    Stage("card", "card", _go_signed_out("card")),
    Stage("pin", "pin", _go_signed_out("pin", card_number=WANG_FANG[0])),
    Stage("home", "home", _go("home")),
    Stage("balance", "balance", _go("balance")),
    Stage("send_payee", "send_payee", _go("send_payee")),
    Stage("add_payee", "add_payee", _add_payee),
    Stage("add_payee_name", "add_payee", _add_payee_name),
    Stage("add_payee_check_again", "add_payee", _add_payee_check_again),
    Stage("amount", "amount", _amount),
    Stage("review", "review", _review),
    Stage("risk", "risk", _risk),
    Stage("risk_code", "risk", _risk_code),
    Stage("result", "result", _result),
    # The bank stopped the payment for its codes: the longest result, with what to do next.
    Stage("result_code_limit", "result", _go("result", cancelled_by_code="verification_resend_limit")),
    Stage("receipt", "receipt", _receipt),
    Stage("bill_biller", "bill_biller", _go("bill_biller")),
    Stage("bill_number", "bill_number", _go("bill_number")),
    Stage("bill_found", "bill_found", _bill_found),
    Stage("history", "history", _go("history")),
    Stage("help", "help", _go("help", about="review")),
    Stage("help_task", "help", _help_during_a_task),
    Stage("review_scanned", "review", _review_scanned),
    Stage("home_scan_refused", "home", _home_scan_refused),
    Stage("handoff", "handoff", _handoff),
    Stage("staff", "staff", _calling_staff("waiting")),
    Stage("staff_coming", "staff", _calling_staff("coming")),
    Stage("staff_no_staff", "staff", _calling_staff("no_staff")),
    Stage("staff_stop_question", "staff", _calling_staff("question")),
    Stage("amount_staff_coming", "amount", _calling_staff("back")),
    Stage("idle_warning", "home", _idle_warning),
    Stage("goodbye", "goodbye", _go_signed_out("goodbye")),
    Stage("goodbye_kept", "goodbye", _go_signed_out("goodbye", unfinished=True)),
    Stage("resume", "resume", _resume("not_sent")),
    Stage("resume_not_made", "resume", _resume("not_made")),
    Stage("resume_made", "resume", _resume("made")),
    # Receive money by QR (issue 14).
    Stage("receive_amount", "receive_amount", _receive_amount),
    Stage("receive_code", "receive_code", _receive_code(8_800)),
    Stage("receive_code_any", "receive_code", _receive_code(None)),
    Stage("receive_arrived", "receive_code", _receive_answered("arrived")),
    Stage("receive_closed", "receive_code", _receive_answered("closed")),
    Stage("receive_failed", "receive_code", _receive_failed),
    # Every security prompt (issue 5): the safety check for each reason, the stops, name checks, events.
    Stage("security-new_payee", "risk", _risk_prompt(ZHANG_WEI_PAYEE, 5_000, "rent")),
    Stage("security-large_amount", "risk", _risk_prompt(WANG_QIANG_PAYEE, 500_000, "rent")),
    Stage("security-verification_code", "risk", _risk_prompt(WANG_QIANG_PAYEE, 2_000_000, "rent")),
    Stage("security-very_large_amount", "risk", _risk_prompt(LI_MEI_PAYEE, 5_000_001, "rent")),
    Stage("security-unusual_time", "risk", _risk_prompt(LI_MEI_PAYEE, 30_303)),
    Stage("security-payee_reported_scam", "stop", _stop("payee_reported_scam")),
    Stage("security-purpose_safe_account", "stop", _stop("purpose_safe_account")),
    Stage("security-purpose_prize_or_refund", "stop", _stop("purpose_prize_or_refund")),
    Stage("security-purpose_investment", "stop", _stop("purpose_investment")),
    Stage("security-name_close_match", "add_payee", _name_check("6222030000001002", "Liu Fan")),
    Stage("security-name_no_match", "add_payee", _name_check("6222030000001001", "Li Na")),
    Stage("security-name_unavailable", "add_payee", _name_check("9999000011112222", "Chen Hua")),
    Stage("security-card_locked", "card_kept", _go_signed_out("card_kept", code="card_locked")),
    Stage("security-account_frozen", "card_kept", _go_signed_out("card_kept", code="account_frozen")),
    Stage("security-signed_out_inactivity", "welcome", _go_signed_out("welcome", reason="timed_out")),
    Stage("timed_out_kept", "welcome", _go_signed_out("welcome", reason="timed_out", unfinished=True)),
    # The questionnaires of a usability session (issue 16): SEQ; SUS at its longest item; NPS's 11 points.
    Stage("questionnaire_seq", "questionnaire", _questionnaire(("seq",))),
    Stage("questionnaire_sus", "questionnaire", _questionnaire(("sus", "nps", "csat"), answered=3)),
    Stage("questionnaire_nps", "questionnaire", _questionnaire(("sus", "nps", "csat"), answered=10)),
)


@contextmanager
def staged_kiosk(settings: KioskSettings | None = None, speaker: Speaker | None = None) -> Iterator[MainWindow]:
    """A real window over a fresh embedded mock API; closed and cleaned up afterwards."""
    with tempfile.TemporaryDirectory(prefix="calmpay-stage-") as folder:
        # The same bank time on every run: the screens (dates, held payments, risk) look the same at any hour.
        server = EmbeddedServer(Path(folder) / "bank.sqlite3", clock=Clock(start=ORDINARY_MOMENT)).start()
        api = PaymentApi(server.url)
        kiosk = Kiosk(api, CredentialStore(server.url, use_keyring=False), "staging kiosk")
        kiosk.ensure_registered()
        window = MainWindow(kiosk, settings or KioskSettings(idle_seconds=3600), speaker=speaker)
        window.show()
        try:
            yield window
        finally:
            close_window(window)
            api.close()
            server.stop()


def close_window(window: MainWindow) -> None:
    """Stop the window's timers, let its bank calls finish, and close it (freed by Qt later)."""
    window.idle_timer.stop()
    window.countdown_timer.stop()
    window.bridge.wait_for_done(5000)
    window.close()
    window.deleteLater()


def show_stage(window: MainWindow, stage: Stage, *, elder: bool, language: str) -> None:
    """Put ``window`` on ``stage`` in the given mode and language, settled and ready to inspect."""
    if window.idle_panel.isVisible():
        window.extend_time()
    for _ in range(2):  # preparing may sign out, which resets language and mode: then prepare again
        if window.t.language != language:
            window.set_language(language)
        if window.theme.elder != elder:
            window.set_elder_mode(elder)
        stage.prepare(window)
        settle(window)
        if window.t.language == language and window.theme.elder == elder:
            break
    window.retranslate()
    window.resize(*KIOSK_SIZE)  # a warning panel may have grown the window; a kiosk screen cannot grow
    settle(window)
