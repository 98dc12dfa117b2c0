"""Start-up benchmark: the kiosk against a bare PySide6 window, cold, as whole processes.

Each run starts a fresh process and stops the clock when it exits:
- bare: a QApplication and one shown QWidget, exiting once the window is exposed;
- kiosk: ``python main.py --exit-when-ready`` with fresh data and config directories, so the
  embedded mock API starts (in its own process) and seeds a new database every time. It exits as
  soon as the Welcome screen is exposed and has the keyboard focus.

The two alternate, ``--runs`` times each, so a noisy moment hurts both alike. The report gives the
median and range of each, the ratio of the medians against the target (at most 2.5 times a bare
window) and the kiosk's peak memory at the Welcome screen (its own process; the bank's process is
apart). Qt runs offscreen unless QT_QPA_PLATFORM says otherwise.

Exit code: 0 when every run exited 0 (the report says PASS or MISS); 1 when a run failed.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 2.5
BARE_WINDOW = """
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
window = QWidget()
window.resize(1280, 1024)
window.show()
def ready():
    if window.windowHandle() and window.windowHandle().isExposed():
        app.quit()
    else:
        QTimer.singleShot(5, ready)
QTimer.singleShot(0, ready)
app.exec()
"""
PEAK = re.compile(r"peak memory (\d+) KiB")


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """(wall seconds, peak RSS in KiB of the process, its stdout)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert process.stdout is not None
    output = process.stdout.read().decode(errors="replace")
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited with {process.returncode}")
    return elapsed, usage.ru_maxrss, output


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.startup_bench", description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    bare: list[float] = []
    kiosk: list[float] = []
    kiosk_peaks: list[int] = []
    bare_peaks: list[int] = []
    try:
        for _ in range(args.runs):
            seconds, peak, _ = run_once([sys.executable, "-c", BARE_WINDOW], env)
            bare.append(seconds)
            bare_peaks.append(peak)
            with tempfile.TemporaryDirectory(prefix="calmpay-startup-") as folder:
                fresh = {**env, "CALMPAY_DATA_DIR": f"{folder}/data", "CALMPAY_CONFIG_DIR": f"{folder}/config"}
                seconds, _, output = run_once([sys.executable, "main.py", "--exit-when-ready"], fresh)
            kiosk.append(seconds)
            found = PEAK.search(output)
            if found is None:
                raise RuntimeError(f"main.py --exit-when-ready did not report its peak memory: {output!r}")
            kiosk_peaks.append(int(found.group(1)))
    except RuntimeError as error:
        print(f"startup: {error}")
        return 1
    ratio = statistics.median(kiosk) / statistics.median(bare)
    verdict = "PASS" if ratio <= TARGET_RATIO else "MISS"

    def row(name: str, values: list[float]) -> str:
        return f"  {name:<32} median {statistics.median(values):.3f} s   min {min(values):.3f}   max {max(values):.3f}"

    print(f"start-up to an interactive window, {args.runs} cold runs each ({env['QT_QPA_PLATFORM']}):")
    print(row("bare PySide6 window", bare))
    print(row("kiosk Welcome screen (main.py)", kiosk))
    print(f"  ratio of medians {ratio:.2f} (target <= {TARGET_RATIO})  {verdict}")
    mib = 1024
    print(
        f"  peak memory: kiosk at Welcome {statistics.median(kiosk_peaks) / mib:.0f} MiB (median), "
        f"bare window {statistics.median(bare_peaks) / mib:.0f} MiB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
