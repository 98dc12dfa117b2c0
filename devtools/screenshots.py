"""python -m devtools.screenshots [--out docs/screenshots] [--only NAME ...] [--size WxH ...] [--text-pt N]

Renders every screen in elder and standard mode, in each language, to PNG files named
``<stage>-<elder|standard>-<language>.png`` at the kiosk's common 1280x1024, and
``<stage>-<elder|standard>-<language>-<W>x<H>.png`` at every other size asked for (the
smallest supported screen, 1024x768, by default). `make screenshots` runs it under Xvfb, so
the pictures come from a real X server with the real fonts.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from client.i18n import LANGUAGES

DEFAULT_SIZES = ("1280x1024", "1024x768")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.screenshots")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--only", nargs="*", help="stage names to render (default: all)")
    parser.add_argument("--size", nargs="*", default=list(DEFAULT_SIZES), help="window sizes, e.g. 1024x768")
    parser.add_argument("--language", nargs="*", choices=list(LANGUAGES), help="languages (default: all)")
    parser.add_argument("--mode", choices=("elder", "standard"), help="one mode only (default: both)")
    parser.add_argument("--text-pt", type=int, help="text size in points (default: the mode's default)")
    args = parser.parse_args(argv)

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from devtools.staging import KIOSK_SIZE, STAGES, meet_at_this_size, settle, show_stage, staged_kiosk
    from ui.gui_thread_gc import GuiThreadCollector

    collector = GuiThreadCollector(app)  # the staged bank's threads must never free a widget

    args.out.mkdir(parents=True, exist_ok=True)
    sizes = [tuple(int(n) for n in size.split("x")) for size in args.size]
    modes = (True, False) if args.mode is None else (args.mode == "elder",)
    count = 0
    with staged_kiosk() as window:
        for stage in STAGES:
            if args.only and stage.name not in args.only:
                continue
            for elder in modes:
                for language in args.language or list(LANGUAGES):
                    show_stage(window, stage, elder=elder, language=language)
                    if args.text_pt and args.text_pt in window.theme.text_sizes:
                        window.set_theme(replace(window.theme, text_pt=args.text_pt))
                    mode = "elder" if elder else "standard"
                    for width, height in sizes:
                        window.resize(width, height)
                        settle(window)
                        meet_at_this_size(window)
                        suffix = "" if (width, height) == KIOSK_SIZE else f"-{width}x{height}"
                        if args.text_pt:
                            suffix += f"-{args.text_pt}pt"
                        window.grab().save(str(args.out / f"{stage.name}-{mode}-{language}{suffix}.png"))
                        count += 1
    collector.stop()
    print(f"screenshots: {count} written to {args.out}")
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
