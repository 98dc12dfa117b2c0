"""The real voice: pyttsx3 over espeak-ng, one worker thread, playback through ``aplay``.

:class:`EngineSpeaker` keeps the rules of :mod:`client.voice`. ``say`` only puts the utterance in
a queue and returns. One daemon worker takes utterances in turn and speaks each sentence by
sentence (:mod:`client.voice.sentences`): it synthesises the first sentence to a temporary WAV,
starts a player subprocess on it (``aplay -q FILE``), and renders the next sentence while that one
plays, so speech starts after one sentence's synthesis, however long the text. The speaker can
signal the player, so ``stop`` silences speech at once and ``pause`` freezes it (SIGSTOP/SIGCONT);
an interrupted utterance's remaining sentences are dropped with it. A safety warning is never cut
short by ``stop`` or by a new prompt; a new normal prompt replaces a normal one; ``reset`` (the
next customer) silences everything, warnings too.

pyttsx3 2.99's espeak driver, read in its source (pyttsx3/drivers/espeak.py) and measured here:

- espeak-ng runs in AUDIO_OUTPUT_RETRIEVAL mode, which is asynchronous: settings and texts go
  through espeak's own command queue and thread. The driver's ``endLoop`` (run at the start of
  every ``runAndWait``) calls ``espeak_Cancel`` whenever that queue is not empty, and Cancel
  throws queued commands away and restores the previous settings. So a rate or volume set just
  before ``save_to_file`` is often lost (measured: three rates in a row gave the same length),
  and now and then the synthesis itself (1 in 100 back-to-back saves missing or empty). Here
  every change of voice, rate or volume is followed by ``espeak_Synchronize`` (the driver's
  ctypes binding, ``pyttsx3.drivers._espeak``), so the queue is empty when ``runAndWait`` starts:
  0 lost settings or files in 600 mixed renders.
- ``runAndWait`` can return before the WAV is written, and the driver takes the target path only
  when synthesis ends, so each synthesis waits for the driver's "finished-utterance" notice and
  then checks the file it wrote.
- A voice that does not exist is ignored silently (the error goes to a callback), so the voice is
  read back after setting it; every saved file prints "Audio saved to ..." on stdout, which is
  silenced.
- ``pyttsx3.init()`` hands out one cached engine per driver, and espeak's state is per process, so
  every synthesis in the process takes one lock. In the kiosk only the speaker's worker synthesises.

If pyttsx3 ever misbehaves despite that (no notice, a missing or empty file), the espeak-ng command
line (``espeak-ng -v VOICE -s RATE -a AMPLITUDE -w FILE TEXT``), which gives the same audio, takes
over for the rest of the process and a warning is logged.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import wave
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from client.i18n import LANGUAGES
from client.voice import DEFAULT_RATE, DEFAULT_VOLUME, MAX_RATE, MIN_RATE, NullSpeaker, Priority, Speaker
from client.voice.sentences import has_words, split_sentences

log = logging.getLogger("calmpay.voice")

# espeak-ng voices per screen language.
# zh-Hans: "cmn-latn-pinyin", not "cmn". In espeak-ng 1.51 (Debian 12) the plain "cmn" voice reads
# the pinyin of each character with English letter rules and says the tone number in English
# ("一" comes out as "yi one": espeak-ng issues #1028, #1370). "cmn-latn-pinyin" reads Han
# characters correctly (一千 -> ji55 tɕʰiɛn55, with tone sandhi); its only other difference is that
# Latin letters inside Chinese text are read as pinyin. tests/voice checks the phonemes.
# zh-Hant: Cantonese ("yue") by default. A customer who picks 繁體中文 at a kiosk in mainland China
# is most likely from Hong Kong or Macau, where people read traditional characters in Cantonese
# (Taiwanese customers read them in Mandarin; pass zh_hant_voice=ZH_HANS_VOICE for them).
ZH_HANS_VOICE = "cmn-latn-pinyin"
DEFAULT_ZH_HANT_VOICE = "yue"
ENGLISH_VOICE = "en"

DEFAULT_PLAYER: tuple[str, ...] = ("aplay", "-q")
SYNTHESIS_TIMEOUT_S = 5.0  # espeak-ng synthesises a one-line prompt in 10-50 ms
PROBE_TIMEOUT_S = 5.0
CLOSE_TIMEOUT_S = 5.0


class SpeechUnavailable(RuntimeError):
    """The speech engine cannot be used on this machine (the message says why)."""


class SynthesisError(RuntimeError):
    """One utterance could not be synthesised."""


class UnknownVoice(SynthesisError):
    """espeak-ng has no voice of that name."""


def voice_for(language: str, zh_hant_voice: str = DEFAULT_ZH_HANT_VOICE) -> str:
    """The espeak-ng voice for a screen language; ValueError for a language CalmPay does not have."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; expected one of {', '.join(LANGUAGES)}")
    return {"zh-Hans": ZH_HANS_VOICE, "zh-Hant": zh_hant_voice, "en": ENGLISH_VOICE}[language]


