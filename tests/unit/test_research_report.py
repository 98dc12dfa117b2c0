"""``python -m client.research report``: one self-contained HTML file from session folders."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from client.research.__main__ import main
from client.research.stats import adjusted_wald, geometric_mean_interval, mean_interval
from tests.research_folders import Step, Task, straight_task, write_session

REPO = Path(__file__).resolve().parents[2]
VOID = {"meta", "br", "img", "hr", "input", "link", "col", "wbr"}
LOST_TASK = Task(
    "send_daughter",
    [
        Step("home", 4, [("tap", "tileReceive", {})]),
        Step("receive", 6, [("speech_played", None, {"chars": 40}), ("back", "navBack", {})]),
        Step("home", 3, [("help", "navHelp", {})]),
        Step("payees", 8, [("tap", "payee1", {})]),
        Step(
            "amount",
            12,
            [("key", None, {"key": "character"})] * 4
            + [
                ("validation_error", None, {"code": "amount_too_small"}),
                ("marker", None, {"label": "<b>confused</b> & lost"}),
            ],
        ),
    ],
    "abandoned",
    seq=2,
)
STANDARD = (False, False, "static")


def build_study(root: Path) -> Path:
    """Two participants in two conditions: one task abandoned, one failed, one with help."""
    electricity, daughter = "pay_electricity", "send_daughter"
    write_session(root, "P01", "elder", [straight_task(electricity, 5), LOST_TASK], [4, 2, 4, 1, 5, 2, 4, 2, 4, 1], 9)
    write_session(
        root,
        "P02",
        "elder",
        [straight_task(electricity, 7), straight_task(daughter, 6)],
        [5, 1, 5, 1, 5, 1, 4, 2, 5, 1],
        10,
    )
    assisted = straight_task(daughter, 8, "success_assisted")
    assisted.assisted = True
    write_session(
        root, "P01", "standard", [straight_task(electricity, 9), assisted], [3, 3, 3, 2, 4, 2, 3, 3, 3, 3], 6, STANDARD
    )
    failed = straight_task(electricity, 12, "fail", seq=3)
    write_session(
        root, "P02", "standard", [failed, straight_task(daughter, 10)], [3, 2, 4, 2, 3, 3, 4, 2, 3, 2], 7, STANDARD
    )
    return root


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_study(tmp_path_factory.mktemp("research") / "calmpay-test")


@pytest.fixture(scope="module")
def html(study: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("report") / "report.html"
    assert main(["report", str(study), "--out", str(out)]) == 0
    return out.read_text(encoding="utf-8")


def rows(study: Path, name: str) -> list[dict[str, str]]:
    found = []
    for folder in sorted(study.iterdir()):
        with (folder / name).open(encoding="utf-8", newline="") as file:
            found.extend(csv.DictReader(file))
    return found


def interval(estimate, digits: int = 1, scale: float = 1.0, unit: str = "") -> str:
    return (
        f"{estimate.value * scale:.{digits}f}{unit} "
        f"({estimate.low * scale:.{digits}f}–{estimate.high * scale:.{digits}f}{unit})"
    )


class Structure(HTMLParser):
    """Elements opened and closed in order, headings and the text of each."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.errors: list[str] = []
        self.headings: list[tuple[str, str]] = []
        self.svg_titles: list[str] = []
        self._text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in VOID:
            self.open.append(tag)
        if re.fullmatch(r"h[1-6]", tag) or tag == "title":
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.open[-1:]}")
            return
        self.open.pop()
        if self._text is not None and (re.fullmatch(r"h[1-6]", tag) or tag == "title"):
            text = "".join(self._text).strip()
            (self.svg_titles.append(text) if "svg" in self.open else self.headings.append((tag, text)))
            self._text = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


