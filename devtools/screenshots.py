"""python -m devtools.screenshots [--out docs/screenshots] [--only NAME ...]

Renders every screen in elder and standard mode, in each language, to PNG files named
``<stage>-<elder|standard>-<language>.png``. `make screenshots` runs it under Xvfb, so the
pictures come from a real X server with the real fonts.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from client.i18n import LANGUAGES


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.screenshots")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--only", nargs="*", help="stage names to render (default: all)")
    args = parser.parse_args(argv)

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from devtools.staging import STAGES, settle, show_stage, staged_kiosk
    from ui.gui_thread_gc import GuiThreadCollector

    collector = GuiThreadCollector(app)  # the staged bank's threads must never free a widget

    args.out.mkdir(parents=True, exist_ok=True)
    count = 0
    with staged_kiosk() as window:
        window.resize(1280, 1024)
        for stage in STAGES:
            if args.only and stage.name not in args.only:
                continue
            for elder in (True, False):
                for language in LANGUAGES:
                    show_stage(window, stage, elder=elder, language=language)
                    settle(window)
                    mode = "elder" if elder else "standard"
                    window.grab().save(str(args.out / f"{stage.name}-{mode}-{language}.png"))
                    count += 1
    collector.stop()
    print(f"screenshots: {count} written to {args.out}")
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
