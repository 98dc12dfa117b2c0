"""EngineSpeaker with real synthesis and stand-in players: it never blocks the caller, stops when
the customer acts, never cuts a safety warning, and starts each customer with default settings."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from client.voice import DEFAULT_RATE, DEFAULT_VOLUME, MAX_RATE, MIN_RATE, NullSpeaker
from client.voice import engine as speech_engine
from client.voice.engine import EngineSpeaker, SpeechUnavailable, create_speaker, probe_player
from tests.voice.conftest import Events, Players

MakeSpeaker = Callable[..., EngineSpeaker]
PROMPT = "请插入您的银行卡。"
SAY_BUDGET_S = 0.05  # say() only queues; 50 ms is already a visible stall on a touch screen


def test_say_returns_at_once_and_plays_the_synthesised_prompt(
    make_speaker: MakeSpeaker, players: Players, events: Events
) -> None:
    speaker = make_speaker(players.gated())
    began = time.perf_counter()
    speaker.say(PROMPT, language="zh-Hans")
    returned = time.perf_counter()
    assert returned - began < SAY_BUDGET_S
    _, started = events.wait("started", PROMPT)
    assert started > returned
    players.release()
    assert events.wait("finished", PROMPT)[0] is False
    assert speaker.wait_idle(10)
    assert players.completed() == 1
    ((frames, peak),) = players.reports()
    assert frames > 22050 * 0.5 and peak > 3000  # half a second of real speech at least


def test_stop_interrupts_a_normal_prompt_at_once(make_speaker: MakeSpeaker, players: Players, events: Events) -> None:
    speaker = make_speaker(players.gated())
    speaker.say(PROMPT, language="zh-Hans")
    events.wait("started", PROMPT)
    stopped = time.perf_counter()
    speaker.stop()
    interrupted, finished = events.wait("finished", PROMPT)
    assert interrupted is True
    assert finished - stopped < 1.0
    assert players.completed() == 0


def test_a_safety_warning_plays_in_full_through_stop_and_new_prompts(
    make_speaker: MakeSpeaker, players: Players, events: Events
) -> None:
    warning, prompt = "Never tell anyone your PIN, not even the bank.", "Choose an account."
    speaker = make_speaker(players.gated())
    speaker.say(warning, language="en", priority="safety")
    events.wait("started", warning)
    speaker.stop()  # the customer touched the screen
    speaker.say(prompt, language="en")  # and the next screen has something to say
    players.release()  # only now may the warning end
    assert events.wait("finished", warning)[0] is False
    events.wait("started", prompt)
    players.release()
    assert events.wait("finished", prompt)[0] is False
    assert events.sequence() == [
        ("started", warning, None),
        ("finished", warning, False),
        ("started", prompt, None),
        ("finished", prompt, False),
    ]
    assert players.completed() == 2  # both players were released, neither was killed


def test_a_new_prompt_replaces_the_one_being_said_and_those_waiting(
    make_speaker: MakeSpeaker, players: Players, events: Events
) -> None:
    first, second, third = "第一句。", "第二句。", "第三句。"
    speaker = make_speaker(players.gated())
    speaker.say(first, language="zh-Hans")
    events.wait("started", first)
    speaker.pause()  # hold the queue so the next two are both waiting
    speaker.say(second, language="zh-Hans")
    speaker.say(third, language="zh-Hans")
    assert events.wait("finished", first)[0] is True
    speaker.resume()
    events.wait("started", third)
    players.release()
    assert events.wait("finished", third)[0] is False
    assert speaker.wait_idle(10)
    assert events.started() == [first, third]  # the second was out of date before it began


def test_stop_drops_waiting_prompts_but_keeps_waiting_warnings(
    make_speaker: MakeSpeaker, players: Players, events: Events
) -> None:
    prompt, warning, later = "Welcome.", "This payee is new to you. Check the name.", "Enter the amount."
    speaker = make_speaker(players.gated())
    speaker.say(prompt, language="en")
    events.wait("started", prompt)
    speaker.pause()
    speaker.say(warning, language="en", priority="safety")  # cuts the welcome short
    speaker.say(later, language="en")
    speaker.stop()  # drops "later", never the warning
    assert events.wait("finished", prompt)[0] is True
    speaker.resume()
    events.wait("started", warning)
    players.release(2)  # the warning's two sentences, one player each
    assert events.wait("finished", warning)[0] is False
    assert speaker.wait_idle(10)
    assert events.started() == [prompt, warning]


def _wait_for_state(pid: int, flag: int) -> bool:
    """Wait (without reaping) until child ``pid`` stops or continues; False after 10 s."""
    seen = threading.Event()

    def watch() -> None:
        os.waitid(os.P_PID, pid, flag | os.WNOWAIT)
        seen.set()

    threading.Thread(target=watch, daemon=True).start()
    return seen.wait(10)


def test_pause_freezes_the_player_and_resume_continues_it(
    make_speaker: MakeSpeaker, players: Players, events: Events
) -> None:
    speaker = make_speaker(players.gated())
    speaker.say(PROMPT, language="zh-Hans")
    events.wait("started", PROMPT)
    player = speaker._player
    assert player is not None
    speaker.pause()
    assert speaker.paused
    assert _wait_for_state(player.pid, os.WSTOPPED)
    players.release()
    speaker.resume()
    assert _wait_for_state(player.pid, os.WCONTINUED)
    assert events.wait("finished", PROMPT)[0] is False
    assert players.completed() == 1


def test_stop_while_paused_still_ends_the_player(make_speaker: MakeSpeaker, players: Players, events: Events) -> None:
    speaker = make_speaker(players.gated())
    speaker.say(PROMPT, language="zh-Hans")
    events.wait("started", PROMPT)
    speaker.pause()
    speaker.stop()
    assert events.wait("finished", PROMPT)[0] is True


def test_pause_holds_prompts_until_resume(make_speaker: MakeSpeaker, players: Players, events: Events) -> None:
    speaker = make_speaker(players.instant())
    speaker.pause()
    speaker.say("One.", language="en")
    speaker.say("Two.", language="en")
    assert not speaker.wait_idle(0)
    speaker.resume()
    events.wait("finished", "Two.")
    assert speaker.wait_idle(10)
    assert events.started() == ["Two."]


def test_volume_and_rate_change_the_speech_and_reset_restores_them(
    make_speaker: MakeSpeaker, players: Players, events: Events
) -> None:
    text = "Please take your card."
    speaker = make_speaker(players.instant())

    def played() -> tuple[int, int]:
        speaker.say(text, language="en")
        assert speaker.wait_idle(10)
        return players.reports()[-1]

    default = played()
    speaker.set_volume(0.2)
    speaker.set_rate(MAX_RATE + 100)
    assert (speaker.volume, speaker.rate) == (0.2, MAX_RATE)
    quiet_fast = played()
    speaker.set_rate(MIN_RATE - 50)
    assert speaker.rate == MIN_RATE
    slow = played()
    speaker.reset()
    assert (speaker.volume, speaker.rate) == (DEFAULT_VOLUME, DEFAULT_RATE)
    again = played()

    assert quiet_fast[0] < default[0] < slow[0]  # frames: faster speech is shorter
    assert quiet_fast[1] < default[1] / 2  # peak: quieter
    assert abs(again[0] - default[0]) < default[0] * 0.05 and abs(again[1] - default[1]) < default[1] * 0.1
    assert len(events.started()) == 4


def test_reset_also_resumes(make_speaker: MakeSpeaker, players: Players, events: Events) -> None:
    speaker = make_speaker(players.instant())
    speaker.pause()
    speaker.reset()
    assert not speaker.paused
    speaker.say("Hello.", language="en")
    events.wait("finished", "Hello.")


def test_reset_silences_the_last_customers_warning_and_what_waits(
    make_speaker: MakeSpeaker, players: Players, events: Events, render_log: RenderLog
) -> None:
    warning = "You are sending one thousand yuan to Zhang Wei. Banks never ask you to move money."
    waiting = "Please check the name."
    speaker = make_speaker(players.gated())
    speaker.say(warning, language="en", priority="safety")
    events.wait("started", warning)
    speaker.say(waiting, language="en", priority="safety")
    speaker.reset()  # the customer signed out: the next one hears nothing of theirs
    assert events.wait("finished", warning)[0] is True
    players.release(3)  # would let every sentence of both finish, were they still due
    assert speaker.wait_idle(10)
    speaker.say("Welcome.", language="en")
    assert events.wait("finished", "Welcome.")[0] is False
    assert events.started() == [warning, "Welcome."]
    assert players.completed() == 1  # the welcome; the warning's first sentence was cut
    assert waiting not in render_log.rendered()


def test_empty_text_is_ignored_and_unknown_languages_are_refused(
    make_speaker: MakeSpeaker, players: Players, events: Events
) -> None:
    speaker = make_speaker(players.instant())
    for blank in ("", "   ", "\n\t", "。", "...", " ？！ "):  # marks alone give espeak no audio either
        speaker.say(blank, language="en")
    assert speaker.wait_idle(0)
    with pytest.raises(ValueError, match="unknown language"):
        speaker.say("Bonjour", language="fr")
    speaker.say("Hello.", language="en")
    events.wait("finished", "Hello.")
    assert events.started() == ["Hello."]


@pytest.mark.parametrize(
    ("language", "text"), [("zh-Hans", "请取卡。"), ("zh-Hant", "請取卡。"), ("en", "Take your card.")]
)
def test_every_language_is_spoken(
    make_speaker: MakeSpeaker, players: Players, events: Events, language: str, text: str
) -> None:
    speaker = make_speaker(players.instant())
    speaker.say(text, language=language)
    assert events.wait("finished", text)[0] is False
    ((frames, peak),) = players.reports()
    assert frames > 22050 * 0.3 and peak > 3000


def test_close_silences_even_a_warning_and_later_calls_do_nothing(
    make_speaker: MakeSpeaker, players: Players, events: Events
) -> None:
    speaker = make_speaker(players.gated())
    speaker.say("Safety first.", language="en", priority="safety")
    events.wait("started", "Safety first.")
    speaker.close()
    assert events.wait("finished", "Safety first.")[0] is True
    speaker.say("After closing.", language="en")
    speaker.stop()
    speaker.close()
    assert speaker.wait_idle(0)
    assert events.started() == ["Safety first."]


def test_a_failing_callback_does_not_silence_the_voice(players: Players, caplog: pytest.LogCaptureFixture) -> None:
    finished: list[str] = []
    done = threading.Event()

    def explode(text: str) -> None:
        raise RuntimeError("the UI fell over")

    def record(text: str, interrupted: bool) -> None:
        finished.append(text)
        if len(finished) == 2:
            done.set()

    with EngineSpeaker(player_command=players.instant(), on_started=explode, on_finished=record) as speaker:
        speaker.say("One.", language="en")
        assert speaker.wait_idle(10)
        speaker.say("Two.", language="en")
        assert done.wait(10)
    assert finished == ["One.", "Two."]
    assert "a voice callback failed" in caplog.text


def test_a_failing_player_is_logged_and_the_voice_goes_on(
    make_speaker: MakeSpeaker, events: Events, caplog: pytest.LogCaptureFixture
) -> None:
    speaker = make_speaker([sys.executable, "-c", "import sys; sys.exit('aplay: audio open error: Device busy')"])
    speaker.say("One.", language="en")
    assert events.wait("finished", "One.")[0] is False
    assert "Device busy" in caplog.text


# --- availability -------------------------------------------------------------------------------


def _fake_aplay(directory: Path, body: str) -> None:
    """An ``aplay`` shell script alone on PATH (so only shell builtins)."""
    directory.mkdir()
    script = directory / "aplay"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(0o755)


def test_aplay_without_a_sound_card_is_no_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_aplay(tmp_path / "none", "echo 'aplay: device_list:274: no soundcards found...' >&2; exit 1")
    monkeypatch.setenv("PATH", str(tmp_path / "none"))
    assert "no sound card" in (probe_player(["aplay", "-q"]) or "")
    speaker, notice = create_speaker()
    assert isinstance(speaker, NullSpeaker)
    assert notice is not None and "no sound card" in notice


def test_aplay_with_a_sound_card_is_an_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_aplay(
        tmp_path / "card",
        "echo '**** List of PLAYBACK Hardware Devices ****'; echo 'card 0: PCH [HDA Intel PCH], device 0'",
    )
    monkeypatch.setenv("PATH", str(tmp_path / "card"))
    assert probe_player(["aplay", "-q"]) is None


def test_a_missing_player_makes_a_null_speaker_with_a_reason() -> None:
    speaker = EngineSpeaker(player_command=["/nonexistent/aplay", "-q"])
    assert not speaker.available
    assert "not installed" in speaker.reason
    speaker.say("Hello.", language="en")  # does nothing, raises nothing
    speaker.close()
    chosen, notice = create_speaker(player_command=["/nonexistent/aplay", "-q"])
    assert isinstance(chosen, NullSpeaker)
    assert notice is not None and "/nonexistent/aplay" in notice


def test_an_engine_that_cannot_start_makes_a_null_speaker_with_a_reason(
    players: Players, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(voices: object) -> None:
        raise SpeechUnavailable("espeak-ng cannot start: libespeak-ng.so.1 not found")

    monkeypatch.setattr(speech_engine, "check_engine", broken)
    chosen, notice = create_speaker(player_command=players.instant())
    assert isinstance(chosen, NullSpeaker)
    assert notice is not None and "libespeak-ng" in notice


def test_voice_turned_off_gives_a_null_speaker_and_no_notice() -> None:
    chosen, notice = create_speaker(enabled=False)
    assert isinstance(chosen, NullSpeaker) and notice is None


def test_a_working_engine_gives_the_engine_speaker(players: Players) -> None:
    chosen, notice = create_speaker(player_command=players.instant())
    try:
        assert isinstance(chosen, EngineSpeaker) and chosen.available and notice is None
    finally:
        chosen.close()


def test_an_unknown_voice_makes_the_speaker_unavailable(players: Players) -> None:
    speaker = EngineSpeaker(player_command=players.instant(), zh_hant_voice="no-such-voice")
    assert not speaker.available
    assert "no-such-voice" in speaker.reason


# --- sentence by sentence ----------------------------------------------------------------------


class RenderLog:
    """The order of what the worker asks of the engine and what it hands to the player."""

    def __init__(self) -> None:
        self.log: list[tuple[str, str]] = []
        self._cond = threading.Condition()

    def add(self, kind: str, text: str) -> None:
        with self._cond:
            self.log.append((kind, text))
            self._cond.notify_all()

    def wait_for(self, entry: tuple[str, str]) -> None:
        with self._cond:
            assert self._cond.wait_for(lambda: entry in self.log, 10), (entry, self.log)

    def rendered(self) -> list[str]:
        with self._cond:
            return [text for kind, text in self.log if kind == "render"]


@pytest.fixture
def render_log(monkeypatch: pytest.MonkeyPatch) -> RenderLog:
    """Records each synthesis request, then runs the real engine."""
    recorded = RenderLog()
    real = speech_engine.synthesise

    def synthesise(text: str, *args: object, **kwargs: object) -> Path:
        recorded.add("render", text)
        return real(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(speech_engine, "synthesise", synthesise)
    return recorded


def _scam_stop_warning(language: str) -> str:
    from client.security.catalog import load_catalog

    return load_catalog().prompt("purpose_safe_account", language).speech


@pytest.mark.parametrize("language", ["zh-Hans", "zh-Hant", "en"])
def test_a_long_warning_starts_playing_before_its_last_sentence_is_rendered(
    players: Players, render_log: RenderLog, language: str
) -> None:
    warning = _scam_stop_warning(language)
    with EngineSpeaker(
        player_command=players.gated(),
        on_started=lambda text: render_log.add("started", text),
        on_finished=lambda text, interrupted: render_log.add("finished", text),
    ) as speaker:
        speaker.say(warning, language=language, priority="safety")
        render_log.wait_for(("started", warning))
        first, second, *rest = render_log.rendered()  # as the first sentence plays, the second renders
        render_log.wait_for(("render", second))
        assert render_log.log[:3] == [("render", first), ("started", warning), ("render", second)]
        assert rest == [] and len(render_log.rendered()) == 2  # the rest waits: the first still plays
        sentences = len(speaker_sentences(warning))
        players.release(sentences)
        render_log.wait_for(("finished", warning))
        assert speaker.wait_idle(10)
    rendered = render_log.rendered()
    assert len(rendered) == sentences >= 4
    assert ("" if language != "en" else " ").join(rendered) == " ".join(warning.split())  # same words, same order
    assert render_log.log.index(("started", warning)) < render_log.log.index(("render", rendered[-1]))
    assert players.completed() == sentences and all(frames > 2205 and peak > 3000 for frames, peak in players.reports())


def speaker_sentences(text: str) -> list[str]:
    from client.voice.sentences import split_sentences

    return split_sentences(text)


def test_a_new_prompt_drops_the_sentences_left_of_the_one_it_replaces(
    make_speaker: MakeSpeaker, players: Players, events: Events, render_log: RenderLog
) -> None:
    long_prompt = "Welcome to CalmPay. Choose your language. Then press Start. We are here to help."
    speaker = make_speaker(players.gated())
    speaker.say(long_prompt, language="en")
    events.wait("started", long_prompt)
    render_log.wait_for(("render", "Choose your language."))
    speaker.say("Enter your PIN.", language="en")  # a new screen
    assert events.wait("finished", long_prompt)[0] is True
    events.wait("started", "Enter your PIN.")
    players.release()
    assert events.wait("finished", "Enter your PIN.")[0] is False
    assert speaker.wait_idle(10)
    assert players.completed() == 1  # the PIN prompt; the welcome was cut in its first sentence
    assert "Then press Start." not in render_log.rendered()  # the rest of the welcome, never rendered


def test_stop_between_sentences_drops_the_rest_of_a_prompt_but_not_of_a_warning(
    make_speaker: MakeSpeaker, players: Players, events: Events
) -> None:
    prompt = "Choose an account. Then press Next."
    warning = "This payee is new to you. Check the name. Call staff if unsure."
    speaker = make_speaker(players.gated())
    speaker.say(warning, language="en", priority="safety")
    events.wait("started", warning)
    speaker.stop()  # the customer acted while the first sentence played
    players.release(3)
    assert events.wait("finished", warning)[0] is False
    assert players.completed() == 3  # every sentence of the warning, none cut
    speaker.say(prompt, language="en")
    events.wait("started", prompt)
    players.release()  # the first sentence ends; the worker starts the second
    speaker.stop()
    assert events.wait("finished", prompt)[0] is True
    assert speaker.wait_idle(10)
    assert players.completed() <= 4 and len(players.reports()) <= 5
