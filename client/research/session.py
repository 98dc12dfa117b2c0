"""One research session (one participant in one condition): consent, tasks, questionnaires, pauses,
markers and notes, logged as events and exported as the session folder's CSV files.

The CSV files are written again after every change, so a session cut short (a crash, a closed
window) still has everything recorded up to that moment. Qt-free: the researcher's console drives
it, the kiosk's event tap feeds it (ui.research).
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from client.research import stats
from client.research.events import OUTCOMES, EventLog, utc_text
from client.research.study import Study, Task
from client.research.task_measures import active_ms, measure_task

TASK_COLUMNS = (
    "session",
    "participant",
    "condition",
    "task",
    "position",
    "outcome",
    "assisted",
    "detected_by",
    "started_at",
    "ended_at",
    "time_on_task_s",
    "errors",
    "backtracks",
    "help_requests",
    "staff_requests",
    "screens_visited",
    "unique_screens",
    "optimal_screens",
    "lostness",
    "path",
    "seq",
)
SUS_ITEMS = tuple(f"sus_{n}" for n in range(1, 11))
SESSION_COLUMNS = (
    "session",
    "participant",
    "condition",
    "study",
    "language",
    "elder_mode",
    "voice",
    "home_policy",
    "consent_at",
    "started_at",
    "ended_at",
    "tasks",
    "successes",
    *SUS_ITEMS,
    "sus_score",
    "nps",
    "csat",
)
SUCCESSES = ("success", "success_assisted")


class SessionError(RuntimeError):
    """A step the session cannot take now (a task before consent, two tasks at once…)."""


@dataclass
class TaskRun:
    task: Task
    position: int
    first_event: int  # index of its task_start in the log's events
    started_at: datetime
    bank_since: datetime  # the bank's clock at the start: the payment must be newer
    last_event: int | None = None
    ended_at: datetime | None = None
    outcome: str | None = None
    assisted: bool = False
    detected_by: str | None = None
    seq: int | None = None

    @property
    def running(self) -> bool:
        return self.outcome is None


@dataclass
class ResearchSession:
    study: Study
    participant: str
    condition_id: str
    root: Path  # the study's folder: the session's own folder is made inside it
    monotonic: Callable[[], float] = time.monotonic
    utc_now: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))

    def __post_init__(self) -> None:
        if self.participant not in self.study.participants:
            raise SessionError(f"{self.participant} is not a participant of {self.study.id}")
        self.condition = self.study.condition(self.condition_id)
        self.id = f"{self.participant}-{self.condition_id}"
        self.folder = self.root / self.id
        if (self.folder / "events.jsonl").exists():
            raise SessionError(f"{self.id} has been run already: its folder is {self.folder}")
        self.language = self.study.language_of(self.participant)
        self.log = EventLog(
            self.folder / "events.jsonl",
            session=self.id,
            participant=self.participant,
            condition=self.condition_id,
            monotonic=self.monotonic,
            utc_now=self.utc_now,
        )
        self.consent_at: datetime | None = None
        self.started_at: datetime | None = None
        self.ended_at: datetime | None = None
        self.tasks: list[TaskRun] = []
        self.answers: dict[str, list[int | None]] = {}
        self.paused_since: int | None = None  # ms
        self._write()

    # --- the researcher's steps ------------------------------------------------------------------

    def give_consent(self, given: bool) -> None:
        self.log.record("consent", given=given)
        self.consent_at = self.utc_now() if given else None
        self._write()

    def start(self) -> None:
        if self.consent_at is None:
            raise SessionError("Record the participant's consent before the session starts.")
        if self.started_at is None:
            self.started_at = self.utc_now()
            c = self.condition
            self.log.record(
                "session_start",
                study=self.study.id,
                language=self.language,
                elder_mode=c.elder_mode,
                voice=c.voice,
                home_policy=c.home_policy,
            )
            self._write()

    def start_task(self, task_id: str, bank_since: datetime) -> TaskRun:
        self.start()
        if self.current_task is not None:
            raise SessionError(f"Task {self.current_task.task.id} is still running: end it first.")
        task = self.study.task(task_id)
        self.log.task = task.id
        run = TaskRun(task, len(self.tasks) + 1, len(self.log.events), self.utc_now(), bank_since)
        self.log.record("task_start", time_limit_seconds=task.time_limit_seconds)
        self.tasks.append(run)
        self._write()
        return run

    def end_task(self, outcome: str, *, assisted: bool = False, detected_by: str = "researcher") -> TaskRun:
        run = self.current_task
        if run is None:
            raise SessionError("No task is running.")
        if outcome not in OUTCOMES:
            raise SessionError(f"{outcome!r} is not one of {', '.join(OUTCOMES)}")
        if self.paused:
            self.resume()
        if outcome == "success" and assisted:
            outcome = "success_assisted"
        run.outcome, run.assisted, run.detected_by = outcome, assisted or outcome == "success_assisted", detected_by
        run.ended_at = self.utc_now()
        self.log.record("task_end", outcome=run.outcome, assisted=run.assisted, detected_by=detected_by)
        run.last_event = len(self.log.events) - 1
        self.log.task = None
        self._write()
        return run

    def correct_outcome(self, run: TaskRun, outcome: str, *, assisted: bool) -> str:
        """The researcher's verdict replaces the one recorded (the bank's, or their own): logged as a
        second task_end of the same task, which the measures read as the task's outcome."""
        if run.running or outcome not in OUTCOMES:
            raise SessionError(f"{run.task.id} cannot be given the outcome {outcome!r} now")
        if outcome == "success" and assisted:
            outcome = "success_assisted"
        run.outcome, run.assisted, run.detected_by = outcome, assisted or outcome == "success_assisted", "researcher"
        previous_task, self.log.task = self.log.task, run.task.id
        self.log.record("task_end", outcome=outcome, assisted=run.assisted, detected_by="researcher")
        self.log.task = previous_task
        self._write()
        return outcome

    def answer(self, questionnaire: str, item: int, value: int) -> None:
        """One answer on the kiosk: SEQ goes with the last task ended, the rest with the session."""
        self.log.record("questionnaire_answered", questionnaire=questionnaire, item=item, value=value)
        if questionnaire == "seq":
            ended = [run for run in self.tasks if not run.running]
            if ended:
                ended[-1].seq = value
        else:
            size = 10 if questionnaire == "sus" else 1
            answers = self.answers.setdefault(questionnaire, [None] * size)
            answers[item - 1] = value
        self._write()

    def pause(self) -> None:
        if self.paused_since is None:
            self.paused_since = self.log.elapsed_ms
            self.log.record("pause")

    def resume(self) -> None:
        if self.paused_since is not None:
            self.paused_since = None
            self.log.record("resume")

    @property
    def paused(self) -> bool:
        return self.paused_since is not None

    def marker(self, label: str) -> None:
        self.log.record("marker", label=label.strip() or "marker")

    def note(self, text: str) -> None:
        if text.strip():
            self.log.record("note", text=text.strip())

    def end(self) -> None:
        if self.current_task is not None:
            self.end_task("abandoned")
        if self.ended_at is None:
            self.ended_at = self.utc_now()
            self.log.record("session_end")
        self._write()
        self.log.close()

    # --- what the kiosk reports ------------------------------------------------------------------

    def record(self, type_: str, *, screen: str | None = None, widget: str | None = None, **detail: Any) -> None:
        if self.ended_at is not None:
            return
        if type_ == "screen_enter" and screen is not None:
            self.log.screen = screen
        self.log.record(type_, screen=screen, widget=widget, **detail)

    # --- what the console shows ------------------------------------------------------------------

    @property
    def current_task(self) -> TaskRun | None:
        return self.tasks[-1] if self.tasks and self.tasks[-1].running else None

    @property
    def current_screen(self) -> str | None:
        return self.log.screen

    def time_on_task_ms(self) -> int:
        """Time on the running task, paused time left out."""
        run = self.current_task
        if run is None:
            return 0
        # As the task's measure counts it, as if it ended now (a pause still open counts as paused).
        return max(0, active_ms([*self.log.events[run.first_event :], {"type": "now", "ms": self.log.elapsed_ms}]))

    def over_time(self) -> bool:
        run = self.current_task
        limit = run.task.time_limit_seconds if run is not None else None
        return limit is not None and self.time_on_task_ms() >= limit * 1000

    def success_found(self, payments: list[Any]) -> Any | None:
        """The bank's payment that completes the running task, if there is one yet."""
        run = self.current_task
        return None if run is None else run.task.success.found_in(payments, run.bank_since)

    # --- the exports -----------------------------------------------------------------------------

    def task_rows(self) -> list[dict[str, Any]]:
        rows = []
        for run in self.tasks:
            if run.running or run.last_event is None:
                continue
            measured = measure_task(self.log.events[run.first_event : run.last_event + 1], run.task.optimal_path)
            rows.append(
                {
                    "session": self.id,
                    "participant": self.participant,
                    "condition": self.condition_id,
                    "task": run.task.id,
                    "position": run.position,
                    "outcome": run.outcome,
                    "assisted": _yes_no(run.assisted),
                    "detected_by": run.detected_by,
                    "started_at": utc_text(run.started_at),
                    "ended_at": utc_text(run.ended_at) if run.ended_at else "",
                    **measured.as_row(),
                    "seq": "" if run.seq is None else run.seq,
                }
            )
        return rows

    def session_row(self) -> dict[str, Any]:
        sus = self.answers.get("sus", [None] * 10)
        complete = all(answer is not None for answer in sus)
        c = self.condition
        ended = [run for run in self.tasks if not run.running]
        return {
            "session": self.id,
            "participant": self.participant,
            "condition": self.condition_id,
            "study": self.study.id,
            "language": self.language,
            "elder_mode": _yes_no(c.elder_mode),
            "voice": _yes_no(c.voice),
            "home_policy": c.home_policy,
            "consent_at": utc_text(self.consent_at) if self.consent_at else "",
            "started_at": utc_text(self.started_at) if self.started_at else "",
            "ended_at": utc_text(self.ended_at) if self.ended_at else "",
            "tasks": len(ended),
            "successes": sum(run.outcome in SUCCESSES for run in ended),
            **{name: "" if value is None else value for name, value in zip(SUS_ITEMS, sus, strict=True)},
            "sus_score": stats.sus_score([int(v) for v in sus if v is not None]) if complete else "",
            "nps": _single(self.answers.get("nps")),
            "csat": _single(self.answers.get("csat")),
        }

    def _write(self) -> None:
        _write_csv(self.folder / "tasks.csv", TASK_COLUMNS, self.task_rows())
        _write_csv(self.folder / "sessions.csv", SESSION_COLUMNS, [self.session_row()])


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _single(answers: list[int | None] | None) -> int | str:
    return "" if not answers or answers[0] is None else answers[0]


def _write_csv(path: Path, columns: tuple[str, ...], rows: list[dict[str, Any]]) -> None:
    partial = path.with_suffix(".csv.partial")
    with partial.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    partial.replace(path)  # never a half-written file