def _check_wav(path: Path) -> float:
    """Seconds of audio in ``path``; SynthesisError when it is missing, unreadable or empty."""
    try:
        with wave.open(str(path), "rb") as wav:
            frames, rate = wav.getnframes(), wav.getframerate()
    except (OSError, EOFError, wave.Error) as error:
        raise SynthesisError(f"no usable WAV at {path}: {error}") from error
    if frames == 0:
        raise SynthesisError(f"the WAV at {path} holds no audio")
    return frames / rate


# --- synthesis ----------------------------------------------------------------------------------


class _Pyttsx3Engine:
    """The process's pyttsx3 engine (espeak driver), made safe to use one synthesis at a time."""

    def __init__(self) -> None:
        try:
            import pyttsx3
            from pyttsx3.drivers import _espeak
            from pyttsx3.drivers import espeak as espeak_driver
        except Exception as error:  # ImportError, or OSError when libespeak-ng is missing
            raise SpeechUnavailable(f"pyttsx3 with espeak-ng cannot be loaded: {error}") from error
        # The driver prints "Audio saved to ..." for every file; a module global shadows print.
        espeak_driver.print = lambda *args, **kwargs: None  # type: ignore[attr-defined]
        try:
            self._engine: Any = pyttsx3.init("espeak")
        except Exception as error:
            raise SpeechUnavailable(f"espeak-ng cannot start: {error}") from error
        self._espeak: Any = _espeak
        self._finished = threading.Event()
        self._completed: list[bool] = []
        self._errors: list[str] = []
        self._engine.connect("finished-utterance", self._on_finished)
        self._engine.connect("error", self._on_error)
        # A first, empty run leaves the driver idle, so property changes apply at once and can be
        # checked (before it, they wait in the driver's queue).
        self._engine.runAndWait()
        self._voice: str | None = None

    def _on_finished(self, name: object = None, completed: bool = False) -> None:
        self._completed.append(completed)
        self._finished.set()

    def _on_error(self, name: object = None, exception: object = None) -> None:
        self._errors.append(str(exception))

    def use_voice(self, voice: str) -> None:
        if voice == self._voice:
            return  # switching reloads espeak's dictionary; skip it when nothing changes
        self._errors.clear()
        self._engine.setProperty("voice", voice)
        current = str(self._engine.getProperty("voice") or "").lower()
        if self._errors or not (current == voice.lower() or current.endswith("/" + voice.lower())):
            self._voice = None
            detail = "; ".join(self._errors) or f"it kept {current!r}"
            raise UnknownVoice(f"espeak-ng has no voice {voice!r} ({detail})")
        self._voice = voice
        self._espeak.Synchronize()

    def render(self, text: str, voice: str, rate: int, volume: float, path: Path) -> None:
        self.use_voice(voice)
        self._engine.setProperty("rate", rate)
        self._engine.setProperty("volume", volume)
        # Let espeak apply the settings now: with commands still queued, runAndWait cancels them.
        self._espeak.Synchronize()
        self._finished.clear()
        self._completed.clear()
        self._engine.save_to_file(text, str(path))
        self._engine.runAndWait()
        if not self._finished.wait(SYNTHESIS_TIMEOUT_S):
            raise SynthesisError("pyttsx3 never reported the end of synthesis")
        if self._completed[0] is not True:
            raise SynthesisError("pyttsx3 cancelled the synthesis")
        _check_wav(path)


