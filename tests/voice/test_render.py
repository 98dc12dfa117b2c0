"""The real engine (pyttsx3 over espeak-ng) renders audible speech of a plausible length in every
language, through the library and through ``python -m client.voice``."""

from __future__ import annotations

import array
import math
import subprocess
import sys
import wave
from pathlib import Path

import pytest

from client.voice import MAX_RATE, MIN_RATE
from client.voice import engine as speech_engine
from client.voice.engine import ZH_HANS_VOICE, SynthesisError, render_to_wav, voice_for
from client.voice.spoken import spoken_amount

ROOT = Path(__file__).resolve().parents[2]
PROMPTS = {
    "zh-Hans": "请插入您的银行卡，然后输入密码。",
    "zh-Hant": "請插入您的銀行卡，然後輸入密碼。",
    "en": "Please insert your bank card, then enter your PIN.",
}


def measure(path: Path) -> tuple[float, float, int]:
    """(seconds, RMS, peak) of a 16-bit mono WAV."""
    with wave.open(str(path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth()) == (1, 2)
        samples = array.array("h", wav.readframes(wav.getnframes()))
        seconds = wav.getnframes() / wav.getframerate()
    rms = math.sqrt(sum(s * s for s in samples) / len(samples)) if samples else 0.0
    return seconds, rms, max((abs(s) for s in samples), default=0)


@pytest.mark.parametrize("language", list(PROMPTS))
def test_each_language_renders_audible_speech_of_a_plausible_length(language: str, tmp_path: Path) -> None:
    out = render_to_wav(PROMPTS[language], language, tmp_path / "prompt.wav")
    seconds, rms, peak = measure(out)
    assert 0.5 < seconds < 10, seconds
    assert rms > 500 and peak > 5000, (rms, peak)


@pytest.mark.parametrize("language", list(PROMPTS))
def test_spoken_amounts_render(language: str, tmp_path: Path) -> None:
    out = render_to_wav(spoken_amount(123_450, language), language, tmp_path / "amount.wav")
    seconds, rms, _ = measure(out)
    assert 0.5 < seconds < 10 and rms > 500


def test_rate_and_volume_shape_the_audio(tmp_path: Path) -> None:
    text = PROMPTS["en"]
    slow = measure(render_to_wav(text, "en", tmp_path / "slow.wav", rate=MIN_RATE, volume=1.0))
    fast = measure(render_to_wav(text, "en", tmp_path / "fast.wav", rate=MAX_RATE, volume=1.0))
    quiet = measure(render_to_wav(text, "en", tmp_path / "quiet.wav", rate=MAX_RATE, volume=0.2))
    assert slow[0] > fast[0] * 1.5
    assert quiet[1] < fast[1] / 3
    assert abs(quiet[0] - fast[0]) < 0.05


@pytest.mark.parametrize(
    ("language", "text"),
    [("zh-Hans", "一千二百三十四元五角，请取卡。"), ("zh-Hant", "人民幣一千二百三十四元五角，請取卡。")],
)
def test_chinese_voices_read_chinese_not_pinyin_in_english(language: str, text: str) -> None:
    # espeak-ng 1.51's plain "cmn" voice says "yi one qian one" (tone numbers in English): the
    # phonemes then switch to English, which espeak-ng marks "(en)".
    phonemes = subprocess.run(
        ["espeak-ng", "-q", "-x", "-v", voice_for(language), text], capture_output=True, text=True, check=True
    ).stdout
    assert phonemes.strip() and "(en)" not in phonemes, phonemes


def test_the_mandarin_voice_is_the_pinyin_one() -> None:
    assert voice_for("zh-Hans") == ZH_HANS_VOICE == "cmn-latn-pinyin"
    assert voice_for("zh-Hant") == "yue"
    assert voice_for("zh-Hant", zh_hant_voice="cmn-latn-pinyin") == "cmn-latn-pinyin"


def test_bad_requests_are_refused_clearly(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="empty"):
        render_to_wav("  ", "en", tmp_path / "x.wav")
    with pytest.raises(ValueError, match="unknown language"):
        render_to_wav("Bonjour", "fr", tmp_path / "x.wav")
    with pytest.raises(FileNotFoundError, match="no such directory"):
        render_to_wav("Hello", "en", tmp_path / "missing" / "x.wav")
    with pytest.raises(IsADirectoryError):
        render_to_wav("Hello", "en", tmp_path)


def test_the_command_line_takes_over_when_pyttsx3_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object) -> None:
        raise SynthesisError("pyttsx3 never reported the end of synthesis")

    monkeypatch.setattr(speech_engine._Pyttsx3Engine, "render", fail)
    monkeypatch.setattr(speech_engine, "_use_cli", False)
    seconds, rms, _ = measure(render_to_wav(PROMPTS["zh-Hans"], "zh-Hans", tmp_path / "cli.wav"))
    assert 0.5 < seconds < 10 and rms > 500
    assert speech_engine._use_cli  # and it stays with the command line


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-W", "error", "-m", "client.voice", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def test_python_m_client_voice_writes_a_wav(tmp_path: Path) -> None:
    out = tmp_path / "请插卡.wav"
    result = _cli("--lang", "zh-Hans", "--out", str(out), PROMPTS["zh-Hans"])
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert str(out) in result.stdout and "s of speech" in result.stdout
    seconds, rms, _ = measure(out)
    assert 0.5 < seconds < 10 and rms > 500


def test_python_m_client_voice_explains_its_errors(tmp_path: Path) -> None:
    bad_language = _cli("--lang", "fr", "--out", str(tmp_path / "x.wav"), "Bonjour")
    assert bad_language.returncode == 2 and "invalid choice: 'fr'" in bad_language.stderr
    empty = _cli("--lang", "en", "--out", str(tmp_path / "x.wav"), " ")
    assert empty.returncode == 2 and "empty" in empty.stderr
    unwritable = _cli("--lang", "en", "--out", str(tmp_path / "no" / "x.wav"), "Hello")
    assert unwritable.returncode == 4 and "cannot write" in unwritable.stderr
    assert not (tmp_path / "x.wav").exists()
