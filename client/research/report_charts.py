"""The report's charts: matplotlib figures drawn to SVG, made fit to sit inline in one HTML file.

Only ``matplotlib.figure.Figure`` and the SVG canvas: never pyplot (it picks a GUI backend and
keeps global state) and never a Qt backend (``client/`` does not import Qt). Text stays text in
the SVG (readable, searchable, and drawn in the reader's own fonts, Chinese included).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from html import escape

import matplotlib
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from client.research.report_data import StudySummary
from client.research.stats import Estimate

# Okabe & Ito's palette, told apart by people with any common colour-vision deficiency; the
# bars also carry hatching and value labels, so colour is never the only signal.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
HATCHES = ("", "//", "..", "xx", "\\\\", "--", "++", "oo")
# Value labels on a white ground, readable over any bar colour and hatching.
LABEL = {"fontsize": 9, "bbox": {"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none"}}
STYLE = {
    "svg.fonttype": "none",
    "svg.hashsalt": "calmpay-report",  # the same data draws the same file
    "font.size": 10,
    # Chinese task or condition names: matplotlib falls back along the list (fonts-noto-cjk, see
    # scripts/system-deps.sh) to measure them; the SVG keeps them as text.
    "font.family": ["DejaVu Sans", "Noto Sans CJK SC"],
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def _error(estimates: Sequence[Estimate | None], scale: float = 1.0) -> list[list[float]]:
    below, above = [], []
    for estimate in estimates:
        if estimate is None or estimate.low is None or estimate.high is None:
            below.append(0.0)
            above.append(0.0)
        else:
            below.append((estimate.value - estimate.low) * scale)
            above.append((estimate.high - estimate.value) * scale)
    return [below, above]


def _grouped_bars(
    summary: StudySummary, value: str, scale: float, y_label: str, label_format: str, y_max: float | None
) -> Figure:
    """Bars per task, one per condition, with the interval of each as an error bar."""
    figure = Figure(figsize=(7.5, 3.6), layout="constrained")
    axes = figure.add_subplot()
    count = max(len(summary.conditions), 1)
    width = 0.8 / count
    for index, condition in enumerate(summary.conditions):
        estimates = [
            getattr(summary.cells[(task, condition)], value) if (task, condition) in summary.cells else None
            for task in summary.tasks
        ]
        heights = [0.0 if estimate is None else estimate.value * scale for estimate in estimates]
        positions = [task_index + (index - (count - 1) / 2) * width for task_index in range(len(summary.tasks))]
        bars = axes.bar(
            positions,
            heights,
            width,
            yerr=_error(estimates, scale),
            capsize=4,
            label=condition,
            color=PALETTE[index % len(PALETTE)],
            hatch=HATCHES[index % len(HATCHES)],
            edgecolor="#1a1a1a",
            linewidth=0.6,
            error_kw={"ecolor": "#1a1a1a", "elinewidth": 1},
        )
        labels = ["n/a" if estimate is None else label_format.format(estimate.value * scale) for estimate in estimates]
        axes.bar_label(bars, labels=labels, label_type="center", **LABEL)
    axes.set_xticks(range(len(summary.tasks)), summary.tasks)
    axes.set_ylabel(y_label)
    if y_max is not None:
        axes.set_ylim(0, y_max)
    axes.legend(title="Condition", frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return figure


# With two or three sessions a t interval can reach minutes past the mean: the axis stops at this many
# times the longest mean, so the bars stay readable; an interval past it runs off the top (the table
# gives it in full).
TIME_AXIS_OVER_LONGEST = 2.5


def time_on_task_chart(summary: StudySummary) -> Figure:
    means = [cell.time.value for cell in summary.cells.values() if cell.time is not None]
    top = max(means) * TIME_AXIS_OVER_LONGEST if means else None
    return _grouped_bars(summary, "time", 1.0, "Time on task, s (geometric mean, 95% CI)", "{:.1f}", top)


def completion_chart(summary: StudySummary) -> Figure:
    return _grouped_bars(summary, "completion", 100.0, "Completion, % (adjusted-Wald 95% CI)", "{:.0f}%", 105)


def sus_chart(summary: StudySummary) -> Figure:
    """Mean SUS per condition with its t interval, and each session's score as a dot."""
    figure = Figure(figsize=(7.5, 3.2), layout="constrained")
    axes = figure.add_subplot()
    conditions = summary.conditions
    estimates = [summary.satisfaction[condition].sus for condition in conditions]
    bars = axes.bar(
        range(len(conditions)),
        [0.0 if estimate is None else estimate.value for estimate in estimates],
        0.5,
        yerr=_error(estimates),
        capsize=5,
        color=[PALETTE[index % len(PALETTE)] for index in range(len(conditions))],
        hatch=[HATCHES[index % len(HATCHES)] for index in range(len(conditions))],
        edgecolor="#1a1a1a",
        linewidth=0.6,
        error_kw={"ecolor": "#1a1a1a", "elinewidth": 1},
    )
    axes.bar_label(
        bars, labels=["n/a" if e is None else f"{e.value:.1f}" for e in estimates], label_type="center", **LABEL
    )
    for index, condition in enumerate(conditions):
        scores = summary.satisfaction[condition].sus_scores
        axes.scatter([index + 0.3] * len(scores), scores, s=14, color="#1a1a1a", zorder=3)
    axes.set_xticks(range(len(conditions)), conditions)
    axes.set_xlabel("Condition")
    axes.set_ylabel("SUS (mean, 95% CI; dots: sessions)")
    axes.set_ylim(0, 100)
    return figure


_ID = re.compile(r'\bid="([^"]+)"')
_REFERENCE = re.compile(r'(url\(#|xlink:href="#|href="#)([^)"]+)')


def inline_svg(figure: Figure, chart_id: str, title: str, description: str) -> str:
    """``figure`` as an ``<svg>`` element for an HTML page: no XML prolog or DOCTYPE, no namespace
    URLs (HTML gives inline SVG its namespace), ids made unique to this chart, and a title and
    description for screen readers."""
    buffer = io.StringIO()
    with matplotlib.rc_context(STYLE):
        FigureCanvasSVG(figure).print_svg(buffer, metadata=dict.fromkeys(("Date", "Creator", "Format", "Type")))
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r'\s+xmlns(:xlink)?="[^"]*"', "", svg)
    svg = re.sub(r"(font-family: [^;\"]+)", r"\1, sans-serif", svg)  # the reader's own, if it has neither
    svg = _ID.sub(lambda match: f'id="{chart_id}-{match.group(1)}"', svg)
    svg = _REFERENCE.sub(lambda match: f"{match.group(1).replace('xlink:', '')}{chart_id}-{match.group(2)}", svg)
    head_end = svg.index(">") + 1
    accessible = (
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(description)}</desc>'
    )
    opening = svg[: head_end - 1] + f' role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">'
    return opening + accessible + svg[head_end:]


def draw_charts(summary: StudySummary) -> dict[str, Figure]:
    """The three charts of the report, drawn in the report's style."""
    with matplotlib.rc_context(STYLE):
        return {
            "time": time_on_task_chart(summary),
            "completion": completion_chart(summary),
            "sus": sus_chart(summary),
        }
