"""The trace of a test: what the kiosk showed, the keys pressed, what was spoken and the API calls,
written as one self-contained HTML page when a test fails (Playwright's trace viewer is the model).

The page has a header (the test id, its outcome, the failure text), a filmstrip of the screens the
test passed through, a timeline of every step in order, and the keys, speech and API calls each on
their own. Screenshots are inline ``data:`` URIs and the style is inline: the file refers to nothing
outside itself, needs no script, and can be attached to a bug report or a CI run as it is. Every
text is escaped, and the same trace always gives the same bytes.

No typed value ever reaches the page. The writer writes what it is given, so the recorder gives it
key names ("Tab", "Return", "Backspace") and, for text typed into a field, only "type 4
characters": never the characters themselves, so a PIN, a card or an account number never lands in
a file. Speech steps hold what the kiosk said, which never speaks PIN digits, and API steps hold the
method, the path, the status and the time, never a body or a header.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Literal

StepKind = Literal["screen", "key", "speech", "api", "note"]

NONE = "—"
# The words the page uses for each kind of step.
KIND_WORDS = {"screen": "screen", "key": "key", "speech": "spoken", "api": "API call", "note": "note"}


@dataclass(frozen=True)
class Step:
    """One thing that happened during a test, ``at_ms`` milliseconds after its kiosk opened."""

    at_ms: int
    kind: StepKind
    # screen: the screen id and title ("amount · How much?"); key: "Tab", "Return", "type 4 characters";
    # speech: what was said; api: "POST /v1/payments → 201 (12 ms)"; note: free text.
    text: str
    screen: str | None = None  # the kiosk screen id at that moment
    image_png: bytes | None = None  # for "screen" steps: a screenshot, PNG bytes


@dataclass
class Trace:
    """The steps of one test, in the order they happened."""

    test_id: str  # the pytest node id
    steps: list[Step] = field(default_factory=list)

    def add(self, step: Step) -> None:
        self.steps.append(step)

    def screens(self) -> list[Step]:
        """The "screen" steps: the screens the test passed through."""
        return [step for step in self.steps if step.kind == "screen"]


CSS = """
:root { color: #1a1a1a; background: #ffffff; font-family: system-ui, "Noto Sans", "Noto Sans CJK SC", sans-serif;
  line-height: 1.5; }
body { margin: 0 auto; max-width: 90rem; padding: 1rem 1.5rem 3rem; }
h1, h2 { line-height: 1.25; }
h1 { font-size: 1.5rem; overflow-wrap: anywhere; }
h2 { border-bottom: 2px solid #1a1a1a; padding-bottom: .2rem; margin-top: 2rem; }
nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; }
.outcome { font-weight: 700; }
pre { background: #f3f3f3; border-left: 4px solid #a30000; padding: .75rem 1rem; overflow-x: auto;
  white-space: pre-wrap; overflow-wrap: anywhere; }
