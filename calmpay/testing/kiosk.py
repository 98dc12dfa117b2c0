"""A kiosk window for a test, registered with the test's bank, on screen with the keyboard focus; and
the recording of what happened in it, for the failure trace (screens, keys, speech, API calls)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

import httpx
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, QTimer
from PySide6.QtGui import QTextDocumentFragment
from pytestqt.qtbot import QtBot

from calmpay.testing.bank import loopback_transport
from calmpay.testing.speaker import RecordingSpeaker, Utterance
from calmpay.testing.trace import Step, Trace
from client.api import PaymentApi
from client.credentials import CredentialStore
from client.kiosk import Kiosk
from client.settings import KioskSettings
from ui.main_window import MainWindow

SCREENSHOT_WIDTH = 640  # half a 1280 window: readable in the trace, light to keep
# A long test (a soak of hundreds of customers) keeps the pictures of its last screens only: a
# failure is read from its end, and the steps before keep their words.
SCREENSHOTS_KEPT = 120


def plain_text(text: str) -> str:
    """A label's words as read: rich text without its markup, spaces as one."""
    if text.lstrip().startswith("<"):  # the kiosk's rich text (a title's line height)
        text = QTextDocumentFragment.fromHtml(text).toPlainText()
    return " ".join(text.split())


@dataclass
class Recorder:
    """Collects a test's steps into its trace as they happen (from any thread: a list append)."""

    trace: Trace
    started: float = field(default_factory=time.monotonic)
    window: MainWindow | None = None

    def at_ms(self) -> int:
        return round((time.monotonic() - self.started) * 1000)

    def screen_id(self) -> str | None:
        return self.window.current_id if self.window is not None else None

    def note(self, kind: str, text: str, image_png: bytes | None = None) -> None:
        self.trace.add(Step(self.at_ms(), kind, text, self.screen_id(), image_png))  # type: ignore[arg-type]

    def key(self, what: str) -> None:
        self.note("key", what)

    def speech(self, utterance: Utterance) -> None:
        self.note("speech", utterance.text)

    def screenshot(self, caption: str = "") -> None:
        window = self.window
        if window is None:
            return
        title = plain_text(window.title.text())
        image = window.grab().scaledToWidth(SCREENSHOT_WIDTH, Qt.TransformationMode.SmoothTransformation)
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        text = f"{window.current_id} · {title}" + (f" ({caption})" if caption else "")
        self.note("screen", text, bytes(data.data()))
        self._drop_old_pictures()

    def _drop_old_pictures(self) -> None:
        steps = self.trace.steps
        pictured = [index for index, step in enumerate(steps) if step.image_png is not None]
        for index in pictured[: max(0, len(pictured) - SCREENSHOTS_KEPT)]:
            steps[index] = replace(steps[index], image_png=None)

    def watch(self, window: MainWindow) -> None:
        self.window = window
        # Once the new screen has painted its words and focus (the next turn of the event loop).
        window.screen_changed.connect(lambda _screen: QTimer.singleShot(0, self.screenshot))


class RecordingTransport(httpx.BaseTransport):
    """The kiosk's HTTP, told to the trace: method, path, status and time; never a body or a query."""

    def __init__(self, inner: httpx.BaseTransport, recorder: Recorder) -> None:
        self.inner, self.recorder = inner, recorder

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        began = time.monotonic()
        path = urlsplit(str(request.url)).path
        try:
            response = self.inner.handle_request(request)
        except httpx.HTTPError as error:
            self.recorder.note("api", f"{request.method} {path} → {type(error).__name__}")
            raise
        took = round((time.monotonic() - began) * 1000)
        self.recorder.note("api", f"{request.method} {path} → {response.status_code} ({took} ms)")
        return response

    def close(self) -> None:
        self.inner.close()


def open_kiosk(
    qtbot: QtBot,
    url: str,
    settings: KioskSettings,
    *,
    recorder: Recorder | None = None,
    label: str = "e2e kiosk",
) -> tuple[MainWindow, RecordingSpeaker]:
    """A kiosk window (registered with the bank at ``url``, as this kiosk) on screen with the keyboard
    focus; its client is closed with the window's bank calls done."""
    transport: httpx.BaseTransport = loopback_transport()
    if recorder is not None:
        transport = RecordingTransport(transport, recorder)
    api = PaymentApi(url, backoff_seconds=0.01, transport=transport)
    kiosk = Kiosk(api, CredentialStore(url), label)
    kiosk.ensure_registered()
    speaker = RecordingSpeaker()
    window = MainWindow(kiosk, settings, speaker=speaker)
    qtbot.addWidget(window, before_close_func=lambda w: (w.bridge.wait_for_done(3000), api.close()))
    if recorder is not None:
        speaker.listener = recorder.speech
        recorder.watch(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    if recorder is not None:
        recorder.screenshot()  # the screen the test starts on
    return window, speaker


@contextmanager
def checking_client(url: str, kiosk: Kiosk) -> Iterator[PaymentApi]:
    """A second client of the bank, as this kiosk, for checks that bypass the window."""
    checker = PaymentApi(url, transport=loopback_transport())
    credentials = kiosk.credentials.load()
    assert credentials is not None, "the kiosk is not registered"
    checker.use_kiosk(credentials)
    try:
        yield checker
    finally:
        checker.close()
