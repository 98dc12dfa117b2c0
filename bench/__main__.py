"""python -m bench: run every benchmark in the package and exit non-zero if any of them failed.

A benchmark returns 0 when it ran and its results are sound, even if a target was missed (the
report says PASS or MISS); non-zero when something broke.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from bench import api_bench, soak_bench, startup_bench, ui_latency_bench, ui_voice_bench, voice_bench

BENCHMARKS: tuple[tuple[str, Callable[[list[str]], int]], ...] = (
    ("start-up", startup_bench.main),
    ("api", api_bench.main),
    ("voice", voice_bench.main),
    ("voice in the kiosk", lambda argv: ui_voice_bench.main()),
    ("screen changes and a slow bank", ui_latency_bench.main),
    ("soak", soak_bench.main),
)


def main() -> int:
    worst = 0
    for name, run in BENCHMARKS:
        print(f"== bench: {name}", flush=True)
        worst = max(worst, run([]))
    return worst


if __name__ == "__main__":
    sys.exit(main())
