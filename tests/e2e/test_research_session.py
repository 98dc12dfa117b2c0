"""A whole usability session, scripted: the researcher's console and the kiosk in one test, against the
real bank over HTTP. Two tasks (one done, as the bank shows; one given up), a SEQ after each, the SUS,
NPS and CSAT at the end; then every exported field, the measures, and no private data in any file."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from client.api import PaymentApi
from client.research.events import DETAILS, SCHEMA_VERSION
from client.research.pin import ResearcherPin
from client.research.report_data import load_sessions, summarise_study
from client.research.session import SESSION_COLUMNS, TASK_COLUMNS
from client.research.study import load_study
from client.settings import KioskSettings
from mock_api.server import EmbeddedServer
from tests.api.helpers import holds_number, loopback_transport
from tests.demo import LI_MEI, WANG_FANG
from tests.e2e.conftest import KioskDriver, open_kiosk
from ui.research.console import ResearchConsole

STUDY = load_study(Path(__file__).parents[2] / "studies" / "example.toml")
START = datetime(2026, 3, 11, 2, 0, tzinfo=UTC)
RESEARCHER_PIN = "2580"
LI_MEI_PAYEE = "payee_wf_limei"
SUS_ANSWERS = [4, 2, 5, 1, 4, 2, 5, 1, 4, 2]  # odd items: 4+5+4+5+4 = 22; even: 2+1+2+1+2 = 8
SUS_SCORE = ((22 - 5) + (25 - 8)) * 2.5  # 85.0


@dataclass
class Clock:
    """The session's clocks: a monotonic one the test moves, and the UTC time it stands for."""

    seconds: float = 0.0

    def monotonic(self) -> float:
        return self.seconds

    def utc(self) -> datetime:
        return START + timedelta(seconds=self.seconds)


@dataclass
class Lab:
    kiosk: KioskDriver
    console: ResearchConsole
    clock: Clock
    root: Path


@pytest.fixture
def lab(qtbot: QtBot, api_server: EmbeddedServer, settings: KioskSettings, tmp_path: Path) -> Iterator[Lab]:
    window, speaker = open_kiosk(qtbot, api_server, replace(settings, default_language="zh-Hans"))
    checker = PaymentApi(api_server.url, transport=loopback_transport())
    checker.use_kiosk(window.kiosk.credentials.load())  # type: ignore[union-attr, arg-type]
    clock = Clock()
    root = tmp_path / "research" / STUDY.id
    console_api = PaymentApi(api_server.url, transport=loopback_transport())
    console = ResearchConsole(
        STUDY,
        window,
        console_api,
        root=root,
        pin=ResearcherPin(iterations=1000),
        monotonic=clock.monotonic,
        utc_now=clock.utc,
    )
    qtbot.addWidget(console, before_close_func=lambda c: (c.bridge.wait_for_done(3000), console_api.close()))
    console.show()
    yield Lab(KioskDriver(qtbot, window, checker, speaker), console, clock, root)
    window.bridge.wait_for_done(3000)
    checker.close()


def type_digits(qtbot: QtBot, widget: object, digits: str) -> None:
    for digit in digits:
        qtbot.keyClick(widget, digit)  # type: ignore[arg-type]


def kiosk_has_the_keys(lab: Lab) -> None:
    """After each of the researcher's actions the console hands the keyboard back to the kiosk."""
    lab.kiosk.qtbot.waitUntil(lab.kiosk.window.isActiveWindow)


def answer_on_kiosk(lab: Lab, questionnaire: str, values: list[int]) -> None:
    screen = lab.kiosk.window.screens["questionnaire"]
    lab.kiosk.wait_for("questionnaire")
    kiosk_has_the_keys(lab)
    for value in values:
        lab.kiosk.qtbot.keyClick(lab.kiosk.focused(), str(value))
    assert screen.answers[questionnaire] == values


