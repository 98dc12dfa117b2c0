"""The measures of one task, from its events in the event log (docs/research.md, ``tasks.csv``).

The events are dicts as written to ``events.jsonl``, from the task's ``task_start`` to its
``task_end``. Nothing here reads a typed value: the log holds none.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from client.research.stats import lostness

Event = Mapping[str, Any]
PATH_SEPARATOR = ">"


@dataclass(frozen=True)
class TaskMeasures:
    """The measured columns of one row of ``tasks.csv``."""

    time_on_task_s: float
    errors: int
    backtracks: int
    help_requests: int
    staff_requests: int
    screens_visited: int
    unique_screens: int
    optimal_screens: int | None
    lostness: float | None
    path: tuple[str, ...]

    def as_row(self) -> dict[str, object]:
        """The columns as ``tasks.csv`` writes them: empty where there is no value, the path joined by ``>``."""
        return {
            "time_on_task_s": self.time_on_task_s,
            "errors": self.errors,
            "backtracks": self.backtracks,
            "help_requests": self.help_requests,
            "staff_requests": self.staff_requests,
            "screens_visited": self.screens_visited,
            "unique_screens": self.unique_screens,
            "optimal_screens": "" if self.optimal_screens is None else self.optimal_screens,
            "lostness": "" if self.lostness is None else self.lostness,
            "path": PATH_SEPARATOR.join(self.path),
        }


def split_tasks(events: Iterable[Event]) -> Iterator[list[Event]]:
    """The events of each task in a session's log, in order: from a ``task_start`` to its
    ``task_end`` (or to the next ``task_start`` or the end of the log, for a task never ended)."""
    current: list[Event] | None = None
    for event in events:
        kind = event.get("type")
        if kind == "task_start":
            if current is not None:
                yield current
            current = [event]
        elif current is not None:
            current.append(event)
            if kind == "task_end":
                yield current
                current = None
    if current is not None:
        yield current


def active_ms(events: Sequence[Event]) -> int:
    """Milliseconds from the first event to the last, the time between a ``pause`` and its
    ``resume`` (or the end, for a pause never resumed) left out."""
    if not events:
        return 0
    paused_ms = 0
    paused_at: int | None = None
    for event in events:
        if event.get("type") == "pause" and paused_at is None:
            paused_at = int(event["ms"])
        elif event.get("type") == "resume" and paused_at is not None:
            paused_ms += int(event["ms"]) - paused_at
            paused_at = None
    end = int(events[-1]["ms"])
    if paused_at is not None:
        paused_ms += end - paused_at
    return end - int(events[0]["ms"]) - paused_ms


def screen_path(events: Sequence[Event]) -> list[tuple[str, bool]]:
    """The screens of the task in order, each with whether a Back press led to it.

    The screen showing when the task starts is the first; a screen entered again while it is
    already showing (redrawn) is not a new visit."""
    path: list[tuple[str, bool]] = []
    after_back = False
    for event in events:
        kind = event.get("type")
        screen = event.get("screen")
        if kind == "back":
            after_back = True
        elif kind in ("task_start", "screen_enter") and screen:
            if path and path[-1][0] == screen:
                continue
            path.append((screen, after_back))
            after_back = False
    return path


def count_backtracks(path: Sequence[tuple[str, bool]], back_presses: int) -> int:
    """Back presses, plus returns to a screen already on the path that no Back press led to (Start
    over, a Home button, a link back). A Back press and the return it causes count once."""
    seen: set[str] = set()
    returns_without_back = 0
    for screen, after_back in path:
        if screen in seen and not after_back:
            returns_without_back += 1
        seen.add(screen)
    return back_presses + returns_without_back


def measure_task(events: Sequence[Event], optimal_path: Sequence[str] | None) -> TaskMeasures:
    """The measures of one task from its events; lostness needs the task's optimal path."""
    counts: dict[str, int] = {}
    for event in events:
        counts[event.get("type", "")] = counts.get(event.get("type", ""), 0) + 1
    path = screen_path(events)
    screens = tuple(screen for screen, _ in path)
    optimal = len(optimal_path) if optimal_path else None
    lost = None
    if screens and optimal:
        lost = round(lostness(len(screens), len(set(screens)), optimal), 3)
    return TaskMeasures(
        time_on_task_s=round(active_ms(events) / 1000, 1),
        errors=counts.get("validation_error", 0),
        backtracks=count_backtracks(path, counts.get("back", 0)),
        help_requests=counts.get("help", 0),
        staff_requests=counts.get("call_staff", 0),
        screens_visited=len(screens),
        unique_screens=len(set(screens)),
        optimal_screens=optimal,
        lostness=lost,
        path=screens,
    )