def _render_with_cli(text: str, voice: str, rate: int, volume: float, path: Path) -> None:
    """The same synthesis through the espeak-ng command (amplitude 100 = pyttsx3 volume 1.0)."""
    command = ["espeak-ng", "-v", voice, "-s", str(rate), "-a", str(round(volume * 100)), "-w", str(path), "--", text]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=SYNTHESIS_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SynthesisError(f"espeak-ng failed: {error}") from error
    if result.returncode != 0:
        raise SynthesisError(f"espeak-ng failed ({result.returncode}): {result.stderr.strip()}")
    _check_wav(path)


_ENGINE_LOCK = threading.Lock()  # one synthesis at a time in the whole process (see module doc)
_engine: _Pyttsx3Engine | None = None
_engine_failure: str | None = None  # why the engine cannot start (remembered: espeak inits once)
_use_cli = False  # pyttsx3 misbehaved once: the command line speaks from now on


def _shared_engine() -> _Pyttsx3Engine:
    """The process's engine, created on first use; SpeechUnavailable if it cannot start. Hold the lock."""
    global _engine, _engine_failure
    if _engine is None:
        if _engine_failure is not None:
            raise SpeechUnavailable(_engine_failure)
        try:
            _engine = _Pyttsx3Engine()
        except SpeechUnavailable as error:
            _engine_failure = str(error)
            raise
    return _engine


def check_engine(voices: Sequence[str]) -> None:
    """Start the engine if needed and check it has every voice; SpeechUnavailable if not."""
    with _ENGINE_LOCK:
        engine = _shared_engine()
        for voice in voices:
            try:
                engine.use_voice(voice)
            except UnknownVoice as error:
                raise SpeechUnavailable(str(error)) from error


def synthesise(text: str, voice: str, rate: int, volume: float, path: Path) -> Path:
    """Write ``text`` spoken by ``voice`` to a WAV; returns the file (``path``, or a sibling when the
    command line took over). SpeechUnavailable when there is no engine, SynthesisError on failure."""
    global _use_cli
    with _ENGINE_LOCK:
        engine = _shared_engine()
        if not _use_cli:
            try:
                engine.render(text, voice, rate, volume, path)
                return path
            except UnknownVoice:
                raise
            except SynthesisError as error:
                log.warning("pyttsx3 failed (%s); the espeak-ng command line speaks from now on", error)
                _use_cli = True
        # A different file: a late callback from the abandoned pyttsx3 synthesis writes to ``path``.
        fallback = path.with_name(path.stem + "-cli.wav")
        _render_with_cli(text, voice, rate, volume, fallback)
        return fallback


def _clamp_rate(words_per_minute: int) -> int:
    return min(max(int(words_per_minute), MIN_RATE), MAX_RATE)


def _clamp_volume(volume: float) -> float:
    return min(max(float(volume), 0.0), 1.0)


def render_to_wav(
    text: str,
    language: str,
    path: str | os.PathLike[str],
    rate: int = DEFAULT_RATE,
    volume: float = DEFAULT_VOLUME,
    *,
    zh_hant_voice: str = DEFAULT_ZH_HANT_VOICE,
) -> Path:
    """Synthesise ``text`` in ``language`` with the real engine to the WAV file ``path`` (no sound
    card needed); returns the path. Rate and volume are clamped like the speaker's.

    ValueError for empty text or an unknown language, OSError when ``path`` cannot be written,
    SpeechUnavailable when the engine cannot run, SynthesisError when synthesis failed."""
    if not text.strip():
        raise ValueError("nothing to say: the text is empty")
    voice = voice_for(language, zh_hant_voice)
    target = Path(path)
    if not target.parent.is_dir():
        raise FileNotFoundError(f"no such directory: {target.parent}")
    with tempfile.TemporaryDirectory(prefix="calmpay-voice-") as scratch:
        produced = synthesise(text, voice, _clamp_rate(rate), _clamp_volume(volume), Path(scratch) / "speech.wav")
        shutil.copyfile(produced, target)
    return target


