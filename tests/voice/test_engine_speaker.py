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
    players.release()
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
    speaker.say("Hello.", language="en")
    speaker.reset()
    assert not speaker.paused
    events.wait("finished", "Hello.")


def test_empty_text_is_ignored_and_unknown_languages_are_refused(
    make_speaker: MakeSpeaker, players: Players, events: Events
) -> None:
    speaker = make_speaker(players.instant())
    for blank in ("", "   ", "\n\t"):
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
