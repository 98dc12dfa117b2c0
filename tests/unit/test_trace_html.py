"""The trace page a failing test leaves: one self-contained, accessible HTML file, read back with
the standard library's parser."""

from __future__ import annotations

import base64
import re
import struct
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from calmpay.testing.trace import Step, Trace, write_trace_html

VOID = {"meta", "img", "br", "hr", "input", "link"}
FAILURE = 'AssertionError: expected "Sent" <script>alert(1)</script> & not a link to https://example.com'


def tiny_png(red: int, green: int, blue: int) -> bytes:
    """A 2×2 PNG of one colour, written with zlib and struct."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + bytes((red, green, blue)) * 2  # filter byte, then two RGB pixels
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)  # 2×2, 8 bits, truecolour
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(row * 2)) + chunk(b"IEND", b"")


HOME_PNG = tiny_png(0, 90, 160)
AMOUNT_PNG = tiny_png(250, 250, 250)
STEPS = [
    Step(0, "screen", "home · What would you like to do?", screen="home", image_png=HOME_PNG),
    Step(40, "speech", "What would you like to do?", screen="home"),
    Step(310, "key", "Tab", screen="home"),
    Step(320, "key", "Return", screen="home"),
    Step(1200, "screen", "amount · How much?", screen="amount", image_png=AMOUNT_PNG),
    Step(1234, "key", "type 3 characters", screen="amount"),
    Step(1250, "api", "POST /v1/payments → 201 (12 ms)", screen="amount"),
    Step(1300, "note", "expected the review screen <b>", screen="amount"),
]
TEST_ID = "tests/e2e/test_send.py::test_send_200[elder]"


class Page(HTMLParser):
    """What a reader gets from the page: its structure, texts by element, images, links and ids."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.errors: list[str] = []
        self.title = ""
        self.headings: list[tuple[str, str]] = []
        self.pre: list[str] = []
        self.images: list[dict[str, str]] = []
        self.links: list[str] = []
        self.ids: list[str] = []
        self.tables: dict[str, list[list[str]]] = {}  # caption → rows of cell texts (header row first)
        self._section = ""
        self._text: list[str] | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag not in VOID:
            self.open.append(tag)
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if tag == "img":
            self.images.append(attributes)
        elif tag == "a":
            self.links.append(attributes.get("href", ""))
        elif tag in ("title", "h1", "h2", "pre", "caption"):
            self._text = []
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.open[-1:]}")
            return
        self.open.pop()
        if tag in ("title", "h1", "h2", "pre", "caption") and self._text is not None:
            text = "".join(self._text)
            if tag == "title":
                self.title = text
            elif tag == "pre":
                self.pre.append(text)
            elif tag == "caption":
                self._section = text
                self.tables[text] = []
            else:
                self.headings.append((tag, text))
            self._text = None
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[self._section].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        for collected in (self._text, self._cell):
            if collected is not None:
                collected.append(data)


def read(path: Path) -> tuple[str, Page]:
    html = path.read_text("utf-8")
    page = Page()
    page.feed(html)
    page.close()
    return html, page


@pytest.fixture
def written(tmp_path: Path) -> tuple[str, Page]:
    trace = Trace(TEST_ID)
    for step in STEPS:
        trace.add(step)
    path = write_trace_html(trace, tmp_path / "traces" / "test_send.html", outcome="failed", failure=FAILURE)
    assert path == tmp_path / "traces" / "test_send.html"
    return read(path)


def test_a_trace_keeps_its_steps_and_knows_its_screens() -> None:
    trace = Trace(TEST_ID)
    for step in STEPS:
        trace.add(step)
    assert trace.steps == STEPS
    assert [step.text for step in trace.screens()] == ["home · What would you like to do?", "amount · How much?"]
    assert Trace("t").steps == [] and Trace("t").screens() == []