# --- output device ------------------------------------------------------------------------------


def probe_player(player_command: Sequence[str]) -> str | None:
    """Why ``player_command`` cannot play sound here, or None when it can.

    For aplay, ``aplay -l`` must list a sound card; another player only has to exist."""
    if not player_command:
        return "no audio player command"
    executable = shutil.which(player_command[0])
    if executable is None:
        hint = " (Debian package alsa-utils)" if Path(player_command[0]).name == "aplay" else ""
        return f"the audio player {player_command[0]!r} is not installed{hint}"
    if Path(executable).name != "aplay":
        return None
    try:
        listing = subprocess.run(
            [executable, "-l"], capture_output=True, text=True, timeout=PROBE_TIMEOUT_S, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"aplay -l failed: {error}"
    if not any(line.startswith("card ") for line in listing.stdout.splitlines()):
        said = (listing.stderr or listing.stdout).strip().splitlines()
        return "no sound card: aplay -l found none" + (f" ({said[-1]})" if said else "")
    return None


def _player_log(wav: Path) -> Path:
    """Where the player of ``wav`` writes what it says (read when it fails)."""
    return wav.with_suffix(".log")


def _discard(wav: Path | None) -> None:
    """Delete a sentence's WAV and its player's log, once played or dropped."""
    if wav is not None:
        wav.unlink(missing_ok=True)
        _player_log(wav).unlink(missing_ok=True)


# --- the speaker --------------------------------------------------------------------------------


@dataclass
class _Job:
    text: str
    language: str
    priority: Priority
    voice: str
    rate: int
    volume: float
    interrupted: bool = False

    def sentences(self) -> list[str]:
        """The sentences to synthesise one by one (each with something to say, so never empty)."""
        return [piece.strip() for piece in split_sentences(self.text) if has_words(piece)] or [self.text.strip()]


StartedCallback = Callable[[str], None]
FinishedCallback = Callable[[str, bool], None]


class EngineSpeaker:
    """The :class:`client.voice.Speaker` that really talks. See the module doc for the design.

    Callbacks run on the worker thread: ``on_started(text)`` when playback of an utterance starts
    (its first sentence is handed to the player), ``on_finished(text, interrupted)`` when it ends
    (exactly once for every started utterance). Utterances dropped before they started (replaced,
    stopped) report neither.

    Volume and rate apply from the next utterance. ``pause`` holds the queue and freezes the
    player (safety warnings too: paused, not cut); ``resume`` continues where it stopped.

    When the engine or an audio output is missing, ``available`` is False, ``reason`` says why in
    one line, and every method does nothing.
    """

    def __init__(
        self,
        *,
        zh_hant_voice: str = DEFAULT_ZH_HANT_VOICE,
        player_command: Sequence[str] = DEFAULT_PLAYER,
        on_started: StartedCallback | None = None,
        on_finished: FinishedCallback | None = None,
        default_volume: float = DEFAULT_VOLUME,
        default_rate: int = DEFAULT_RATE,
    ) -> None:
        self.zh_hant_voice = zh_hant_voice
        self.player_command: tuple[str, ...] = tuple(player_command)
        self.on_started = on_started
        self.on_finished = on_finished
        self.default_volume = _clamp_volume(default_volume)
        self.default_rate = _clamp_rate(default_rate)
        self._volume, self._rate = self.default_volume, self.default_rate

        self._cond = threading.Condition()
        self._pending: deque[_Job] = deque()
        self._current: _Job | None = None
        self._player: subprocess.Popen[bytes] | None = None
        self._paused = False
        self._closed = False
        self._worker: threading.Thread | None = None
        self._scratch: tempfile.TemporaryDirectory[str] | None = None
        self._renders = 0  # names each sentence's WAV (worker thread only)

        self.reason = probe_player(self.player_command) or ""
        if not self.reason:
            try:
                check_engine([voice_for(language, zh_hant_voice) for language in LANGUAGES])
            except SpeechUnavailable as error:
                self.reason = str(error)
        self.available = not self.reason
        if self.available:
            self._scratch = tempfile.TemporaryDirectory(prefix="calmpay-voice-")
            self._worker = threading.Thread(target=self._run, name="calmpay-voice", daemon=True)
            self._worker.start()
        else:
            log.warning("voice prompts are off: %s", self.reason)

    # --- the Speaker protocol (called from the UI thread; none of these blocks) -------------------

    def say(self, text: str, *, language: str, priority: Priority = "normal") -> None:
        voice = voice_for(language, self.zh_hant_voice)  # an unknown language is a bug: say so
        if not has_words(text) or not self.available:  # empty text breaks espeak; marks alone say nothing
            return
        with self._cond:
            if self._closed:
                return
            # Anything new makes normal speech that has not been heard yet out of date.
            self._drop_normal()
            self._pending.append(_Job(text, language, priority, voice, self._rate, self._volume))
            self._cond.notify_all()

    def stop(self) -> None:
        with self._cond:
            self._drop_normal()

    def pause(self) -> None:
        with self._cond:
            self._paused = True
            self._signal_player(signal.SIGSTOP)

    def resume(self) -> None:
        with self._cond:
            self._paused = False
            self._signal_player(signal.SIGCONT)
            self._cond.notify_all()

    def set_volume(self, volume: float) -> None:
        self._volume = _clamp_volume(volume)

    def set_rate(self, words_per_minute: int) -> None:
        self._rate = _clamp_rate(words_per_minute)

    def reset(self) -> None:
        """The next customer: silence (a warning too: it was the last customer's, and may name
        their payee or amount), default volume and rate, and not paused."""
        with self._cond:
            self._pending.clear()
            if self._current is not None:
                self._interrupt(self._current)
        self._volume, self._rate = self.default_volume, self.default_rate
        self.resume()

    def close(self) -> None:
        """Silence everything (safety warnings too: the kiosk is shutting down) and end the worker."""
        with self._cond:
            if self._closed:
                return
            self._closed = True
            self._pending.clear()
            if self._current is not None:
                self._interrupt(self._current)
            self._cond.notify_all()
        if self._worker is not None:
            self._worker.join(CLOSE_TIMEOUT_S)
            if self._worker.is_alive():  # pragma: no cover - a player that ignores SIGTERM
                log.warning("the voice worker did not stop within %s s", CLOSE_TIMEOUT_S)
        if self._scratch is not None and (self._worker is None or not self._worker.is_alive()):
            self._scratch.cleanup()

    # --- extras -----------------------------------------------------------------------------

    @property
    def volume(self) -> float:
        return self._volume

    @property
    def rate(self) -> int:
        return self._rate

    @property
    def paused(self) -> bool:
        return self._paused

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until nothing is queued or playing; False on timeout. For tests and tools, not the UI."""
        with self._cond:
            return self._cond.wait_for(lambda: self._closed or (not self._pending and self._current is None), timeout)

    def __enter__(self) -> EngineSpeaker:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- internals (hold self._cond) -------------------------------------------------------------

    def _drop_normal(self) -> None:
        self._pending = deque(job for job in self._pending if job.priority == "safety")
        if self._current is not None and self._current.priority == "normal":
            self._interrupt(self._current)

    def _interrupt(self, job: _Job) -> None:
        job.interrupted = True
        if self._player is not None and self._player.poll() is None:
            self._player.terminate()
            if self._paused:
                self._player.send_signal(signal.SIGCONT)  # a stopped process acts on SIGTERM only when continued

    def _signal_player(self, signum: signal.Signals) -> None:
        if self._player is not None and self._player.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self._player.send_signal(signum)

    # --- the worker ----------------------------------------------------------------------------

    def _run(self) -> None:
        assert self._scratch is not None
        scratch = Path(self._scratch.name)
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._closed or (self._pending and not self._paused))
                if self._closed:
                    return
                job = self._current = self._pending.popleft()
            try:
                self._speak(job, scratch)
            except Exception:  # one bad utterance must not end the voice
                log.exception("could not say %r", job.text)
            finally:
                with self._cond:
                    self._current = None
                    self._player = None
                    self._cond.notify_all()

    def _render(self, job: _Job, sentence: str, scratch: Path) -> Path | None:
        """One sentence of ``job`` as a WAV, or None (logged) when it cannot be synthesised."""
        self._renders += 1
        try:
            return synthesise(sentence, job.voice, job.rate, job.volume, scratch / f"sentence-{self._renders}.wav")
        except (SynthesisError, SpeechUnavailable) as error:
            log.error("could not synthesise %r: %s", sentence, error)
            return None

    def _speak(self, job: _Job, scratch: Path) -> None:
        """Play ``job`` sentence by sentence, rendering the next while the present one plays."""
        sentences = job.sentences()
        started = interrupted = False
        ready = self._render(job, sentences[0], scratch)
        for following in [*sentences[1:], None]:
            wav, ready = ready, None
            try:
                player = self._start_player(job, wav) if wav is not None else None
                if player is not None and not started:
                    started = True
                    self._callback(self.on_started, job.text)
                if following is not None and not job.interrupted:
                    ready = self._render(job, following, scratch)  # while this one plays
                interrupted = self._wait_player(job, player) if player is not None else job.interrupted
            finally:
                _discard(wav)
            if interrupted:
                break
        _discard(ready)  # rendered, then dropped with the rest of an interrupted utterance
        if started:
            self._callback(self.on_finished, job.text, interrupted)

    def _start_player(self, job: _Job, wav: Path) -> subprocess.Popen[bytes] | None:
        """The player started on ``wav`` (frozen when paused), or None when ``job`` was dropped."""
        with self._cond:
            # Paused while synthesising: wait, unless the utterance is dropped meanwhile.
            self._cond.wait_for(lambda: self._closed or job.interrupted or not self._paused)
            if self._closed or job.interrupted:
                return None
        with _player_log(wav).open("wb") as player_log:
            player = subprocess.Popen(
                [*self.player_command, str(wav)], stdin=subprocess.DEVNULL, stdout=player_log, stderr=player_log
            )
        with self._cond:
            self._player = player
            if job.interrupted or self._closed:  # stop() came between Popen and here
                self._interrupt(job)
            elif self._paused:
                self._signal_player(signal.SIGSTOP)
        return player

    def _wait_player(self, job: _Job, player: subprocess.Popen[bytes]) -> bool:
        """Wait for ``player`` to end; whether ``job`` was interrupted meanwhile."""
        code = player.wait()
        with self._cond:
            self._player = None
            interrupted = job.interrupted
        if code != 0 and not interrupted:
            said = _player_log(Path(player.args[-1])).read_text("utf-8", errors="replace").strip()
            log.warning("the audio player exited with %s: %s", code, said[-300:])
        return interrupted

    @staticmethod
    def _callback(callback: Callable[..., None] | None, *args: object) -> None:
        if callback is None:
            return
        try:
            callback(*args)
        except Exception:
            log.exception("a voice callback failed")


# --- the factory --------------------------------------------------------------------------------


class SpeakerChoice(NamedTuple):
    """What :func:`create_speaker` picked; ``notice`` is one line for the UI to show once, or None."""

    speaker: Speaker
    notice: str | None


def create_speaker(enabled: bool = True, **options: Any) -> SpeakerChoice:
    """The real speaker when it can talk here, otherwise a NullSpeaker and the reason.

    ``speaker, notice = create_speaker(settings.voice)``; ``options`` go to :class:`EngineSpeaker`.
    Voice turned off on purpose gives no notice."""
    if not enabled:
        return SpeakerChoice(NullSpeaker(), None)
    speaker = EngineSpeaker(**options)
    if speaker.available:
        return SpeakerChoice(speaker, None)
    return SpeakerChoice(NullSpeaker(), f"Voice prompts are off: {speaker.reason}.")