def test_one_self_contained_file(html: str) -> None:
    assert html.startswith("<!DOCTYPE html>")
    assert not re.search(r"https?:", html), "no address outside the file"
    assert not re.search(r"\b(src|srcset)\s*=", html)
    assert not re.search(r"<link\b|@import|<script\b", html)
    assert not re.search(r"url\((?!#)", html), "CSS and SVG refer only to the file's own ids"
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "ids are unique across the charts"
    for target in re.findall(r'(?:href="#|url\(#)([^")]+)', html):
        assert target in ids


def test_well_formed_and_accessible(html: str) -> None:
    structure = Structure()
    structure.feed(html)
    assert structure.errors == [] and structure.open == []
    assert structure.svg_titles == ["Time on task by condition", "Completion by condition", "SUS by condition"]
    assert html.count("<svg ") == 3 and html.count('role="img"') == 3
    headings = [text for tag, text in structure.headings if tag in ("h2", "h3")]
    for section in ("Charts", "Data analysis", "Performance results", "Satisfaction results", "Per-participant data",
                    "Tasks by condition", "Replay"):  # fmt: skip
        assert section in " | ".join(headings)
    assert '<html lang="en">' in html and '<th scope="col">' in html and '<th scope="row">' in html


def test_figures_match_the_statistics(study: Path, html: str) -> None:
    tasks = rows(study, "tasks.csv")
    sessions = rows(study, "sessions.csv")
    for task in ("pay_electricity", "send_daughter"):
        for condition in ("elder", "standard"):
            cell = [row for row in tasks if row["task"] == task and row["condition"] == condition]
            done = [row for row in cell if row["outcome"] in ("success", "success_assisted")]
            completion = adjusted_wald(len(done), len(cell))
            expected = f"{len(done)}/{len(cell)} = {interval(completion, 0, 100, '%')}"
            assert f"<td>{expected}</td>" in html or f'<td class="number">{expected}</td>' in html
            times = [float(row["time_on_task_s"]) for row in done]
            if len(times) > 1:
                assert interval(geometric_mean_interval(times), unit=" s") in html
    for condition in ("elder", "standard"):
        scores = [float(row["sus_score"]) for row in sessions if row["condition"] == condition]
        assert interval(mean_interval(scores, bounds=(0.0, 100.0))) in html
    # All tasks of the elder condition: 3 of 4 done; NPS 9 and 10 are two promoters: 100.
    assert interval(adjusted_wald(3, 4), 0, 100, "%") in html
    # send_daughter in the standard condition: done twice, once with help: 1 of 2 unassisted.
    standard = html[html.index('<th scope="row">send_daughter</th><td>standard</td>') :]
    standard = standard[: standard.index("</tr>")]
    assert f"2/2 = {interval(adjusted_wald(2, 2), 0, 100, '%')}" in standard
    assert f"1/2 = {interval(adjusted_wald(1, 2), 0, 100, '%')}" in standard
    assert "100 (n = 2)" in html and "-50 (n = 2)" in html


def test_the_replay_follows_the_screens(html: str) -> None:
    replay = html[html.index('<section id="replay">') :]
    lost = replay[replay.index("Task send_daughter: abandoned") :]
    lost = lost[: lost.index("</ol>")]
    screens = re.findall(r"<li><strong>([^<]+)</strong>", lost)
    assert screens == ["home", "receive", "home", "payees", "amount"]
    assert "+4.2 s" in lost  # 4 s on home, and the writer's 0.1 s for each of the two events before
    assert "speech played (40 characters); Back" in lost
    assert "key character ×4; error shown: amount_too_small" in lost
    assert "Help" in lost
    assert "Outcome: abandoned, detected by bank" in replay
    assert "Outcome: success with help, assisted, detected by bank" in replay


def test_every_text_from_the_folders_is_escaped(html: str) -> None:
    assert "<b>confused</b>" not in html
    assert "marker: &lt;b&gt;confused&lt;/b&gt; &amp; lost" in html


