"""What the kiosk says, checked with the recording speaker: on entry, on focus, on error, on
result, in every language; never a PIN; amounts only on request; interruption and reset."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from client.i18n import LANGUAGES
from client.voice import DEFAULT_RATE, DEFAULT_VOLUME
from devtools.staging import STAGES, settle, staged_kiosk
from tests.demo import WANG_FANG
from tests.e2e.conftest import KioskDriver
from tests.fakes import RecordingSpeaker
from ui.main_window import MainWindow

LI_MEI = "payee_wf_limei"


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_every_screen_speaks_on_entry_focus_and_error(qtbot: QtBot, language: str) -> None:
    speaker = RecordingSpeaker()
    with staged_kiosk(speaker=speaker) as window:
        window.settings = replace(window.settings, default_language=language)
        window.set_language(language)
        for stage in STAGES:
            speaker.clear()
            stage.prepare(window)
            settle(window)
            screen = window.current
            said = [squash(u.text) for u in speaker.utterances if u.language == language]
            # On entry: the title and the one-line instruction, in the screen's language.
            title, instruction = squash(screen.title_text()), squash(screen.instruction_text())
            if screen.screen_id in ("risk", "stop", "card_kept"):
                # Security prompts say the catalog's full warning, as a safety utterance.
                text, priority = screen.entry_speech()
                assert priority == "safety" and squash(text) in said, (stage.name, said)
            elif stage.name != "idle_warning":
                assert any(title in text and instruction in text for text in said), (stage.name, said)
            if stage.name == "result":
                assert any(squash(screen.spoken_sentence()) in text for text in said), said  # type: ignore[attr-defined]
            # On focus change: what now has the focus.
            focused = QApplication.focusWidget()
            assert focused is not None, stage.name
            speaker.clear()
            QTest.keyClick(focused, Qt.Key.Key_Tab)
            now = QApplication.focusWidget()
            assert now is not None and now is not focused, stage.name
            assert speaker.texts and squash(speaker.texts[-1]) == squash(MainWindow.spoken_name(now)), stage.name
            # On error: the plain-language sentence.
            problem = window.t("error.service_unavailable")
            screen.show_error(problem)
            assert squash(speaker.texts[-1]) == squash(problem)
            screen.hide_error()
            assert all(WANG_FANG.pin not in text and WANG_FANG.number not in text for text in speaker.texts)


def test_the_pin_is_never_spoken_only_how_many_digits(driver: KioskDriver) -> None:
    driver.wait_for("welcome")
    driver.activate("welcomeStart")
    driver.wait_for("card")
    driver.activate("demoCard_0001")
    driver.wait_for("pin")
    driver.type("1234")
    assert "4 digits entered" in driver.speaker.texts
    driver.enter()
    driver.wait_for("home")
    spoken = " ".join(driver.speaker.texts)
    assert "1234" not in spoken and "1 2 3 4" not in spoken and "one two three four" not in spoken.lower()


def go_to_review(driver: KioskDriver, amount: str = "200") -> None:
    driver.sign_in()
    driver.activate("tile_send_payee")
    driver.wait_for("send_payee")
    driver.activate(f"payee_{LI_MEI}")
    driver.wait_for("amount")
    driver.type(amount)
    driver.enter()
    driver.wait_for("review")


def test_amounts_are_spoken_only_after_the_customer_asks(driver: KioskDriver) -> None:
    go_to_review(driver)
    assert not any("200" in t or "two hundred" in t for t in driver.speaker.texts)
    assert driver.speaker.texts[-1].startswith("Check and pay")
    driver.key(Qt.Key.Key_Escape, 3)  # back to home: review -> amount -> person -> home
    driver.wait_for("home")
    driver.activate("tile_balance")
    driver.wait_for("balance")
    before = len(driver.speaker.texts)
    driver.activate("balanceReadAloud")
    read = " ".join(driver.speaker.texts[before:])
    assert "yuan" in read and not any(ch.isdigit() for ch in read.split(":")[-1])  # amounts in words
    assert driver.window.speak_amounts


def go_to_balance(driver: KioskDriver) -> None:
    driver.sign_in()
    driver.activate("tile_balance")
    driver.wait_for("balance")


def test_read_amounts_aloud_is_a_switch_whose_state_is_shown_and_said(driver: KioskDriver) -> None:
    go_to_balance(driver)
    switch = driver.window.screens["balance"].read_aloud
    assert switch.text() == "Read amounts aloud: off" and not switch.isChecked()
    assert switch.accessibleName() == "Read amounts aloud: off"  # the state in words, not by colour alone
    driver.activate("balanceReadAloud")
    assert switch.text() == "Read amounts aloud: on" and switch.isChecked() and driver.window.speak_amounts
    said = driver.speaker.texts[-1]
    assert said.startswith("Read amounts aloud: on. Amounts will be read aloud until you sign out")
    assert "yuan" in said  # and the balance, now
    driver.enter()  # and off again
    assert switch.text() == "Read amounts aloud: off" and not driver.window.speak_amounts
    said = driver.speaker.texts[-1]
    assert said == "Read amounts aloud: off. Amounts will not be read aloud."
    # A screen reader's "toggle" action flips the switch without a click (Qt's accessible toggle
    # calls toggle()): it works the same.
    switch.toggle()
    assert driver.window.speak_amounts and driver.speaker.texts[-1].startswith("Read amounts aloud: on.")
    driver.activate("balanceDone")
    driver.wait_for("home")
    driver.activate("tile_balance")
    driver.wait_for("balance")
    assert switch.text() == "Read amounts aloud: on"  # shown as it is, for the rest of the visit
    driver.window.end_visit("signed_out")
    assert switch.text() == "Read amounts aloud: off" and not switch.isChecked()  # the next customer: off


def test_read_amounts_aloud_with_the_voice_paused_turns_the_voice_on_and_says_so(driver: KioskDriver) -> None:
    go_to_balance(driver)
    driver.activate("voicePause")
    assert driver.speaker.paused
    driver.activate("balanceReadAloud")
    assert not driver.speaker.paused and not driver.window.pause_button.isChecked()
    assert driver.window.pause_button.text() == "Pause"
    said = driver.speaker.texts[-1]
    assert "The voice was paused. It is on again." in said and "yuan" in said


def test_read_amounts_aloud_on_a_kiosk_without_a_voice_says_so_on_the_screen(driver: KioskDriver) -> None:
    driver.speaker.available = False  # no speech engine or speaker on this kiosk
    told: list[str] = []
    driver.window.screen_reader.said.connect(told.append)
    go_to_balance(driver)
    screen = driver.window.screens["balance"]
    driver.activate("balanceReadAloud")
    assert not driver.window.speak_amounts and not screen.read_aloud.isChecked()  # it cannot be on
    assert screen.read_aloud.text() == "Read amounts aloud: off"
    note = "This machine has no voice, so it cannot read amounts aloud."
    assert screen.read_aloud_note.isVisible() and screen.read_aloud_note.accessibleName().startswith(note)
    assert any(text.startswith(note) for text in told)  # a screen reader still says it
    assert driver.focused() is screen.read_aloud


def test_speech_stops_when_the_customer_acts_but_safety_warnings_play_in_full(driver: KioskDriver) -> None:
    driver.sign_in()
    home_prompt = driver.speaker.utterances[-1]
    driver.key(Qt.Key.Key_Tab)
    assert home_prompt.interrupted  # a key press stops the voice
    driver.key(Qt.Key.Key_Escape)
    driver.activate("tile_send_payee")
    driver.wait_for("send_payee")
    driver.activate("payee_payee_wf_zhangwei")  # a new payee: the safety check follows
    driver.wait_for("amount")
    driver.type("50")
    driver.enter()
    driver.wait_for("review")
    driver.enter()
    driver.wait_for("risk")
    question = driver.speaker.utterances[-1]
    assert question.priority == "safety" and "What is this payment for?" in question.text
    driver.activate("purpose_rent")
    driver.qtbot.waitUntil(lambda: not driver.window.bridge.busy, timeout=8000)  # the bank takes the answer
    warning = driver.speaker.utterances[-1]
    assert warning.priority == "safety" and "You have not paid this person before" in warning.text
    driver.key(Qt.Key.Key_Tab)
    driver.key(Qt.Key.Key_Tab)
    assert not warning.interrupted and not question.interrupted  # keys did not cut safety warnings short


def test_repeat_from_the_header_the_keypad_and_f2(driver: KioskDriver) -> None:
    driver.sign_in()
    driver.activate("tile_send_payee")
    driver.wait_for("send_payee")
    driver.activate(f"payee_{LI_MEI}")
    driver.wait_for("amount")
    prompt = driver.window.last_prompt[0]
    driver.speaker.clear()
    driver.window.repeat_button.click()
    driver.window.screens["amount"].keypad.repeat.click()
    driver.key(Qt.Key.Key_F2)
    assert driver.speaker.texts == [prompt, prompt, prompt]
    assert driver.window.repeat_button.isVisible()  # elder mode shows the voice controls


def test_volume_rate_and_choices_reset_for_the_next_customer(driver: KioskDriver) -> None:
    driver.sign_in()
    window = driver.window
    driver.activate("voiceSettings")
    driver.activate("voiceLouder")
    driver.activate("voiceSlower")
    assert driver.speaker.volume > DEFAULT_VOLUME and driver.speaker.rate < DEFAULT_RATE
    window.speak_amounts = True
    driver.activate("voicePause")
    assert driver.speaker.paused
    window.end_visit("signed_out")
    assert (driver.speaker.volume, driver.speaker.rate, driver.speaker.paused) == (DEFAULT_VOLUME, DEFAULT_RATE, False)
    assert not window.speak_amounts and window.volume == DEFAULT_VOLUME and not window.voice_panel.isVisible()


def test_without_an_engine_or_speaker_the_kiosk_says_so_once_and_works(qtbot: QtBot, api_server) -> None:  # type: ignore[no-untyped-def]
    from client.api import PaymentApi
    from client.credentials import CredentialStore
    from client.kiosk import Kiosk
    from client.settings import KioskSettings
    from client.voice.engine import create_speaker

    speaker, reason = create_speaker(player_command=["/nonexistent/player"])
    assert reason and not speaker.available  # the real factory falls back to silence, with a reason
    api = PaymentApi(api_server.url)
    kiosk = Kiosk(api, CredentialStore(api_server.url, use_keyring=False), "silent kiosk")
    kiosk.ensure_registered()
    window = MainWindow(kiosk, KioskSettings(default_language="en"), speaker=speaker, voice_notice=reason)
    qtbot.addWidget(window)
    window.show()
    assert window.notice.isVisible()
    assert "Voice prompts are off on this machine" in window.notice.text()
    kiosk.start_visit(kiosk.sign_in(WANG_FANG.number, WANG_FANG.pin))
    window.go("home")
    assert window.current_id == "home"  # everything else works
    window.bridge.wait_for_done(3000)
    api.close()


def test_nothing_of_a_customer_is_heard_after_they_time_out_on_a_warning_real_voice(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """With the real engine: a customer walks away while the scam warning speaks. The time-out
    silences it at once, safety warning or not, and drops its sentences still to come; the next
    person hears only what the kiosk says after the time-out."""
    from client.voice.engine import EngineSpeaker
    from client.voice.sentences import split_sentences
    from tests.voice.conftest import Events, Players

    players, events = Players(tmp_path), Events()
    speaker = EngineSpeaker(
        player_command=players.gated(), on_started=events.on_started, on_finished=events.on_finished
    )
    assert speaker.available, speaker.reason
    said: list[str] = []
    try:
        with staged_kiosk(speaker=speaker) as window:
            window.announced.connect(said.append)
            window.set_language("en")
            stage = next(stage for stage in STAGES if stage.name == "security-purpose_safe_account")
            stage.prepare(window)  # the purpose question, then the scam warning: both safety
            settle(window)
            warning = squash(window.current.entry_speech()[0])
            events.wait("started", warning)  # its first sentence plays; the stand-in player holds it
            before = len(events.started())
            said.clear()
            window.end_visit("timed_out")
            assert events.wait("finished", warning)[0] is True  # cut at once, safety warning or not
            players.release(20)
            assert speaker.wait_idle(10)
            heard_after = events.started()[before:]
            assert heard_after and all(text in said for text in heard_after), (heard_after, said)
            # Every sentence played to its end is the new person's: not one more of the warning. (One
            # of theirs may cut the one before it short, on a busy machine: that one counts in part.)
            ended = [(text, cut) for kind, text, cut in events.sequence() if kind == "finished" and text in heard_after]
            whole = sum(len(split_sentences(text)) for text, cut in ended if cut is False)
            assert whole <= players.completed() <= sum(len(split_sentences(text)) for text in heard_after)
    finally:
        speaker.close()
        os.close(players.gate_fd)