def test_a_whole_session_is_logged_measured_and_exported_without_private_data(lab: Lab, qtbot: QtBot) -> None:
    console, kiosk, clock = lab.console, lab.kiosk, lab.clock

    # The researcher chooses a PIN (first use), then sets up P01, whose first condition is "elder".
    type_digits(qtbot, console.pin_field, RESEARCHER_PIN)
    type_digits(qtbot, console.pin_again, RESEARCHER_PIN)
    qtbot.keyClick(console.pin_again, Qt.Key.Key_Return)
    assert console.pages.currentWidget() is console.setup_page
    assert (console.participant.currentData(), console.condition.currentData()) == ("P01", "elder")
    console.start_session_button.click()
    assert "consent" in console.setup_problem.text()  # no session without consent
    console.consent.setChecked(True)
    assert console.fresh_data.isChecked()  # each session starts from the demo data as seeded
    console.start_session_button.click()
    qtbot.waitUntil(lambda: console.pages.currentWidget() is console.session_page)
    assert kiosk.window.t.language == "zh-Hans" and kiosk.window.theme.elder

    # Task 1, "pay the electricity bill": the participant goes astray (a wrong number, Back, Help); the
    # researcher ends it as given up.
    assert console.chosen_task() == "pay_electricity"
    clock.seconds = 10
    console.start_task_button.click()
    qtbot.waitUntil(lambda: console.session is not None and console.session.current_task is not None)
    kiosk_has_the_keys(lab)
    kiosk.sign_in()
    kiosk.activate("tile_bill_biller")
    kiosk.wait_for("bill_biller")
    kiosk.activate("biller_electricity")
    kiosk.wait_for("bill_number")
    kiosk.type("123")
    kiosk.enter()  # too short: a validation error
    qtbot.waitUntil(lambda: kiosk.window.screens["bill_number"].error.isVisible())
    kiosk.key(Qt.Key.Key_Escape)  # back to the companies
    kiosk.wait_for("bill_biller")
    kiosk.key(Qt.Key.Key_F1)  # help
    kiosk.wait_for("help")
    kiosk.key(Qt.Key.Key_Escape)
    kiosk.wait_for("bill_biller")
    clock.seconds = 100
    console.marker.setText("stuck on the company list")
    console.marker_button.click()
    console.abandon_button.click()
    answer_on_kiosk(lab, "seq", [2])
    qtbot.waitUntil(lambda: kiosk.window.current_id == "goodbye")

    console.end_session_button.click()  # a slip: one task is still to do, so it asks first
    assert console.task_status.text().startswith("Not done yet: Send 200 to your daughter.")
    assert console.session is not None and kiosk.window.current_id == "goodbye"

    # Task 2, "send 200 to your daughter": done as the bank shows, with a pause in the middle.
    console.tasks.setCurrentRow(1)
    clock.seconds = 200
    console.start_task_button.click()
    qtbot.waitUntil(lambda: console.session is not None and console.session.current_task is not None)
    assert kiosk.window.current_id == "welcome"
    kiosk.sign_in()
    console.pause_button.click()  # the participant asks a question: 30 s not counted
    clock.seconds = 230
    console.pause_button.click()
    kiosk_has_the_keys(lab)
    kiosk.activate("tile_send_payee")
    kiosk.wait_for("send_payee")
    kiosk.activate(f"payee_{LI_MEI_PAYEE}")
    kiosk.wait_for("amount")
    kiosk.type("200")
    kiosk.enter()
    kiosk.wait_for("review")
    clock.seconds = 275
    kiosk.enter()  # Pay
    kiosk.wait_for("result")
    qtbot.waitUntil(lambda: console.session is not None and console.session.current_task is None, timeout=4000)
    assert "the bank shows it done" in console.task_status.text()
    answer_on_kiosk(lab, "seq", [6])

    # The end: SUS, NPS and CSAT on the kiosk, in 简体中文, spoken.
    clock.seconds = 400
    console.end_session_button.click()
    answer_on_kiosk(lab, "sus", SUS_ANSWERS)
    answer_on_kiosk(lab, "nps", [9])
    answer_on_kiosk(lab, "csat", [4])
    qtbot.waitUntil(lambda: console.session is None)
    folder = lab.root / "P01-elder"
    assert console.saved.text().endswith(f"{folder}.") and console.saved.isVisible()

    # --- the exports ---
    events = [json.loads(line) for line in (folder / "events.jsonl").read_text("utf-8").splitlines()]
    for event in events:
        assert set(event) == {
            "schema_version", "at", "ms", "session", "participant", "condition", "task", "type", "screen",
            "widget", "detail",
        }  # fmt: skip
        assert event["schema_version"] == SCHEMA_VERSION and event["session"] == "P01-elder"
        assert set(event["detail"]) <= DETAILS[event["type"]]
    types = [e["type"] for e in events]
    for expected in (
        "consent", "session_start", "task_start", "screen_enter", "screen_exit", "key", "focus", "back", "help",
        "validation_error", "speech_played", "speech_interrupted", "marker", "pause", "resume", "task_end",
        "questionnaire_shown", "questionnaire_answered", "session_end",
    ):  # fmt: skip
        assert expected in types, expected
    assert [e["ms"] for e in events] == sorted(e["ms"] for e in events)
    errors = [e for e in events if e["type"] == "validation_error"]
    assert [(e["task"], e["screen"], e["detail"]) for e in errors] == [
        ("pay_electricity", "bill_number", {"code": errors[0]["detail"]["code"]})
    ]

    with (folder / "tasks.csv").open(encoding="utf-8") as file:
        reader = csv.DictReader(file)
        assert tuple(reader.fieldnames or ()) == TASK_COLUMNS
        tasks = list(reader)
    bill, send = tasks
    assert {k: bill[k] for k in ("session", "participant", "condition", "task", "position", "outcome")} == {
        "session": "P01-elder",
        "participant": "P01",
        "condition": "elder",
        "task": "pay_electricity",
        "position": "1",
        "outcome": "abandoned",
    }
    assert (bill["assisted"], bill["detected_by"], bill["time_on_task_s"]) == ("no", "researcher", "90.0")
    assert (bill["started_at"], bill["ended_at"]) == ("2026-03-11T02:00:10.000Z", "2026-03-11T02:01:40.000Z")
    assert (bill["errors"], bill["backtracks"], bill["help_requests"], bill["staff_requests"]) == ("1", "2", "1", "0")
    assert bill["path"] == "welcome>card>pin>home>bill_biller>bill_number>bill_biller>help>bill_biller"
    assert (bill["screens_visited"], bill["unique_screens"], bill["optimal_screens"]) == ("9", "7", "9")
    assert bill["seq"] == "2"
    assert float(bill["lostness"]) == pytest.approx(((7 / 9 - 1) ** 2 + (9 / 7 - 1) ** 2) ** 0.5, abs=0.001)

    assert send == {
        "session": "P01-elder",
        "participant": "P01",
        "condition": "elder",
        "task": "send_200",
        "position": "2",
        "outcome": "success",
        "assisted": "no",
        "detected_by": "bank",
        "started_at": "2026-03-11T02:03:20.000Z",
        "ended_at": "2026-03-11T02:04:35.000Z",
        "time_on_task_s": "45.0",  # 75 s from start to the payment, 30 s of it paused
        "errors": "0",
        "backtracks": "0",
        "help_requests": "0",
        "staff_requests": "0",
        "screens_visited": "8",
        "unique_screens": "8",
        "optimal_screens": "8",
        "lostness": "0.0",
        "path": "welcome>card>pin>home>send_payee>amount>review>result",
        "seq": "6",
    }

    # The measures of the condition, as the report computes them from the exported files.
    summary = summarise_study(load_sessions([folder]))
    elder = summary.by_condition["elder"]
    assert (elder.attempts, elder.completion.value) == (2, 0.5)
    # Adjusted-Wald, 1 of 2: p = (1 + 1.92) / (2 + 3.84) = 0.5, ± 1.96 · √(0.25 / 5.84): 0.094 to 0.906.
    assert elder.completion.low == pytest.approx(0.0945, abs=1e-3)
    assert elder.completion.high == pytest.approx(0.9055, abs=1e-3)
    assert elder.time is not None and elder.time.value == pytest.approx(45.0)  # one success: its own time
    assert (elder.errors, elder.backtracks, elder.help_requests) == (0.5, 1.0, 0.5)
    sus = summary.satisfaction["elder"].sus
    assert sus is not None and sus.value == SUS_SCORE

    with (folder / "sessions.csv").open(encoding="utf-8") as file:
        reader = csv.DictReader(file)
        assert tuple(reader.fieldnames or ()) == SESSION_COLUMNS
        [session] = list(reader)
    assert session == {
        "session": "P01-elder",
        "participant": "P01",
        "condition": "elder",
        "study": STUDY.id,
        "language": "zh-Hans",
        "elder_mode": "yes",
        "voice": "yes",
        "home_policy": "split",
        "consent_at": "2026-03-11T02:00:00.000Z",
        "started_at": "2026-03-11T02:00:00.000Z",
        "ended_at": "2026-03-11T02:06:40.000Z",
        "tasks": "2",
        "successes": "1",
        **{f"sus_{n}": str(value) for n, value in enumerate(SUS_ANSWERS, 1)},
        "sus_score": str(SUS_SCORE),
        "nps": "9",
        "csat": "4",
    }

    # Nothing private in any file the session left.
    private = ("王芳", "Wang Fang", "李梅", "Li Mei", "limei", WANG_FANG.number, LI_MEI.number, "6217000000000201")
    numbers = (WANG_FANG.pin, RESEARCHER_PIN, WANG_FANG.number[-4:], "200.00", "20000", "123")
    files = sorted(folder.iterdir())
    assert [path.name for path in files] == ["events.jsonl", "sessions.csv", "tasks.csv"]
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not [p for p in private if p in text], path.name
        assert not [n for n in numbers if holds_number(text, n)], path.name
