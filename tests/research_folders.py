"""Session folders for the research report's tests, written as docs/research.md documents them.

A small writer of ``events.jsonl``, ``tasks.csv`` and ``sessions.csv`` for hand-made sessions: each
task is a list of steps (a screen and what happened on it) and an outcome.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from client.research.session import SESSION_COLUMNS, TASK_COLUMNS
from client.research.task_measures import measure_task

STARTED = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
OPTIMAL_PATHS = {
    "pay_electricity": ["home", "bill_biller", "bill_number", "bill_found", "review", "result"],
    "send_daughter": ["home", "payees", "amount", "review", "result"],
}


@dataclass
class Step:
    """A screen, the seconds spent on it, and events on it: (type, widget, detail) each."""

    screen: str
    seconds: float
    events: list[tuple[str, str | None, dict[str, Any]]] = field(default_factory=list)


@dataclass
class Task:
    task: str
    steps: list[Step]
    outcome: str
    assisted: bool = False
    seq: int | None = None


class _Log:
    def __init__(self, participant: str, condition: str) -> None:
        self.participant, self.condition, self.ms, self.events = participant, condition, 0, []
        self.task: str | None = None
        self.screen: str | None = None

    def at(self) -> str:
        return (STARTED + timedelta(milliseconds=self.ms)).isoformat(timespec="milliseconds").replace("+00:00", "Z")

    def add(self, kind: str, widget: str | None = None, **detail: Any) -> dict[str, Any]:
        event = {
            "schema_version": 1,
            "at": self.at(),
            "ms": self.ms,
            "session": f"{self.participant}-{self.condition}",
            "participant": self.participant,
            "condition": self.condition,
            "task": self.task,
            "type": kind,
            "screen": self.screen,
            "widget": widget,
            "detail": detail,
        }
        self.events.append(event)
        self.ms += 100
        return event


def write_session(
    root: Path,
    participant: str,
    condition: str,
    tasks: list[Task],
    sus: list[int] | None,
    nps: int | None = None,
    settings: tuple[bool, bool, str] = (True, True, "split"),
) -> Path:
    """A session folder under ``root``, as the kiosk leaves it."""
    folder = root / f"{participant}-{condition}"
    folder.mkdir(parents=True)
    log = _Log(participant, condition)
    elder_mode, voice, home_policy = settings
    log.add("session_start", study="calmpay-test", language="en", elder_mode=elder_mode, voice=voice,
            home_policy=home_policy)  # fmt: skip
    log.add("consent", given=True)
    rows = []
    for position, task in enumerate(tasks, start=1):
        rows.append(_task(log, task, position))
    log.add("session_end")
    with (folder / "events.jsonl").open("w", encoding="utf-8") as file:
        file.writelines(json.dumps(event, ensure_ascii=False) + "\n" for event in log.events)
    _write_csv(folder / "tasks.csv", TASK_COLUMNS, rows)
    sus_items = {f"sus_{item}": answer for item, answer in enumerate(sus or [], start=1)}
    sus_score = "" if sus is None else ((sum(sus[0::2]) - 5) + (25 - sum(sus[1::2]))) * 2.5
    session_row = {
        "session": f"{participant}-{condition}", "participant": participant, "condition": condition,
        "study": "calmpay-test", "language": "en", "elder_mode": str(elder_mode).lower(),
        "voice": str(voice).lower(), "home_policy": home_policy, "consent_at": STARTED.isoformat(),
        "started_at": STARTED.isoformat(), "ended_at": log.at(), "tasks": len(tasks),
        "successes": sum(row["outcome"] in ("success", "success_assisted") for row in rows),
        **sus_items, "sus_score": sus_score, "nps": "" if nps is None else nps, "csat": "",
    }  # fmt: skip
    _write_csv(folder / "sessions.csv", SESSION_COLUMNS, [session_row])
    return folder


def _task(log: _Log, task: Task, position: int) -> dict[str, Any]:
    log.task = task.task
    log.screen = task.steps[0].screen
    first = len(log.events)
    start = log.add("task_start", time_limit_seconds=300)
    for index, step in enumerate(task.steps):
        if index:
            log.screen = step.screen
            log.add("screen_enter")
        for kind, widget, detail in step.events:
            log.add(kind, widget, **detail)
        log.ms += int(step.seconds * 1000)
    end = log.add("task_end", outcome=task.outcome, assisted=task.assisted, detected_by="bank")
    measures = measure_task(log.events[first:], OPTIMAL_PATHS.get(task.task)).as_row()
    if task.seq is not None:
        log.add("questionnaire_answered", questionnaire="seq", item=1, value=task.seq)
    log.task = None
    return {
        "session": f"{log.participant}-{log.condition}", "participant": log.participant,
        "condition": log.condition, "task": task.task, "position": position, "outcome": task.outcome,
        "assisted": str(task.assisted).lower(), "detected_by": "bank", "started_at": start["at"],
        "ended_at": end["at"], **measures, "seq": "" if task.seq is None else task.seq,
    }  # fmt: skip


def _write_csv(path: Path, columns: list[str], rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, columns)
        writer.writeheader()
        writer.writerows(rows)


def straight_task(task: str, seconds_per_screen: float, outcome: str = "success", seq: int | None = 6) -> Task:
    """A task done on its optimal path, a key and a tap on each screen."""
    steps = [
        Step(screen, seconds_per_screen, [("key", None, {"key": "character"}), ("tap", "navNext", {})])
        for screen in OPTIMAL_PATHS[task]
    ]
    return Task(task, steps, outcome, seq=seq)