ol.filmstrip { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 1rem; }
ol.filmstrip > li { flex: 0 0 16rem; border: 1px solid #6b6b6b; padding: .5rem; }
ol.filmstrip > li:target { flex-basis: 100%; outline: 3px solid #0b4f8a; }
ol.filmstrip img { display: block; width: 100%; height: auto; border: 1px solid #c4c4c4; }
ol.filmstrip > li:target img { width: auto; max-width: 100%; }
figure { margin: 0; }
figcaption { font-size: .95rem; overflow-wrap: anywhere; }
.no-image { display: flex; align-items: center; justify-content: center; min-height: 6rem; background: #f3f3f3;
  border: 1px dashed #6b6b6b; }
.time { color: #3d3d3d; font-variant-numeric: tabular-nums; white-space: nowrap; }
table { border-collapse: collapse; margin: .75rem 0 1.5rem; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
th, td { border: 1px solid #6b6b6b; padding: .3rem .55rem; text-align: left; vertical-align: top; }
thead th { background: #e8eef5; }
td { overflow-wrap: anywhere; }
tr.screen td { background: #f5f8fb; font-weight: 600; }
tr:target td { outline: 3px solid #0b4f8a; }
a { color: #0b4f8a; }
a:focus { outline: 3px solid #0b4f8a; outline-offset: 2px; }
"""


def _text(value: object) -> str:
    return escape(str(value), quote=True)


def _seconds(at_ms: int) -> str:
    """Short, for captions and alt text: ``1.2 s``."""
    return f"{at_ms / 1000:.1f} s"


def _precise_seconds(at_ms: int) -> str:
    """For the timeline, where steps a few milliseconds apart must still read apart: ``1.234 s``."""
    return f"{at_ms / 1000:.3f} s"


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def _screen_id(step: Step) -> str:
    """The screen's id: the step's own, else the part of its text before " · "."""
    return step.screen or step.text.split(" · ", 1)[0]


def _step_anchor(index: int) -> str:
    return f"step-{index}"


def _screen_anchor(number: int) -> str:
    return f"screen-{number}"


def _screen_numbers(steps: Sequence[Step]) -> dict[int, int]:
    """For each screen step's index in ``steps``, its number in the filmstrip (from 1)."""
    indices = [index for index, step in enumerate(steps, start=1) if step.kind == "screen"]
    return {index: number for number, index in enumerate(indices, start=1)}


def _header(trace: Trace, outcome: str, failure: str) -> str:
    steps = trace.steps
    kinds = [step.kind for step in steps]
    counts = ", ".join(
        (
            _count(kinds.count("screen"), "screen", "screens"),
            _count(kinds.count("key"), "key", "keys"),
            _count(kinds.count("speech"), "thing spoken", "things spoken"),
            _count(kinds.count("api"), "API call", "API calls"),
        )
    )
    span = f" over {_seconds(max(step.at_ms for step in steps))}" if steps else ""
    summary = f"{_count(len(steps), 'step', 'steps')}{span}: {counts}."
    screens = trace.screens()
    last = ""
    if screens:
        number = len(screens)
        last_screen = screens[-1]
        last = (
            f'<p>Last screen: <a href="#{_screen_anchor(number)}">{_text(last_screen.text)}</a>'
            f' at <span class="time">{_seconds(last_screen.at_ms)}</span>.</p>'
        )
    failure_block = f"<pre>{_text(failure)}</pre>" if failure.strip() else "<p>No failure text was given.</p>"
    return (
        f"<header><h1>Trace of {_text(trace.test_id)}</h1>"
        f'<p>Outcome: <span class="outcome">{_text(outcome)}</span></p>'
        f"<p>{_text(summary)}</p>{last}</header>"
        '<nav aria-label="Parts of this trace"><ul>'
        '<li><a href="#failure">Failure</a></li><li><a href="#screens">Screens</a></li>'
        '<li><a href="#timeline">Timeline</a></li><li><a href="#keys">Keys</a></li>'
        '<li><a href="#speech">Speech</a></li><li><a href="#api">API calls</a></li></ul></nav>'
        f'<section aria-labelledby="failure"><h2 id="failure">Failure</h2>{failure_block}</section>'
    )


def _film_frame(step: Step, index: int, number: int) -> str:
    """One screen of the filmstrip: its screenshot (or a note that there is none) and caption."""
    when = _seconds(step.at_ms)
    if step.image_png is not None:
        data = base64.b64encode(step.image_png).decode("ascii")
        alt = f"Screen {_screen_id(step)} at {when}"
        picture = f'<a href="#{_screen_anchor(number)}"><img src="data:image/png;base64,{data}" alt="{_text(alt)}"></a>'
    else:
        picture = '<div class="no-image">No screenshot</div>'
    return (
        f'<li id="{_screen_anchor(number)}"><figure>{picture}'
        f'<figcaption>{number}. {_text(step.text)} <span class="time">at {when}</span> · '
        f'<a href="#{_step_anchor(index)}">in the timeline</a></figcaption></figure></li>'
    )


def _filmstrip(steps: Sequence[Step]) -> str:
    numbers = _screen_numbers(steps)
    frames = [_film_frame(steps[index - 1], index, number) for index, number in numbers.items()]
    content = (
        f'<ol class="filmstrip">{"".join(frames)}</ol>'
        if frames
        else "<p>The test passed through no screens: the kiosk showed none, or none was recorded.</p>"
    )
    return f'<section aria-labelledby="screens"><h2 id="screens">Screens</h2>{content}</section>'


def _table(caption: str, headers: Sequence[str], rows: Iterable[str]) -> str:
    """A table of already written ``<tr>`` rows."""
    head = "".join(f'<th scope="col">{_text(header)}</th>' for header in headers)
    return (
        f"<table><caption>{_text(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _timeline(steps: Sequence[Step]) -> str:
    numbers = _screen_numbers(steps)
    rows = []
    for index, step in enumerate(steps, start=1):
        what = _text(step.text)
        if index in numbers:
            what = f'<a href="#{_screen_anchor(numbers[index])}">{what}</a>'
        rows.append(
            f'<tr id="{_step_anchor(index)}" class="{_text(step.kind)}">'
            f'<td class="time">{_precise_seconds(step.at_ms)}</td>'
            f"<td>{_text(KIND_WORDS.get(step.kind, step.kind))}</td>"
            f"<td>{_text(step.screen or NONE)}</td><td>{what}</td></tr>"
        )
    content = (
        _table("Every step in order", ("Time", "Kind", "Screen", "What happened"), rows)
        if rows
        else "<p>No step was recorded.</p>"
    )
    return f'<section aria-labelledby="timeline"><h2 id="timeline">Timeline</h2>{content}</section>'


def _one_kind(steps: Sequence[Step], kind: StepKind, words: tuple[str, str, str, str, str]) -> str:
    """The steps of one kind, each linked to its row in the timeline. ``words``: the section's id,
    heading, table caption and last column, then what to say when there is none."""
    anchor, heading, caption, column, empty = words
    rows = [
        f'<tr><td class="time"><a href="#{_step_anchor(index)}">{_precise_seconds(step.at_ms)}</a></td>'
        f"<td>{_text(step.screen or NONE)}</td><td>{_text(step.text)}</td></tr>"
        for index, step in enumerate(steps, start=1)
        if step.kind == kind
    ]
    content = _table(caption, ("Time", "Screen", column), rows) if rows else f"<p>{_text(empty)}</p>"
    return f'<section aria-labelledby="{anchor}"><h2 id="{anchor}">{_text(heading)}</h2>{content}</section>'


def render_trace_html(trace: Trace, *, outcome: str, failure: str) -> str:
    """The trace as one HTML document."""
    steps = trace.steps
    body = (
        _header(trace, outcome, failure)
        + _filmstrip(steps)
        + _timeline(steps)
        + _one_kind(steps, "key", ("keys", "Keys", "The keys pressed, in order", "Key", "No key was pressed."))
        + _one_kind(
            steps, "speech", ("speech", "Speech", "What the kiosk said", "What was said", "Nothing was spoken.")
        )
        + _one_kind(steps, "api", ("api", "API calls", "The calls to the API", "Call", "No API call was made."))
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Trace of {_text(trace.test_id)} ({_text(outcome)})</title><style>{CSS}</style></head>"
        f"<body><main>{body}</main></body></html>\n"
    )


def write_trace_html(trace: Trace, path: Path, *, outcome: str, failure: str) -> Path:
    """Write the trace's page to ``path`` (its folder is made if needed) and return ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # Bytes, not text: the same trace gives the same file on every platform (no newline translation).
    path.write_bytes(render_trace_html(trace, outcome=outcome, failure=failure).encode("utf-8"))
    return path
