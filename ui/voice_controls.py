"""The voice controls every screen has in elder mode: Repeat, Pause, and a panel for volume and
rate. They own the per-customer voice choices, which reset for each new customer (EN 301 549
5.1.3.13)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QWidget

from client.i18n import Translator
from client.voice import DEFAULT_RATE, DEFAULT_VOLUME, MAX_RATE, MIN_RATE, Priority, Speaker
from ui.widgets import button, set_role

VOLUME_STEP = 0.1
RATE_STEP = 20


class VoiceControls(QObject):
    """Repeat / Pause / voice settings buttons (for the header) and the volume and rate panel."""

    def __init__(
        self,
        page: QWidget,
        speaker: Speaker,
        *,
        translator: Callable[[], Translator],
        announce: Callable[[str], None],
        relabel: Callable[[], None],
    ) -> None:
        super().__init__(page)
        self.speaker = speaker
        self._translator = translator
        self._announce = announce
        self._relabel = relabel  # "Pause" reads "Resume" while paused
        self.volume = DEFAULT_VOLUME
        self.rate = DEFAULT_RATE
        self.last_prompt: tuple[str, Priority] = ("", "normal")

        self.repeat_button = button("voiceRepeat", "secondary", page)
        self.repeat_button.clicked.connect(self.repeat)
        self.pause_button = button("voicePause", "secondary", page)
        self.pause_button.setCheckable(True)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.settings_button = button("voiceSettings", "secondary", page)
        self.settings_button.setCheckable(True)
        self.settings_button.clicked.connect(lambda checked: self.panel.setVisible(checked))

    def build_panel(self, page: QWidget) -> QFrame:
        """The volume and rate panel. Built after the header, so the Tab order stays header first."""
        panel = QFrame(page)
        panel.setObjectName("voicePanel")
        set_role(panel, "panel")
        row = QHBoxLayout(panel)
        self.quieter_button = button("voiceQuieter", "secondary", panel)
        self.quieter_button.clicked.connect(lambda: self.set_volume(self.volume - VOLUME_STEP))
        self.louder_button = button("voiceLouder", "secondary", panel)
        self.louder_button.clicked.connect(lambda: self.set_volume(self.volume + VOLUME_STEP))
        self.slower_button = button("voiceSlower", "secondary", panel)
        self.slower_button.clicked.connect(lambda: self.set_rate(self.rate - RATE_STEP))
        self.faster_button = button("voiceFaster", "secondary", panel)
        self.faster_button.clicked.connect(lambda: self.set_rate(self.rate + RATE_STEP))
        for widget in (self.quieter_button, self.louder_button, self.slower_button, self.faster_button):
            row.addWidget(widget)
        panel.setVisible(False)
        self.panel = panel
        return panel

    @property
    def header_buttons(self) -> tuple[QPushButton, ...]:
        return (self.repeat_button, self.pause_button, self.settings_button)

    def chrome(self) -> list[tuple[QPushButton, str]]:
        """Each control with its catalog key, for the window's retranslation."""
        return [
            (self.repeat_button, "voice.repeat"),
            (self.pause_button, "voice.resume" if self.pause_button.isChecked() else "voice.pause"),
            (self.settings_button, "voice.settings"),
            (self.quieter_button, "voice.quieter"),
            (self.louder_button, "voice.louder"),
            (self.slower_button, "voice.slower"),
            (self.faster_button, "voice.faster"),
        ]

    def show_for(self, elder: bool) -> None:
        """Elder mode shows the voice controls on every screen; standard mode hides them."""
        for widget in self.header_buttons:
            widget.setVisible(elder)
        if not elder:
            self.settings_button.setChecked(False)
            self.panel.setVisible(False)

    # --- speaking -------------------------------------------------------------------------------

    def say(self, text: str, priority: Priority = "normal") -> None:
        self.last_prompt = (text, priority)
        self.speaker.say(text, language=self._translator().language, priority=priority)

    def repeat(self) -> None:
        text, priority = self.last_prompt
        if text:
            self.speaker.say(text, language=self._translator().language, priority=priority)

    def toggle_pause(self, paused: bool) -> None:
        (self.speaker.pause if paused else self.speaker.resume)()
        self._relabel()

    @property
    def paused(self) -> bool:
        return self.pause_button.isChecked()

    def resume(self) -> None:
        """The voice on again, as if the customer had pressed Resume."""
        if self.paused:
            self.pause_button.setChecked(False)
            self.toggle_pause(False)

    def set_volume(self, volume: float) -> None:
        self.volume = round(min(max(volume, 0.1), 1.0), 2)
        self.speaker.set_volume(self.volume)
        self._announce(self._translator()("voice.volume_now", percent=round(self.volume * 100)))

    def set_rate(self, rate: int) -> None:
        self.rate = min(max(rate, MIN_RATE), MAX_RATE)
        self.speaker.set_rate(self.rate)
        self._announce(self._translator()("voice.rate_now"))

    def reset(self) -> None:
        """The next customer starts with the kiosk's voice, not the last customer's."""
        self.speaker.stop()
        self.speaker.reset()
        self.volume, self.rate = DEFAULT_VOLUME, DEFAULT_RATE
        self.pause_button.setChecked(False)
        self.settings_button.setChecked(False)
        self.panel.setVisible(False)
        self.last_prompt = ("", "normal")
