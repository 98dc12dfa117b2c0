"""A research session without a screen: its rules, and its files written again after every change."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from client.research.session import ResearchSession, SessionError
from client.research.study import load_study

STUDY = load_study(Path(__file__).parents[2] / "studies" / "example.toml")
START = datetime(2026, 3, 11, 2, 0, tzinfo=UTC)


class Ticks:
    seconds = 0.0

    def monotonic(self) -> float:
        return self.seconds

    def utc(self) -> datetime:
        return START + timedelta(seconds=self.seconds)


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


def new_session(tmp_path: Path, ticks: Ticks, participant: str = "P02", condition: str = "standard") -> ResearchSession:
    return ResearchSession(STUDY, participant, condition, tmp_path, monotonic=ticks.monotonic, utc_now=ticks.utc)


def test_a_session_keeps_its_rules_and_its_files_up_to_date(tmp_path: Path) -> None:
    ticks = Ticks()
    session = new_session(tmp_path, ticks)
    with pytest.raises(SessionError, match="consent"):
        session.start_task("send_200", START)
    session.give_consent(True)
    session.start_task("send_200", START)
    with pytest.raises(SessionError, match="still running"):
        session.start_task("pay_electricity", START)
    session.record("screen_enter", screen="home")
    ticks.seconds = 12
    session.pause()
    ticks.seconds = 40
    assert session.time_on_task_ms() == 12_000  # paused: the clock stands
    session.resume()
    ticks.seconds = 50
    assert session.time_on_task_ms() == 22_000
    run = session.end_task("success", assisted=True, detected_by="bank")
    assert run.outcome == "success_assisted"
    [row] = rows(session.folder / "tasks.csv")  # written at once: a crash now loses nothing
    assert (row["outcome"], row["assisted"], row["time_on_task_s"], row["seq"]) == (
        "success_assisted",
        "yes",
        "22.0",
        "",
    )
    session.answer("seq", 1, 5)
    assert rows(session.folder / "tasks.csv")[0]["seq"] == "5"
    assert session.correct_outcome(run, "fail", assisted=False) == "fail"
    assert rows(session.folder / "tasks.csv")[0]["outcome"] == "fail"
    for item, value in enumerate([3] * 10, 1):
        session.answer("sus", item, value)
    session.answer("nps", 1, 10)
    session.end()
    [summary] = rows(session.folder / "sessions.csv")
    assert (summary["tasks"], summary["successes"], summary["sus_score"], summary["nps"], summary["csat"]) == (
        "1",
        "0",
        "50.0",
        "10",
        "",
    )
    with pytest.raises(SessionError, match="has been run already"):
        new_session(tmp_path, ticks)
    with pytest.raises(SessionError, match="not a participant"):
        new_session(tmp_path, ticks, participant="P99")


def test_a_time_limit_and_an_unfinished_sus(tmp_path: Path) -> None:
    ticks = Ticks()
    session = new_session(tmp_path, ticks)
    session.give_consent(True)
    session.start_task("pay_electricity", START)
    ticks.seconds = 299
    assert not session.over_time()
    ticks.seconds = 300
    assert session.over_time()
    session.answer("sus", 1, 4)
    session.end()  # the task still running is ended as given up
    assert rows(session.folder / "tasks.csv")[0]["outcome"] == "abandoned"
    assert rows(session.folder / "sessions.csv")[0]["sus_score"] == ""  # nine items missing: no score
