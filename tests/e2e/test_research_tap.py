"""The kiosk's side of the research log, on the real window against the real bank: what the participant
meets and does reaches the log as events of the documented types, by control and key, never by value."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton

from client.research.events import DETAILS
from tests.demo import WANG_FANG
from tests.e2e.conftest import KioskDriver
from tests.e2e.test_security import SCAM_ACCOUNT, to_review
from ui.research.tap import EventTap

Logged = list[tuple[str, dict[str, Any]]]


def tap_on(driver: KioskDriver) -> tuple[EventTap, Logged]:
    logged: Logged = []
    tap = EventTap(driver.window, lambda type_, **fields: logged.append((type_, fields)))
    return tap, logged


def of_type(logged: Logged, type_: str) -> list[dict[str, Any]]:
    return [fields for kind, fields in logged if kind == type_]


def test_taps_keys_repeats_and_time_outs_are_logged_by_control(driver: KioskDriver) -> None:
    tap, logged = tap_on(driver)
    try:
        start = driver.window.findChild(QAbstractButton, "welcomeStart")
        driver.qtbot.mouseClick(start, Qt.MouseButton.LeftButton)  # a touch on the screen
        driver.wait_for("card")
        assert of_type(logged, "tap")[-1] == {"screen": "welcome", "widget": "welcomeStart"}
        assert ("screen_exit", {"screen": "welcome", "widget": None}) in logged
        assert ("screen_enter", {"screen": "card", "widget": None}) in logged
        driver.key(Qt.Key.Key_F2)  # say it again
        assert of_type(logged, "speech_repeated") and of_type(logged, "speech_played")[-1]["chars"] > 0
        driver.activate(f"demoCard_{WANG_FANG.number[-4:]}")
        driver.wait_for("pin")
        focused = [fields["widget"] for fields in of_type(logged, "focus")]
        assert "demoCard_item" in focused and not [name for name in focused if "0001" in name]  # no card digits
        driver.type(WANG_FANG.pin)
        keys = of_type(logged, "key")
        assert [k["key"] for k in keys[-4:]] == ["character"] * 4 and keys[-1]["screen"] == "pin"
        driver.enter()
        driver.wait_for("home")
        driver.window.idle.warn()  # the participant has stood still
        driver.window.extend_time()  # "I need more time"
        assert of_type(logged, "timeout_warning") and of_type(logged, "timeout_extended")
        driver.window.end_visit("timed_out")
        assert of_type(logged, "timed_out")
    finally:
        tap.detach()
    before = len(logged)
    driver.key(Qt.Key.Key_F2)
    assert len(logged) == before  # detached: nothing more is logged
    for kind, fields in logged:
        detail = {k: v for k, v in fields.items() if k not in ("screen", "widget")}
        assert set(detail) <= DETAILS[kind], (kind, detail)
    assert WANG_FANG.pin not in repr(logged) and WANG_FANG.number not in repr(logged)


def test_a_scam_stop_is_logged_as_a_security_prompt_shown_answered_and_a_call_for_staff(driver: KioskDriver) -> None:
    driver.api.sign_in(WANG_FANG.number, WANG_FANG.pin)
    check = driver.api.name_check(SCAM_ACCOUNT, "Safe Wealth Service Centre")
    scam = driver.api.add_payee(SCAM_ACCOUNT, "Safe Wealth Service Centre", name_check_id=check.name_check_id)
    driver.api.sign_out()
    tap, logged = tap_on(driver)
    try:
        to_review(driver, scam.id, "800")
        driver.wait_for("stop")
        assert of_type(logged, "security_prompt_shown") == [
            {"screen": "stop", "widget": None, "prompt": "payee_reported_scam"}
        ]
        assert of_type(logged, "call_staff") == [
            {"screen": "stop", "widget": None, "reason": "scam_stop", "by": "kiosk"}
        ]
        driver.activate("stopDone")
        answered = of_type(logged, "security_prompt_answered")
        assert answered == [
            {"screen": "stop", "widget": "stopDone", "prompt": "payee_reported_scam", "answer": "stopDone"}
        ]
        assert "800" not in repr([fields for kind, fields in logged if kind != "speech_played"])
    finally:
        tap.detach()