def test_names_with_markup_stay_text_in_the_charts_too(tmp_path: Path) -> None:
    task = straight_task("pay_electricity", 5)
    task.task = "<i>pay</i>&"
    write_session(tmp_path / "study", "P01", "c<b>", [task], [4, 2, 4, 1, 5, 2, 4, 2, 4, 1])
    out = tmp_path / "report.html"
    assert main(["report", str(tmp_path / "study"), "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "<i>" not in text and "<b>" not in text
    svgs = re.findall(r"<svg .*?</svg>", text, re.DOTALL)
    assert "&lt;i&gt;pay&lt;/i&gt;&amp;" in svgs[0] and "c&lt;b&gt;" in svgs[2]


def test_a_session_folder_or_folders_of_them(study: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "two.html"
    folders = [str(study / "P01-elder"), str(study / "P02-standard")]
    assert main(["report", *folders, "--out", str(out)]) == 0
    assert "(2 sessions)" in capsys.readouterr().out
    text = out.read_text(encoding="utf-8")
    assert "2 sessions, 2 participants" in text
    assert main(["report", str(tmp_path), "--out", str(tmp_path / "none.html")]) == 2
    assert "no session folder" in capsys.readouterr().err


def test_a_folder_with_only_its_event_log(study: Path, tmp_path: Path) -> None:
    """A session stopped before its CSV files were written: the tasks are measured from the log."""
    folder = tmp_path / "P01-elder"
    folder.mkdir()
    (folder / "events.jsonl").write_bytes((study / "P01-elder" / "events.jsonl").read_bytes() + b'{"cut sh')
    out = tmp_path / "log.html"
    assert main(["report", str(folder), "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "Task send_daughter: abandoned" in text
    assert "<td>abandoned</td>" in text
    assert "home › receive › home › payees › amount" in text


def test_chinese_names(tmp_path: Path) -> None:
    """A study may name its tasks and conditions in Chinese: the charts measure them in a CJK font
    (a missing glyph would be a warning, an error here) and the page keeps them as UTF-8 text."""
    task = straight_task("pay_electricity", 5)
    task.task = "交电费"
    write_session(tmp_path / "study", "P01", "长辈模式", [task], [4, 2, 4, 1, 5, 2, 4, 2, 4, 1])
    out = tmp_path / "report.html"
    assert main(["report", str(tmp_path / "study"), "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "<h4>Task 交电费: success" in text
    assert ">长辈模式</text>" in text  # the SUS chart's axis, as text
    assert "font-family: 'DejaVu Sans', 'Noto Sans CJK SC', sans-serif" in text


def test_the_same_sessions_give_the_same_file(study: Path, html: str, tmp_path: Path) -> None:
    again = tmp_path / "again.html"
    assert main(["report", str(study), "--out", str(again)]) == 0
    assert again.read_text(encoding="utf-8") == html


def test_as_a_program(study: Path, tmp_path: Path) -> None:
    """The command itself, in a process of its own: no pyplot and no Qt loaded."""
    out = tmp_path / "report.html"
    check = (
        "import sys, runpy; sys.argv = ['client.research', 'report', sys.argv[1], '--out', sys.argv[2]];"
        "code = 0\n"
        "try: runpy.run_module('client.research', run_name='__main__')\n"
        "except SystemExit as stop: code = stop.code\n"
        "loaded = [m for m in ('matplotlib.pyplot', 'PySide6') if m in sys.modules]\n"
        "print('loaded:', loaded); sys.exit(code)"
    )
    done = subprocess.run(
        [sys.executable, "-c", check, str(study), str(out)], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "loaded: []" in done.stdout
    assert out.read_text(encoding="utf-8").count("<svg ") == 3
    plain = subprocess.run(
        [sys.executable, "-m", "client.research", "report", str(study), "--out", str(tmp_path / "plain.html")],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert plain.returncode == 0, plain.stderr
    assert "(4 sessions)" in plain.stdout