def test_the_header_names_the_test_its_outcome_and_the_failure(written: tuple[str, Page]) -> None:
    html, page = written
    assert page.title == f"Trace of {TEST_ID} (failed)"
    assert page.headings[0] == ("h1", f"Trace of {TEST_ID}")
    assert "Outcome: failed" in html.replace('<span class="outcome">', "").replace("</span>", "")
    assert page.pre == [FAILURE], "the failure text, exactly as given, in a <pre>"
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "8 steps over 1.3 s: 2 screens, 3 keys, 1 thing spoken, 1 API call." in html
    assert 'Last screen: <a href="#screen-2">amount · How much?</a>' in html


def test_every_step_in_order_in_the_timeline(written: tuple[str, Page]) -> None:
    _, page = written
    header, *rows = page.tables["Every step in order"]
    assert header == ["Time", "Kind", "Screen", "What happened"]
    assert rows == [
        ["0.000 s", "screen", "home", "home · What would you like to do?"],
        ["0.040 s", "spoken", "home", "What would you like to do?"],
        ["0.310 s", "key", "home", "Tab"],
        ["0.320 s", "key", "home", "Return"],
        ["1.200 s", "screen", "amount", "amount · How much?"],
        ["1.234 s", "key", "amount", "type 3 characters"],
        ["1.250 s", "API call", "amount", "POST /v1/payments → 201 (12 ms)"],
        ["1.300 s", "note", "amount", "expected the review screen <b>"],
    ]


def test_keys_speech_and_api_calls_each_on_their_own(written: tuple[str, Page]) -> None:
    html, page = written
    assert [row[2] for row in page.tables["The keys pressed, in order"][1:]] == ["Tab", "Return", "type 3 characters"]
    assert page.tables["What the kiosk said"][1:] == [["0.040 s", "home", "What would you like to do?"]]
    assert page.tables["The calls to the API"][1:] == [["1.250 s", "amount", "POST /v1/payments → 201 (12 ms)"]]
    # Each links back to its row in the timeline.
    assert '<a href="#step-7">1.250 s</a>' in html and '<tr id="step-7" class="api">' in html
    headings = [text for tag, text in page.headings if tag == "h2"]
    assert headings == ["Failure", "Screens", "Timeline", "Keys", "Speech", "API calls"]


def test_the_screenshots_are_inside_the_file(written: tuple[str, Page]) -> None:
    _, page = written
    assert [image["alt"] for image in page.images] == ["Screen home at 0.0 s", "Screen amount at 1.2 s"]
    pictures = []
    for image in page.images:
        prefix, _, data = image["src"].partition(",")
        assert prefix == "data:image/png;base64"
        pictures.append(base64.b64decode(data, validate=True))
    assert pictures == [HOME_PNG, AMOUNT_PNG]


def test_each_screen_step_links_to_its_screenshot(written: tuple[str, Page]) -> None:
    html, _ = written
    for number, (row, text, alt) in enumerate(
        [(1, "home · What would you like to do?", "Screen home"), (5, "amount · How much?", "Screen amount")],
        start=1,
    ):
        assert f'<tr id="step-{row}" class="screen">' in html
        assert f'<a href="#screen-{number}">{text}</a>' in html
        frame = html.split(f'<li id="screen-{number}">', 1)[1].split("</li>", 1)[0]
        assert f'alt="{alt} at' in frame and f'href="#step-{row}"' in frame


def test_one_self_contained_file(written: tuple[str, Page]) -> None:
    html, page = written
    assert html.startswith("<!DOCTYPE html>\n") and '<html lang="en">' in html
    outside = html.replace("https://example.com", "")  # the failure text's own words, escaped as text
    assert not re.search(r"https?:", outside), "no address outside the file"
    assert all(image["src"].startswith("data:image/png;base64,") for image in page.images)
    assert len(re.findall(r"\bsrc=", html)) == len(page.images) == 2
    assert not re.search(r"<link\b|<script\b|@import|url\(", html)
    assert len(page.ids) == len(set(page.ids)), "ids are unique"
    for link in page.links:
        assert link.startswith("#") and link[1:] in page.ids, link


