"""The kiosk's side of the research log: what the participant meets and does, as events
(client.research.events). Which control and which key, never what was typed or shown."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from client.research.events import control_name, key_name
from client.voice import Priority, Speaker
from ui.main_window import MainWindow

log = logging.getLogger("calmpay.research")

Record = Callable[..., None]  # record(type, *, screen=None, widget=None, **detail)
SECURITY_SCREENS = ("risk", "stop")


class EventTap(QObject):
    """Listens to one kiosk window and hands each event to ``record`` (a session's)."""

    def __init__(self, window: MainWindow, record: Record) -> None:
        super().__init__(window)
        self.window = window
        self._record = record
        self.screen: str | None = None
        self._prompt: str | None = None
        self._answer_buttons: set[int] = set()
        self.speaker = ResearchSpeaker(window.speaker, self)
        window.speaker = window.voice.speaker = self.speaker
        window.screen_changed.connect(self._screen_changed)
        window.happened.connect(lambda kind, detail: self.record(kind, **detail))
        window.help_call.asked.connect(self._staff_asked)
        window.idle.warned.connect(lambda _text: self.record("timeout_warning"))
        window.idle.extended.connect(lambda: self.record("timeout_extended"))
        window.visit_ended.connect(lambda reason: self.record("timed_out") if reason == "timed_out" else None)
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.installEventFilter(self)
        app.focusChanged.connect(self._focus_moved)
        self._screen_changed(window.current_id)

    def _staff_asked(self, reason: str, by_itself: bool) -> None:
        # Help that comes by itself is asked for as a screen arrives, before this tap hears of it.
        self._screen_changed(self.window.current_id)
        self.record("call_staff", reason=reason, by="kiosk" if by_itself else "participant")

    def record(self, type_: str, *, widget: str | None = None, **detail: Any) -> None:
        try:
            self._record(type_, screen=self.screen, widget=control_name(widget), **detail)
        except Exception:  # from Qt's delivery: the kiosk goes on, staff read the log
            log.exception("recording a research event")

    def detach(self) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.removeEventFilter(self)
            app.focusChanged.disconnect(self._focus_moved)
        self.window.speaker = self.window.voice.speaker = self.speaker.inner
        self._record = lambda *_, **__: None

    # --- screens and security prompts -------------------------------------------------------------

    def _screen_changed(self, screen_id: str) -> None:
        if screen_id == self.screen or not screen_id:
            return
        if self.screen is not None:
            self.record("screen_exit")
        self.screen = screen_id
        self.record("screen_enter")
        if screen_id in SECURITY_SCREENS:
            screen: Any = self.window.screens[screen_id]
            prompt = screen.prompt() if screen_id == "risk" else None
            self._prompt = prompt.code if prompt is not None else str(getattr(screen, "code", screen_id))
            self.record("security_prompt_shown", prompt=self._prompt)
            for button in screen.findChildren(QAbstractButton):
                if id(button) not in self._answer_buttons:
                    self._answer_buttons.add(id(button))
                    # pressed: before the answer acts (its clicked may already have left the screen)
                    button.pressed.connect(lambda b=button, s=screen_id: self._answered(s, b))

    def _answered(self, screen_id: str, button: QAbstractButton) -> None:
        if self.screen == screen_id and self._prompt is not None:
            self.record(
                "security_prompt_answered", widget=button.objectName(), prompt=self._prompt, answer=button.objectName()
            )

    # --- keys, taps, focus ------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        try:
            self._filter(watched, event)
        except Exception:
            log.exception("research event filter")
        return False

    def _filter(self, watched: QObject, event: QEvent) -> None:
        kind = event.type()
        if kind == QEvent.Type.KeyPress:
            focused = QApplication.focusWidget()
            # A key travels up the parents it is not taken by: logged at its first stop only.
            if watched is not (focused or self.window) or not self._inside(focused or self.window):
                return
            assert isinstance(event, QKeyEvent)
            if event.isAutoRepeat():
                return
            name = _key_name(event)
            self.record("key", widget=focused.objectName() if focused else None, key=key_name(name))
        elif kind == QEvent.Type.MouseButtonRelease and isinstance(watched, QAbstractButton) and self._inside(watched):
            self.record("tap", widget=watched.objectName())

    def _focus_moved(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and self._inside(new) and new.objectName():
            self.record("focus", widget=new.objectName())

    def _inside(self, widget: QObject) -> bool:
        return isinstance(widget, QWidget) and (widget is self.window or self.window.isAncestorOf(widget))


def _key_name(event: QKeyEvent) -> str:
    text = event.text()
    if text and text.isprintable() and text != " ":
        return "character"
    if event.key() == Qt.Key.Key_Space:
        return "Space"
    name = Qt.Key(event.key()).name
    return name.removeprefix("Key_") if isinstance(name, str) else "character"


class ResearchSpeaker:
    """The kiosk's speaker, as the log hears it: each utterance played (its length), repeated, or
    cut short by the participant's next action."""

    def __init__(self, inner: Speaker, tap: EventTap) -> None:
        self.inner = inner
        self._tap = tap
        self._speaking = False
        self.muted = False  # a condition without voice: nothing is said, nothing is logged as said
        # A kiosk without a voice (no engine, no audio output) says nothing: nothing is logged as said.
        self.audible = bool(getattr(inner, "available", True))
        finished = getattr(inner, "on_finished", None)
        if hasattr(inner, "on_finished"):  # the real engine says when an utterance has ended

            def ended(text: str, interrupted: bool) -> None:
                self._speaking = False  # a plain flag: set from the voice's worker thread
                if finished is not None:
                    finished(text, interrupted)

            inner.on_finished = ended  # type: ignore[attr-defined]

    def say(self, text: str, *, language: str, priority: Priority = "normal") -> None:
        if self.muted:
            return
        if text.strip() and self.audible:
            self._tap.record("speech_played", chars=len(text))
            self._speaking = priority != "safety"  # a safety warning plays on: it is never cut
        self.inner.say(text, language=language, priority=priority)

    def stop(self) -> None:
        if self._speaking:
            self._tap.record("speech_interrupted")
            self._speaking = False
        self.inner.stop()

    def __getattr__(self, name: str) -> Any:  # pause, resume, volume, rate, reset, close
        return getattr(self.inner, name)
