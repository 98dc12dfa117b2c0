"""The report's figures: session folders read back, and the measures summarised per task and condition.

A session folder holds ``events.jsonl``, ``tasks.csv`` and ``sessions.csv`` (docs/research.md).
The per-task and per-session figures are read from the CSV files; the replay reads the event
log. A folder whose ``tasks.csv`` is missing (a session stopped before its exports were written)
has its tasks measured from the event log instead, without lostness (the study's optimal paths are
not in the folder).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from statistics import fmean
from typing import Any

from client.research.events import read_events
from client.research.stats import (
    SUS_ITEMS,
    Estimate,
    adjusted_wald,
    geometric_mean_interval,
    mean_interval,
    net_promoter_score,
    sus_score,
)
from client.research.task_measures import measure_task, split_tasks

EVENTS_FILE = "events.jsonl"
TASKS_FILE = "tasks.csv"
SESSIONS_FILE = "sessions.csv"
SESSION_FILES = (EVENTS_FILE, TASKS_FILE, SESSIONS_FILE)
COMPLETED = frozenset({"success", "success_assisted"})
TRUE_WORDS = frozenset({"true", "1", "yes"})
SUS_SCALE = (0.0, 100.0)
SEQ_SCALE = (1.0, 7.0)
CSAT_SCALE = (1.0, 5.0)


@dataclass(frozen=True)
class TaskRow:
    """One task of one session: a row of ``tasks.csv``."""

    session: str
    participant: str
    condition: str
    task: str
    position: int
    outcome: str
    assisted: bool
    detected_by: str
    time_on_task_s: float | None
    errors: int
    backtracks: int
    help_requests: int
    staff_requests: int
    lostness: float | None
    path: str
    seq: int | None

    @property
    def completed(self) -> bool:
        return self.outcome in COMPLETED

    @property
    def completed_unassisted(self) -> bool:
        return self.outcome == "success" and not self.assisted


@dataclass(frozen=True)
class SessionRecord:
    """One session folder read back."""

    folder: Path
    session: str
    participant: str
    condition: str
    study: str
    language: str
    settings: Mapping[str, str]
    sus_items: tuple[int | None, ...]
    sus: float | None
    nps: int | None
    csat: int | None
    tasks: tuple[TaskRow, ...]
    events: tuple[Mapping[str, Any], ...] = field(repr=False)


def _number(text: str | None) -> float | None:
    if text is None or not text.strip():
        return None
    return float(text)


def _whole(text: str | None) -> int | None:
    value = _number(text)
    return None if value is None else int(value)


def find_session_folders(paths: Iterable[Path]) -> list[Path]:
    """Each path that is a session folder, and the session folders one level down in the others."""
    found: list[Path] = []
    for path in paths:
        if not path.is_dir():
            raise FileNotFoundError(f"not a folder: {path}")
        if _is_session_folder(path):
            found.append(path)
        else:
            found.extend(child for child in sorted(path.iterdir()) if child.is_dir() and _is_session_folder(child))
    return found


def _is_session_folder(path: Path) -> bool:
    return any((path / name).is_file() for name in SESSION_FILES)


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def _task_row(row: Mapping[str, str]) -> TaskRow:
    return TaskRow(
        session=row.get("session", ""),
        participant=row.get("participant", ""),
        condition=row.get("condition", ""),
        task=row.get("task", ""),
        position=_whole(row.get("position")) or 0,
        outcome=row.get("outcome", ""),
        assisted=row.get("assisted", "").strip().lower() in TRUE_WORDS,
        detected_by=row.get("detected_by", ""),
        time_on_task_s=_number(row.get("time_on_task_s")),
        errors=_whole(row.get("errors")) or 0,
        backtracks=_whole(row.get("backtracks")) or 0,
        help_requests=_whole(row.get("help_requests")) or 0,
        staff_requests=_whole(row.get("staff_requests")) or 0,
        lostness=_number(row.get("lostness")),
        path=row.get("path", ""),
        seq=_whole(row.get("seq")),
    )


def _tasks_from_events(events: Sequence[Mapping[str, Any]], identity: Mapping[str, str]) -> list[TaskRow]:
    seq_answers = {
        event.get("task"): event["detail"].get("value")
        for event in events
        if event.get("type") == "questionnaire_answered" and event.get("detail", {}).get("questionnaire") == "seq"
    }
    rows = []
    for position, task_events in enumerate(split_tasks(events), start=1):
        task = task_events[0].get("task") or ""
        end = task_events[-1] if task_events[-1].get("type") == "task_end" else None
        detail = end.get("detail", {}) if end else {}
        measures = measure_task(task_events, None).as_row()
        rows.append(
            _task_row(
                {
                    **identity,
                    "task": task,
                    "position": str(position),
                    "outcome": detail.get("outcome", ""),
                    "assisted": str(detail.get("assisted", "")),
                    "detected_by": detail.get("detected_by", ""),
                    **{name: str(value) for name, value in measures.items()},
                    "seq": str(seq_answers.get(task) or ""),
                }
            )
        )
    return rows


def _identity(session_row: Mapping[str, str], events: Sequence[Mapping[str, Any]], folder: Path) -> dict[str, str]:
    first = events[0] if events else {}
    return {
        "session": session_row.get("session") or first.get("session") or folder.name,
        "participant": session_row.get("participant") or first.get("participant") or "",
        "condition": session_row.get("condition") or first.get("condition") or "",
    }


def load_session(folder: Path) -> SessionRecord:
    """A session folder read back."""
    events = list(read_events(folder / EVENTS_FILE)) if (folder / EVENTS_FILE).is_file() else []
    sessions = _read_csv(folder / SESSIONS_FILE)
    session_row = sessions[0] if sessions else {}
    identity = _identity(session_row, events, folder)
    task_rows = _read_csv(folder / TASKS_FILE)
    tasks = [_task_row(row) for row in task_rows] if task_rows else _tasks_from_events(events, identity)
    items = tuple(_whole(session_row.get(f"sus_{item}")) for item in range(1, SUS_ITEMS + 1))
    complete = [item for item in items if item is not None]
    sus = sus_score(complete) if len(complete) == SUS_ITEMS else _number(session_row.get("sus_score"))
    return SessionRecord(
        folder=folder,
        session=identity["session"],
        participant=identity["participant"],
        condition=identity["condition"],
        study=session_row.get("study", ""),
        language=session_row.get("language", ""),
        settings={name: session_row.get(name, "") for name in ("elder_mode", "voice", "home_policy")},
        sus_items=items,
        sus=sus,
        nps=_whole(session_row.get("nps")),
        csat=_whole(session_row.get("csat")),
        tasks=tuple(sorted(tasks, key=lambda row: row.position)),
        events=tuple(events),
    )


def load_sessions(paths: Iterable[Path]) -> list[SessionRecord]:
    return [load_session(folder) for folder in find_session_folders(paths)]


@dataclass(frozen=True)
class CellSummary:
    """The performance figures of one task in one condition (or of all tasks of a condition)."""

    attempts: int
    completion: Estimate
    unassisted: Estimate  # completed with no help (ISO/IEC 25062 reports it apart)
    time: Estimate | None  # geometric mean of successful tasks' times, with its interval
    mean_time_s: float | None  # arithmetic mean of all attempts' times, for efficiency
    efficiency: float | None  # completion rate (%) per minute of mean time on task
    errors: float
    backtracks: float
    help_requests: float
    staff_requests: float
    assisted: int
    lostness: float | None
    seq: Estimate | None


def summarise_tasks(rows: Sequence[TaskRow]) -> CellSummary:
    """The figures of a group of task attempts (at least one)."""
    completion = adjusted_wald(sum(row.completed for row in rows), len(rows))
    success_times = [row.time_on_task_s for row in rows if row.completed and row.time_on_task_s]
    times = [row.time_on_task_s for row in rows if row.time_on_task_s is not None]
    mean_time = fmean(times) if times else None
    lostness = [row.lostness for row in rows if row.lostness is not None]
    seq = [row.seq for row in rows if row.seq is not None]
    return CellSummary(
        attempts=len(rows),
        completion=completion,
        unassisted=adjusted_wald(sum(row.completed_unassisted for row in rows), len(rows)),
        time=geometric_mean_interval(success_times) if success_times else None,
        mean_time_s=mean_time,
        efficiency=100 * completion.value / (mean_time / 60) if mean_time else None,
        errors=fmean(row.errors for row in rows),
        backtracks=fmean(row.backtracks for row in rows),
        help_requests=fmean(row.help_requests for row in rows),
        staff_requests=fmean(row.staff_requests for row in rows),
        assisted=sum(row.assisted or row.outcome == "success_assisted" for row in rows),
        lostness=fmean(lostness) if lostness else None,
        seq=mean_interval(seq, bounds=SEQ_SCALE) if seq else None,
    )


@dataclass(frozen=True)
class Satisfaction:
    """The questionnaires at the end of the sessions of one condition."""

    sus: Estimate | None
    sus_scores: tuple[float, ...]
    nps: float | None
    nps_answers: int
    csat: Estimate | None


def summarise_satisfaction(sessions: Sequence[SessionRecord]) -> Satisfaction:
    scores = tuple(session.sus for session in sessions if session.sus is not None)
    nps = [session.nps for session in sessions if session.nps is not None]
    csat = [session.csat for session in sessions if session.csat is not None]
    return Satisfaction(
        sus=mean_interval(scores, bounds=SUS_SCALE) if scores else None,
        sus_scores=scores,
        nps=net_promoter_score(nps) if nps else None,
        nps_answers=len(nps),
        csat=mean_interval(csat, bounds=CSAT_SCALE) if csat else None,
    )


@dataclass(frozen=True)
class StudySummary:
    """Everything the report shows, computed once."""

    sessions: tuple[SessionRecord, ...]
    conditions: tuple[str, ...]
    tasks: tuple[str, ...]
    cells: Mapping[tuple[str, str], CellSummary]  # (task, condition)
    by_condition: Mapping[str, CellSummary]  # all tasks of a condition
    satisfaction: Mapping[str, Satisfaction]


def _in_order(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def summarise_study(sessions: Sequence[SessionRecord]) -> StudySummary:
    """Conditions in the order they first appear (sessions sorted by name), tasks in study order."""
    ordered = sorted(sessions, key=lambda session: session.session)
    rows = [row for session in ordered for row in session.tasks]
    conditions = _in_order(session.condition for session in ordered)
    tasks = _in_order(row.task for row in sorted(rows, key=lambda row: row.position))
    cells = {}
    for task in tasks:
        for condition in conditions:
            group = [row for row in rows if row.task == task and row.condition == condition]
            if group:
                cells[(task, condition)] = summarise_tasks(group)
    by_condition = {}
    satisfaction = {}
    for condition in conditions:
        group = [row for row in rows if row.condition == condition]
        if group:
            by_condition[condition] = summarise_tasks(group)
        satisfaction[condition] = summarise_satisfaction([s for s in ordered if s.condition == condition])
    return StudySummary(tuple(ordered), conditions, tasks, cells, by_condition, satisfaction)