def test_well_formed_and_accessible(written: tuple[str, Page]) -> None:
    html, page = written
    assert page.errors == [] and page.open == []
    assert [tag for tag, _ in page.headings] == ["h1"] + ["h2"] * 6
    assert html.count('<th scope="col">') == 4 + 3 * 3
    assert all(image["alt"] for image in page.images)


def test_every_text_is_escaped(tmp_path: Path) -> None:
    markup = '<img src=x onerror="1">&"'
    trace = Trace(f"tests/test_x.py::test[{markup}]")
    trace.add(Step(5, "screen", f"{markup} · title", screen=markup, image_png=HOME_PNG))
    trace.add(Step(9, "speech", markup, screen=markup))
    html, page = read(write_trace_html(trace, tmp_path / "t.html", outcome=markup, failure=markup))
    assert "<img src=x" not in html and 'onerror="1"' not in html
    assert page.title == f"Trace of {trace.test_id} ({markup})"
    assert page.pre == [markup]
    assert page.images[0]["alt"] == f"Screen {markup} at 0.0 s"
    assert page.tables["Every step in order"][1:] == [
        ["0.005 s", "screen", markup, f"{markup} · title"],
        ["0.009 s", "spoken", markup, markup],
    ]


def test_the_same_trace_gives_the_same_bytes(tmp_path: Path) -> None:
    first = write_trace_html(Trace(TEST_ID, list(STEPS)), tmp_path / "a.html", outcome="failed", failure=FAILURE)
    second = write_trace_html(Trace(TEST_ID, list(STEPS)), tmp_path / "b.html", outcome="failed", failure=FAILURE)
    assert first.read_bytes() == second.read_bytes()
    assert b"\r\n" not in first.read_bytes()


def test_a_trace_without_screens_still_says_what_happened(tmp_path: Path) -> None:
    trace = Trace("tests/test_api_only.py::test_health")
    trace.add(Step(0, "api", "GET /v1/health → 503 (3 ms)"))
    trace.add(Step(15, "note", "the bank did not answer"))
    html, page = read(write_trace_html(trace, tmp_path / "t.html", outcome="error", failure="ConnectError"))
    assert page.errors == [] and page.open == []
    assert page.images == [] and "<img" not in html
    assert "The test passed through no screens" in html and "Last screen" not in html
    assert "2 steps over 0.0 s: 0 screens, 0 keys, 0 things spoken, 1 API call." in html
    assert page.tables["Every step in order"][1:] == [
        ["0.000 s", "API call", "—", "GET /v1/health → 503 (3 ms)"],
        ["0.015 s", "note", "—", "the bank did not answer"],
    ]
    assert "No key was pressed." in html and "Nothing was spoken." in html
    assert page.pre == ["ConnectError"]


def test_a_screen_without_a_screenshot_keeps_its_place(tmp_path: Path) -> None:
    trace = Trace(
        "t", [Step(0, "screen", "welcome · Welcome"), Step(700, "screen", "pin · Your PIN", image_png=HOME_PNG)]
    )
    html, page = read(write_trace_html(trace, tmp_path / "t.html", outcome="failed", failure=""))
    assert [image["alt"] for image in page.images] == ["Screen pin at 0.7 s"]
    assert '<li id="screen-1"><figure><div class="no-image">No screenshot</div>' in html
    assert "No failure text was given." in html and page.pre == []


def test_an_empty_trace(tmp_path: Path) -> None:
    html, page = read(write_trace_html(Trace("t"), tmp_path / "t.html", outcome="failed", failure="boom"))
    assert page.errors == [] and page.open == []
    assert "0 steps: 0 screens" in html and "No step was recorded." in html and page.pre == ["boom"]
