"""Over the real AT-SPI bus: a customer who signs in and starts a payment only through assistive
technology (switch access or voice control: "Press" and text entry), then walks away, is signed
out, and their half-typed payment is gone.

The kiosk is the real one (``main.py`` with its embedded bank) on a virtual X server, in a D-Bus
session of its own whose accessibility bus carries Qt's AT-SPI bridge; this test is the assistive
technology (tests/atspi.py). No key or mouse event reaches the kiosk.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.atspi import AssistiveTechnology
from tests.demo import WANG_FANG
from tests.desktop import dbus_session, kiosk_process, private_home, virtual_display, write_settings

LI_MEI = "payee_wf_limei"
IDLE_SECONDS = 5  # short, yet well over the slowest step between two actions (a sign-in at the bank)
WARNING_SECONDS = 20  # the least the kiosk allows (WCAG 2.2.1)


@pytest.fixture
def assistive_technology(tmp_path: Path) -> Iterator[AssistiveTechnology]:
    env = private_home(tmp_path)
    write_settings(env, idle_seconds=IDLE_SECONDS, warning_seconds=WARNING_SECONDS, default_language="en")
    log = tmp_path / "desktop.log"
    with virtual_display(log) as display, dbus_session(env, log) as session:
        env.update(
            DISPLAY=display,
            DBUS_SESSION_BUS_ADDRESS=session,
            QT_QPA_PLATFORM="xcb",
            QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1",  # no screen reader is running to ask for the bridge
            QT_LOGGING_RULES="qt.accessibility.atspi.warning=false",  # labels have no text interface
            PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",  # the device key in memory: not this test's matter
        )
        with kiosk_process(env, tmp_path / "kiosk.log", "--kiosk") as kiosk:
            at = AssistiveTechnology(session)
            try:
                at.wait_until("the kiosk on the accessibility bus", at.applications, timeout=30)
                # Its screens are built once it is attached to the bank: then a customer may start.
                at.wait_until("the kiosk ready", lambda: "screen_card" in at.shown(hidden_too=True), timeout=30)
                yield at
            finally:
                at.close()
            assert kiosk.process.poll() is None, (tmp_path / "kiosk.log").read_text()


@pytest.mark.slow  # the real time-out: the quiet spell, then the 20 s warning nobody answers
def test_walking_away_after_using_assistive_technology_signs_the_customer_out(
    assistive_technology: AssistiveTechnology,
) -> None:
    at = assistive_technology
    at.press(at.wait_shown("welcomeStart", timeout=30))
    at.press(at.wait_shown(f"demoCard_{WANG_FANG.number[-4:]}"))
    at.wait_shown("pinKeypad_key_ok")
    shown = at.shown()
    for digit in WANG_FANG.pin:
        at.press(shown[f"pinKeypad_key_{digit}"])
    at.press(shown["pinKeypad_key_ok"])
    at.press(at.wait_shown("tile_send_payee"))
    at.press(at.wait_shown(f"payee_{LI_MEI}"))
    amount = at.wait_shown("amount")
    at.insert_text(amount, 0, "88")
    assert at.text(amount) == "88"

    # Then nothing. The warning comes after the quiet spell; nobody answers it.
    at.wait_until("the inactivity warning", lambda: "idleMoreTime" in at.shown(), timeout=IDLE_SECONDS + 15)
    shown = at.wait_until(
        "the welcome screen after the time-out",
        lambda: (found := at.shown()) and "welcomeStart" in found and found,
        timeout=WARNING_SECONDS + 15,
    )
    assert "welcome_error" in shown  # it says why: signed out after a quiet spell, nothing paid
    assert "amount" not in shown and at.text(amount) == ""  # the half-typed payment is gone
