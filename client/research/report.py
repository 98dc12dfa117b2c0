"""``python -m client.research report DIR... --out report.html``: one self-contained HTML file.

Charts (inline SVG), a table per task and condition, a step-by-step replay of each task from the
event log, and a summary shaped like the results section of ISO/IEC 25062 (the Common Industry
Format for usability test reports): data analysis, performance results, satisfaction results,
per-participant data. Every text from the folders is escaped; the file refers to nothing outside
itself.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from html import escape
from pathlib import Path
from typing import Any

from client.research.report_charts import draw_charts, inline_svg
from client.research.report_data import (
    CellSummary,
    SessionRecord,
    StudySummary,
    load_sessions,
    summarise_study,
)
from client.research.stats import Estimate
from client.research.task_measures import split_tasks

NONE = "—"
OUTCOME_WORDS = {
    "success": "success",
    "success_assisted": "success with help",
    "fail": "fail",
    "abandoned": "abandoned",
    "timed_out": "timed out",
}

CSS = """
:root { color: #1a1a1a; background: #ffffff; font-family: system-ui, "Noto Sans", "Noto Sans CJK SC", sans-serif;
  line-height: 1.5; }
body { margin: 0 auto; max-width: 90rem; padding: 1rem 1.5rem 3rem; }
h1, h2, h3, h4 { line-height: 1.25; }
h2 { border-bottom: 2px solid #1a1a1a; padding-bottom: .2rem; margin-top: 2.5rem; }
table { border-collapse: collapse; margin: .75rem 0 1.5rem; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
th, td { border: 1px solid #6b6b6b; padding: .3rem .55rem; text-align: left; vertical-align: top; }
thead th { background: #e8eef5; }
td.number { text-align: right; white-space: nowrap; }
div.table { overflow-x: auto; }
div.table:focus { outline: 3px solid #0b4f8a; outline-offset: 2px; }
figure { margin: 1rem 0 2rem; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: .95rem; }
ol.replay > li { margin: .35rem 0; }
.offset { color: #3d3d3d; font-variant-numeric: tabular-nums; }
.outcome { font-weight: 600; }
a { color: #0b4f8a; }
a:focus { outline: 3px solid #0b4f8a; outline-offset: 2px; }
"""


def _text(value: object) -> str:
    return escape(str(value), quote=True)


def _seconds(value: float | None) -> str:
    return NONE if value is None else f"{value:.1f} s"


def _interval(estimate: Estimate | None, digits: int = 1, scale: float = 1.0, unit: str = "") -> str:
    """``12.3 s (95% CI 9.8–15.4 s)``; the interval is left out when the sample cannot give one."""
    if estimate is None:
        return NONE
    value = f"{estimate.value * scale:.{digits}f}{unit}"
    if estimate.low is None or estimate.high is None:
        return value
    return f"{value} ({estimate.low * scale:.{digits}f}–{estimate.high * scale:.{digits}f}{unit})"


def _completion(estimate: Estimate) -> str:
    successes = round(estimate.value * estimate.n)
    return f"{successes}/{estimate.n} = {_interval(estimate, 0, 100, '%')}"


def _mean(value: float | None, digits: int = 2) -> str:
    return NONE if value is None else f"{value:.{digits}f}"


def _table(caption: str, headers: Sequence[str], rows: Iterable[Sequence[str]], numeric: Collection[int]) -> str:
    """A table whose cells are already escaped; the columns at ``numeric`` hold numbers. It
    scrolls sideways on a narrow window rather than push the page wider."""
    head = "".join(f'<th scope="col">{_text(header)}</th>' for header in headers)
    body = []
    for row in rows:
        cells = [f'<th scope="row">{row[0]}</th>']
        cells += [
            f'<td class="number">{cell}</td>' if index in numeric else f"<td>{cell}</td>"
            for index, cell in enumerate(row[1:], start=1)
        ]
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (
        f'<div class="table" role="region" tabindex="0" aria-label="{_text(caption)}">'
        f"<table><caption>{_text(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def _cells(summary: StudySummary) -> Iterable[tuple[str, str, CellSummary]]:
    for task in summary.tasks:
        for condition in summary.conditions:
            cell = summary.cells.get((task, condition))
            if cell is not None:
                yield task, condition, cell


def _condition_settings(summary: StudySummary) -> dict[str, str]:
    settings = {}
    for session in summary.sessions:
        if session.condition not in settings:
            values = session.settings
            settings[session.condition] = ", ".join(
                f"{name.replace('_', ' ')}: {values[name]}"
                for name in ("elder_mode", "voice", "home_policy")
                if values.get(name)
            )
    return settings


def _charts_section(summary: StudySummary) -> str:
    figures = draw_charts(summary)
    described = {
        "time": (
            "Time on task by condition",
            "Geometric mean time on task of successful attempts, in seconds, per task and condition, "
            "with 95% confidence intervals (an interval longer than the chart runs off its top: the "
            "tables below give it in full).",
        ),
        "completion": (
            "Completion by condition",
            "Completion rate (success and success with help) per task and condition, in percent, "
            "with adjusted-Wald 95% confidence intervals.",
        ),
        "sus": (
            "SUS by condition",
            "Mean System Usability Scale score per condition with its 95% t interval; dots are single sessions.",
        ),
    }
    parts = ['<section id="charts"><h2>Charts</h2>']
    for key, (title, description) in described.items():
        svg = inline_svg(figures[key], f"chart-{key}", title, description)
        parts.append(
            f"<figure>{svg}<figcaption><strong>{_text(title)}.</strong> {_text(description)}</figcaption></figure>"
        )
    parts.append("</section>")
    return "".join(parts)


def _tasks_table(summary: StudySummary) -> str:
    rows = [
        (
            _text(task),
            _text(condition),
            str(cell.attempts),
            _completion(cell.completion),
            _interval(cell.time, unit=" s"),
            _mean(cell.errors),
            _mean(cell.backtracks),
            _mean(cell.help_requests),
            _mean(cell.staff_requests),
            _mean(cell.lostness, 3),
            _interval(cell.seq, 2),
        )
        for task, condition, cell in _cells(summary)
    ]
    headers = (
        "Task", "Condition", "Attempts", "Completion (95% CI)", "Time on task, geometric mean (95% CI)",
        "Errors (mean)", "Back-tracks (mean)", "Help (mean)", "Call staff (mean)", "Lostness (mean)",
        "SEQ (mean, 95% CI)",
    )  # fmt: skip
    return (
        '<section id="tasks"><h2>Tasks by condition</h2>'
        + _table("Measures per task and condition", headers, rows, numeric=range(2, 11))
        + "</section>"
    )


def _data_analysis() -> str:
    return """<h3 id="analysis">Data analysis</h3>
<ul>
<li><strong>Completion</strong>: a task counts as completed when its outcome is <em>success</em> or <em>success with
help</em> (detected from the bank's state, or set by the researcher); <em>unassisted</em> counts only successes the
researcher did not mark as assisted. Rates carry an adjusted-Wald 95% interval
(Sauro &amp; Lewis 2005; Agresti &amp; Coull 1998): z²/2 successes and z² trials are added (z = 1.96) and the Wald
interval is built around that proportion, clipped to 0–100%.</li>
<li><strong>Time on task</strong>: from the task's start to its end in the event log, time paused by the researcher
left out. Summarised over successful attempts by the geometric mean, with a 95% interval from the mean and t
interval of the natural logarithms, exponentiated (Sauro &amp; Lewis, <cite>Quantifying the User Experience</cite>,
ch. 3).</li>
<li><strong>Errors</strong>: validation errors shown. <strong>Assists</strong>: attempts the researcher marked as
assisted. <strong>Back-tracks</strong>: Back presses, and returns to a screen already visited in the task that
no Back press led to (a Back press and the return it causes count once).</li>
<li><strong>Efficiency</strong>: completion rate divided by the mean time on task of all attempts, in percent per
minute (ISO/IEC 25062).</li>
<li><strong>Lostness</strong>: √((N/S − 1)² + (R/N − 1)²) with S screens visited, N different screens and R screens
on the optimal path (Smith 1996); 0 is the optimal path, above 0.5 reads as lost.</li>
<li><strong>SUS</strong>: odd items minus 1, 5 minus even items, sum × 2.5 (Brooke 1996); the mean per condition
with its 95% t interval. <strong>SEQ</strong>: the 7-point Single Ease Question after each task.
<strong>NPS</strong>: promoters (9–10) minus detractors (0–6), in percent. <strong>CSAT</strong>: 1–5.</li>
</ul>"""


def _performance(summary: StudySummary) -> str:
    headers = (
        "Task", "Condition", "Participants", "Completion (95% CI)", "Completion unassisted (95% CI)",
        "Errors (mean)", "Assists", "Time on task, geometric mean (95% CI)", "Mean time on task",
        "Efficiency (% per minute)",
    )  # fmt: skip

    def row(label: str, condition: str, cell: CellSummary) -> tuple[str, ...]:
        return (
            label,
            _text(condition),
            str(cell.attempts),
            _completion(cell.completion),
            _completion(cell.unassisted),
            _mean(cell.errors),
            str(cell.assisted),
            _interval(cell.time, unit=" s"),
            _seconds(cell.mean_time_s),
            _mean(cell.efficiency, 1),
        )

    rows = [row(_text(task), condition, cell) for task, condition, cell in _cells(summary)]
    rows += [row("<em>All tasks</em>", condition, cell) for condition, cell in summary.by_condition.items()]
    return '<h3 id="performance">Performance results</h3>' + _table(
        "Performance per task and condition", headers, rows, numeric=range(2, 10)
    )


def _satisfaction(summary: StudySummary) -> str:
    headers = ["Condition", "Sessions with SUS", "SUS (mean, 95% CI)"]
    has_nps = any(item.nps is not None for item in summary.satisfaction.values())
    has_csat = any(item.csat is not None for item in summary.satisfaction.values())
    headers += ["NPS (%)"] if has_nps else []
    headers += ["CSAT (mean, 95% CI)"] if has_csat else []
    rows = []
    for condition, item in summary.satisfaction.items():
        row = [_text(condition), str(len(item.sus_scores)), _interval(item.sus)]
        row += [NONE if item.nps is None else f"{item.nps:.0f} (n = {item.nps_answers})"] if has_nps else []
        row += [_interval(item.csat, 2)] if has_csat else []
        rows.append(row)
    seq_rows = [(_text(task), _text(condition), _interval(cell.seq, 2)) for task, condition, cell in _cells(summary)]
    return (
        '<h3 id="satisfaction">Satisfaction results</h3>'
        + _table("Questionnaires at the end of the session, per condition", headers, rows, numeric=range(1, 5))
        + _table("SEQ after each task (1 very difficult – 7 very easy)", ("Task", "Condition", "SEQ (mean, 95% CI)"),
                 seq_rows, numeric={2})
    )  # fmt: skip


def _participants(summary: StudySummary) -> str:
    headers = (
        "Participant", "Condition", "Task", "Outcome", "Assisted", "Time on task", "Errors", "Back-tracks",
        "Help", "Call staff", "Lostness", "SEQ", "Path",
    )  # fmt: skip
    rows = [
        (
            _text(row.participant),
            _text(row.condition),
            _text(row.task),
            _text(OUTCOME_WORDS.get(row.outcome, row.outcome) or NONE),
            "yes" if row.assisted else "no",
            _seconds(row.time_on_task_s),
            str(row.errors),
            str(row.backtracks),
            str(row.help_requests),
            str(row.staff_requests),
            _mean(row.lostness, 3),
            NONE if row.seq is None else str(row.seq),
            _text(row.path.replace(">", " › ")),
        )
        for session in summary.sessions
        for row in session.tasks
    ]
    session_headers = ("Participant", "Condition", "Language", "SUS items 1–10", "SUS", "NPS", "CSAT")
    session_rows = [
        (
            _text(session.participant),
            _text(session.condition),
            _text(session.language or NONE),
            " ".join(NONE if item is None else str(item) for item in session.sus_items),
            _mean(session.sus, 1),
            NONE if session.nps is None else str(session.nps),
            NONE if session.csat is None else str(session.csat),
        )
        for session in summary.sessions
    ]
    return (
        '<h3 id="participants">Per-participant data</h3>'
        + _table("Each task of each session", headers, rows, numeric=range(5, 12))
        + _table("Each session's questionnaires", session_headers, session_rows, numeric=range(4, 7))
    )


def _results_section(summary: StudySummary) -> str:
    return (
        '<section id="results"><h2>Results (in the shape of ISO/IEC 25062, Common Industry Format)</h2>'
        + _data_analysis()
        + _performance(summary)
        + _satisfaction(summary)
        + _participants(summary)
        + "</section>"
    )


# What the replay says for each event between two screens; events not listed (focus, the
# questionnaires) are left out. Fields come from the event's detail, and ``widget``.
ACTION_TEXTS = {
    "key": "key {key}",
    "tap": "tap {widget}",
    "back": "Back",
    "help": "Help",
    "call_staff": "Call staff",
    "validation_error": "error shown: {code}",
    "security_prompt_shown": "security prompt shown: {prompt}",
    "security_prompt_answered": "security prompt {prompt} answered: {answer}",
    "speech_played": "speech played ({chars} characters)",
    "speech_repeated": "speech repeated",
    "speech_interrupted": "speech interrupted",
    "timeout_warning": "time-out warning",
    "timeout_extended": "more time asked for",
    "timed_out": "timed out",
    "pause": "paused by the researcher",
    "resume": "resumed",
    "marker": "marker: {label}",
    "note": "note: {text}",
}


class _Fields(dict):
    def __missing__(self, key: str) -> str:
        return "?"


def _action(event: Mapping[str, Any]) -> str | None:
    """One event between two screens, in words; None for events the replay leaves out."""
    template = ACTION_TEXTS.get(str(event.get("type")))
    if template is None:
        return None
    fields = _Fields(event.get("detail") or {})
    if event.get("widget"):
        fields["widget"] = event["widget"]
    return template.format_map(fields)


def _collapsed(actions: Sequence[str]) -> list[tuple[str, int]]:
    """Repeats in a row counted once (``key character ×4``)."""
    collapsed: list[tuple[str, int]] = []
    for action in actions:
        if collapsed and collapsed[-1][0] == action:
            collapsed[-1] = (action, collapsed[-1][1] + 1)
        else:
            collapsed.append((action, 1))
    return collapsed


def _replay_steps(events: Sequence[Mapping[str, Any]]) -> list[tuple[str, int, list[str]]]:
    """(screen, ms since the task started, the actions on it) for each screen of a task in turn."""
    start = int(events[0].get("ms", 0))
    steps: list[tuple[str, int, list[str]]] = [(events[0].get("screen") or NONE, 0, [])]
    for event in events[1:]:
        screen = event.get("screen")
        if event.get("type") == "screen_enter" and screen and screen != steps[-1][0]:
            steps.append((screen, int(event.get("ms", start)) - start, []))
            continue
        action = _action(event)
        if action is not None:
            steps[-1][2].append(action)
    return steps


def _replay_task(events: Sequence[Mapping[str, Any]], row_time: float | None) -> str:
    task = events[0].get("task") or NONE
    end = events[-1] if events[-1].get("type") == "task_end" else None
    detail = (end or {}).get("detail") or {}
    outcome = OUTCOME_WORDS.get(detail.get("outcome", ""), detail.get("outcome")) or "not ended"
    items = []
    for screen, offset_ms, actions in _replay_steps(events):
        listed = "; ".join(_text(action) + (f" ×{count}" if count > 1 else "") for action, count in _collapsed(actions))
        items.append(
            f'<li><strong>{_text(screen)}</strong> <span class="offset">+{offset_ms / 1000:.1f} s</span>'
            + (f": {listed}" if listed else "")
            + "</li>"
        )
    by = f", detected by {_text(detail.get('detected_by'))}" if detail.get("detected_by") else ""
    assisted = ", assisted" if detail.get("assisted") else ""
    return (
        f"<h4>Task {_text(task)}: {_text(outcome)}, {_seconds(row_time)}</h4>"
        f'<ol class="replay">{"".join(items)}</ol>'
        f'<p class="outcome">Outcome: {_text(outcome)}{assisted}{by}; time on task {_seconds(row_time)}.</p>'
    )


def _replay_section(summary: StudySummary) -> str:
    parts = [
        '<section id="replay"><h2>Replay</h2>'
        "<p>Each task's screens in order, from the event log, with the time since the task started and what "
        "happened on each screen (which keys and controls, never what was typed).</p>"
    ]
    for session in summary.sessions:
        times = {row.task: row.time_on_task_s for row in session.tasks}
        parts.append(f"<h3>{_text(session.participant)}, condition {_text(session.condition)}</h3>")
        tasks = list(split_tasks(session.events))
        if not tasks:
            parts.append("<p>No task in the event log.</p>")
        parts.extend(_replay_task(events, times.get(events[0].get("task"))) for events in tasks)
    parts.append("</section>")
    return "".join(parts)


def _overview(summary: StudySummary) -> str:
    studies = sorted({session.study for session in summary.sessions if session.study})
    participants = sorted({session.participant for session in summary.sessions})
    settings = _condition_settings(summary)
    conditions = "".join(
        f"<li><strong>{_text(condition)}</strong>"
        + (f": {_text(settings[condition])}" if settings.get(condition) else "")
        + "</li>"
        for condition in summary.conditions
    )
    return (
        f"<p>Study {_text(', '.join(studies) or NONE)}: {len(summary.sessions)} sessions, "
        f"{len(participants)} participants ({_text(', '.join(participants))}), {len(summary.tasks)} tasks.</p>"
        f"<p>Conditions:</p><ul>{conditions}</ul>"
        '<nav aria-label="Contents"><ul><li><a href="#charts">Charts</a></li>'
        '<li><a href="#results">Results</a></li><li><a href="#tasks">Tasks by condition</a></li>'
        '<li><a href="#replay">Replay</a></li></ul></nav>'
    )


def render_report(sessions: Sequence[SessionRecord]) -> str:
    """The whole report as one HTML document."""
    summary = summarise_study(sessions)
    studies = sorted({session.study for session in summary.sessions if session.study})
    title = f"Usability study report: {', '.join(studies)}" if studies else "Usability study report"
    body = (
        f"<h1>{_text(title)}</h1>"
        + _overview(summary)
        + _charts_section(summary)
        + _results_section(summary)
        + _tasks_table(summary)
        + _replay_section(summary)
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_text(title)}</title><style>{CSS}</style></head>"
        f"<body><main>{body}</main></body></html>\n"
    )


def write_report(folders: Iterable[Path], out: Path) -> int:
    """Write the report of the session folders under ``folders`` to ``out``; the number of sessions."""
    sessions = load_sessions(folders)
    if not sessions:
        raise FileNotFoundError("no session folder (with events.jsonl, tasks.csv or sessions.csv) found")
    out.write_text(render_report(sessions), encoding="utf-8")
    return len(sessions)
