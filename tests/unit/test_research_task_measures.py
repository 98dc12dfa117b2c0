"""The measures of one task from its events (docs/research.md, tasks.csv), on hand-built event lists."""

from __future__ import annotations

from typing import Any

import pytest

from client.research.stats import lostness
from client.research.task_measures import active_ms, count_backtracks, measure_task, screen_path, split_tasks

OPTIMAL = ["home", "payees", "amount", "review", "result"]


def event(kind: str, ms: int, screen: str | None = None, widget: str | None = None, **detail: Any) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "at": "2026-11-30T02:00:00.000Z",
        "ms": ms,
        "session": "P01-elder",
        "participant": "P01",
        "condition": "elder",
        "task": "send_daughter",
        "type": kind,
        "screen": screen,
        "widget": widget,
        "detail": detail,
    }


def straight() -> list[dict[str, Any]]:
    """The optimal path, 10 s a screen."""
    events = [event("task_start", 1_000, "home", time_limit_seconds=300)]
    for index, screen in enumerate(OPTIMAL[1:], start=1):
        events.append(event("tap", 1_000 + index * 10_000 - 100, OPTIMAL[index - 1], "navNext"))
        events.append(event("screen_exit", 1_000 + index * 10_000 - 50, OPTIMAL[index - 1]))
        events.append(event("screen_enter", 1_000 + index * 10_000, screen))
    events.append(event("task_end", 51_000, "result", outcome="success", assisted=False, detected_by="bank"))
    return events


def test_the_optimal_path() -> None:
    measures = measure_task(straight(), OPTIMAL)
    assert measures.time_on_task_s == 50.0
    assert measures.path == tuple(OPTIMAL)
    assert (measures.screens_visited, measures.unique_screens, measures.optimal_screens) == (5, 5, 5)
    assert measures.lostness == 0.0
    assert (measures.errors, measures.backtracks, measures.help_requests, measures.staff_requests) == (0, 0, 0, 0)
    assert measures.as_row()["path"] == "home>payees>amount>review>result"


def test_a_lost_participant() -> None:
    """Into Receive by mistake, Back, Help, Start over from Amount, then through; an amount refused
    twice and staff called once."""
    events = [
        event("task_start", 0, "home"),
        event("tap", 2_000, "home", "tileReceive"),
        event("screen_enter", 2_100, "receive"),
        event("back", 5_000, "receive", "navBack"),
        event("screen_enter", 5_100, "home"),
        event("help", 6_000, "home", "navHelp"),
        event("tap", 9_000, "home", "tileTransfer"),
        event("screen_enter", 9_100, "payees"),
        event("screen_enter", 12_000, "amount"),
        event("key", 13_000, "amount", "amountField", key="character"),
        event("validation_error", 14_000, "amount", code="amount_too_small"),
        event("validation_error", 16_000, "amount", code="amount_too_small"),
        event("call_staff", 17_000, "amount", "navCallStaff"),
        event("tap", 20_000, "amount", "navStartOver"),
        event("screen_enter", 20_100, "home"),  # Start over: a return that no Back press led to
        event("screen_enter", 21_000, "payees"),  # the way again: a return too
        event("screen_enter", 22_000, "amount"),
        event("screen_enter", 22_050, "amount"),  # drawn again, not a new visit
        event("screen_enter", 25_000, "review"),
        event("screen_enter", 27_000, "result"),
        event("task_end", 30_000, "result", outcome="success_assisted", assisted=True, detected_by="bank"),
    ]
    measures = measure_task(events, OPTIMAL)
    path = ("home", "receive", "home", "payees", "amount", "home", "payees", "amount", "review", "result")
    assert measures.path == path
    assert (measures.screens_visited, measures.unique_screens, measures.optimal_screens) == (10, 6, 5)
    assert measures.lostness == round(lostness(10, 6, 5), 3) == 0.433  # √((6/10 − 1)² + (5/6 − 1)²)
    assert measures.errors == 2
    assert measures.help_requests == 1
    assert measures.staff_requests == 1
    # Back once (its return to home counted with it), Start over to home, then payees and amount again.
    assert measures.backtracks == 4
    assert measures.time_on_task_s == 30.0


