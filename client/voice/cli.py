"""Write a spoken prompt to a WAV file with the kiosk's real speech engine (no sound card needed).

    python -m client.voice --lang zh-Hans --out prompt.wav "请插入您的银行卡"

Exit codes: 0 written; 2 bad arguments (unknown language, empty text, bad rate or volume);
3 the speech engine cannot run here; 4 the file cannot be written; 5 synthesis failed.
"""

from __future__ import annotations

import argparse
import sys
import wave
from pathlib import Path

from client.i18n import LANGUAGES
from client.voice import DEFAULT_RATE, DEFAULT_VOLUME, MAX_RATE, MIN_RATE

EXIT_OK, EXIT_USAGE, EXIT_NO_ENGINE, EXIT_UNWRITABLE, EXIT_SYNTHESIS = 0, 2, 3, 4, 5


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m client.voice", description="Say TEXT with CalmPay's voice into a WAV file."
    )
    parser.add_argument("--lang", required=True, choices=list(LANGUAGES), help="the screen language")
    parser.add_argument("--out", required=True, type=Path, help="the WAV file to write")
    parser.add_argument(
        "--rate",
        type=int,
        default=DEFAULT_RATE,
        help=f"words per minute, {MIN_RATE}-{MAX_RATE} (default {DEFAULT_RATE})",
    )
    parser.add_argument("--volume", type=float, default=DEFAULT_VOLUME, help=f"0-1 (default {DEFAULT_VOLUME})")
    parser.add_argument("text", nargs="+", help="what to say (several words are joined with spaces)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)  # exits with 2 and a message for an unknown language
    text = " ".join(args.text).strip()
    if not text:
        parser.error("TEXT is empty: there is nothing to say")
    if not MIN_RATE <= args.rate <= MAX_RATE:
        parser.error(f"--rate must be between {MIN_RATE} and {MAX_RATE} words per minute")
    if not 0.0 <= args.volume <= 1.0:
        parser.error("--volume must be between 0 and 1")

    # Imported here: a usage error is answered without loading the engine module.
    from client.voice.engine import SpeechUnavailable, SynthesisError, render_to_wav

    try:
        path = render_to_wav(text, args.lang, args.out, rate=args.rate, volume=args.volume)
    except SpeechUnavailable as error:
        print(f"error: the speech engine cannot run here: {error}", file=sys.stderr)
        return EXIT_NO_ENGINE
    except SynthesisError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_SYNTHESIS
    except OSError as error:
        print(f"error: cannot write {args.out}: {error.strerror or error}", file=sys.stderr)
        return EXIT_UNWRITABLE
    with wave.open(str(path), "rb") as wav:
        seconds = wav.getnframes() / wav.getframerate()
    print(f"{path}: {seconds:.1f} s of speech ({args.lang})")
    return EXIT_OK
