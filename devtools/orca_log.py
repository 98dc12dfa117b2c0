"""python -m devtools.orca_log --log orca-debug.log --seen seen.json

Reads what Orca said (the ``SPEECH OUTPUT`` lines of its debug log), prints it, and checks it
against what a sighted customer saw (``seen.json``, written by devtools.orca_drive): every
screen's title was heard, the payment's result was heard, and no PIN digit was heard while the
PIN was typed. Exit status 0 when all holds, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

_SPOKEN = re.compile(r"^(\d\d:\d\d:\d\d\.\d+) - SPEECH OUTPUT: '(.*?)'\s*(?:\{.*|voice=.*)?$")
_STOPS = ".。!?！？:：…"
_DIGIT_NAMES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


@dataclass(frozen=True)
class Check:
    what: str
    ok: bool


def spoken_lines(log: str) -> list[str]:
    """Every line Orca spoke, in order (its key echo included: 'tab', 'return', typed characters)."""
    lines = []
    for raw in log.splitlines():
        match = _SPOKEN.match(raw.strip())
        if match:
            lines.append(match.group(2).strip())
    return lines


def _heard(lines: list[str], text: str) -> bool:
    """``text`` said as a whole sentence (not the start of a longer one: "Send money to a person…")."""
    text = " ".join(text.split())
    ending = r"(?=\s|$)" if text[-1:] in _STOPS else r"(?=[.。!?！？:：,，]|\s*$)"
    wanted = re.compile(re.escape(text) + ending)
    return any(wanted.search(" ".join(line.split())) for line in lines)


def _pin_part(lines: list[str], pin_title: str, next_title: str) -> list[str]:
    """What was said from the PIN screen's title on until the next screen's title."""
    start = next((i for i, line in enumerate(lines) if pin_title in line), None)
    if start is None:
        return lines  # the title was never heard: look at everything
    end = next((i for i in range(start + 1, len(lines)) if next_title in lines[i]), len(lines))
    return lines[start:end]


def leaks_pin(line: str, pin: str) -> bool:
    """A line that says a digit of the PIN as typed (the digit or its name, alone: a key's echo),
    or the PIN in a row. "4 digits entered" says how many, not which: not a leak."""
    said = line.strip().lower().rstrip(".")
    return pin in line or said in set(pin) or said in {_DIGIT_NAMES[int(d)] for d in pin}


def check(log: str, seen: dict[str, object]) -> tuple[list[str], list[Check]]:
    lines = spoken_lines(log)
    entries = [s for s in seen["screens"] if isinstance(s, dict)]  # type: ignore[union-attr]
    screens = [s for s in entries if "title" in s]
    checks = [Check(f"title heard: {s['title']!r} ({s['screen']})", _heard(lines, str(s["title"]))) for s in screens]
    checks += [Check(f"error heard: {s['error']!r}", _heard(lines, str(s["error"]))) for s in entries if "error" in s]
    results = [str(s["result"]) for s in screens if "result" in s]
    checks += [Check(f"result heard: {result!r}", _heard(lines, result)) for result in results]
    pin = str(seen["pin"])
    titles = [str(s["title"]) for s in screens]
    pin_index = next(i for i, s in enumerate(screens) if s["screen"] == "pin")
    during_pin = _pin_part(lines, titles[pin_index], titles[pin_index + 1] if pin_index + 1 < len(titles) else "\0")
    leaked = [line for line in during_pin if leaks_pin(line, pin)]
    checks.append(Check(f"no PIN digit heard while typing it ({len(during_pin)} lines; leaked: {leaked})", not leaked))
    return lines, checks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.orca_log")
    parser.add_argument("--log", type=Path, required=True, help="Orca's debug log")
    parser.add_argument("--seen", type=Path, required=True, help="seen.json from devtools.orca_drive")
    args = parser.parse_args(argv)
    lines, checks = check(
        args.log.read_text(encoding="utf-8", errors="replace"), json.loads(args.seen.read_text(encoding="utf-8"))
    )
    print(f"Orca said ({len(lines)} lines):")
    for line in lines:
        print(f"  {line}")
    for item in checks:
        print(f"{'ok  ' if item.ok else 'FAIL'} {item.what}")
    failed = sum(not item.ok for item in checks)
    print(f"orca-check: {len(checks) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