def test_paused_time_is_left_out() -> None:
    events = [
        event("task_start", 1_000, "home"),
        event("pause", 5_000, "home"),
        event("resume", 65_000, "home"),
        event("screen_enter", 70_000, "payees"),
        event("pause", 80_000, "payees"),
        event("resume", 80_500, "payees"),
        event("task_end", 91_234, "payees", outcome="abandoned", assisted=False, detected_by="researcher"),
    ]
    assert active_ms(events) == 90_234 - 60_000 - 500
    assert measure_task(events, OPTIMAL).time_on_task_s == 29.7


def test_a_pause_never_resumed_runs_to_the_end() -> None:
    events = [event("task_start", 0, "home"), event("pause", 4_000, "home"), event("task_end", 10_000, "home")]
    assert active_ms(events) == 4_000


def test_a_second_pause_while_paused_changes_nothing() -> None:
    events = [
        event("task_start", 0, "home"),
        event("pause", 1_000, "home"),
        event("pause", 2_000, "home"),
        event("resume", 3_000, "home"),
        event("task_end", 5_000, "home"),
    ]
    assert active_ms(events) == 3_000


def test_a_back_press_that_goes_nowhere_still_counts() -> None:
    """Back on the first screen of a task: the participant back-tracked, even if the kiosk stayed."""
    events = [event("task_start", 0, "home"), event("back", 1_000, "home", "navBack"), event("task_end", 2_000, "home")]
    measures = measure_task(events, OPTIMAL)
    assert measures.backtracks == 1
    assert measures.path == ("home",)


def test_backtracks_from_a_path() -> None:
    assert count_backtracks([("a", False), ("b", False), ("a", True)], back_presses=1) == 1
    assert count_backtracks([("a", False), ("b", False), ("a", False)], back_presses=0) == 1
    assert count_backtracks([("a", False), ("b", False), ("c", False)], back_presses=0) == 0


def test_without_an_optimal_path_there_is_no_lostness() -> None:
    measures = measure_task(straight(), None)
    assert measures.lostness is None and measures.optimal_screens is None
    assert measures.as_row()["lostness"] == "" and measures.as_row()["optimal_screens"] == ""


def test_a_task_with_no_screen_has_no_lostness() -> None:
    events = [event("task_start", 0, None), event("task_end", 1_000, None)]
    measures = measure_task(events, OPTIMAL)
    assert (measures.screens_visited, measures.lostness, measures.path) == (0, None, ())


def test_the_screen_showing_at_the_start_begins_the_path() -> None:
    events = [event("task_start", 0, "home"), event("screen_enter", 10, "home"), event("screen_enter", 20, "payees")]
    assert screen_path(events) == [("home", False), ("payees", False)]


def test_split_tasks() -> None:
    first, second = straight(), straight()
    for item in second:
        item["task"] = "pay_electricity"
    log = [
        event("session_start", 0),
        *first,
        event("questionnaire_answered", 52_000, questionnaire="seq", item=1, value=6),
        *second,
        event("session_end", 200_000),
    ]
    tasks = list(split_tasks(log))
    assert [len(task) for task in tasks] == [len(first), len(second)]
    assert [task[0]["type"] for task in tasks] == ["task_start", "task_start"]
    assert [task[-1]["type"] for task in tasks] == ["task_end", "task_end"]


def test_split_tasks_keeps_a_task_never_ended() -> None:
    unfinished = [event("task_start", 0, "home"), event("screen_enter", 1_000, "payees")]
    log = [*unfinished, *straight()]
    tasks = list(split_tasks(log))
    assert tasks[0] == unfinished
    assert len(tasks) == 2
    assert list(split_tasks(unfinished)) == [unfinished]


@pytest.mark.parametrize("kind", ["key", "tap", "focus", "speech_played", "marker", "note", "timeout_warning"])
def test_other_events_count_as_nothing(kind: str) -> None:
    events = [event("task_start", 0, "home"), event(kind, 500, "home", "keypad5"), event("task_end", 1_000, "home")]
    measures = measure_task(events, OPTIMAL)
    assert (measures.errors, measures.backtracks, measures.help_requests, measures.staff_requests) == (0, 0, 0, 0)
