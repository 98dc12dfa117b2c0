"""``python -m client.research COMMAND``: the researcher's tools (``report DIR... --out report.html``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path


def _report(args: argparse.Namespace) -> int:
    from client.research.report import write_report  # matplotlib loads only for the report

    try:
        count = write_report(args.folders, args.out)
    except (FileNotFoundError, ValueError) as error:
        print(f"report: {error}", file=sys.stderr)
        return 2
    print(f"wrote {args.out} ({count} session{'' if count == 1 else 's'})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m client.research", description="Usability research on the kiosk.")
    commands = parser.add_subparsers(dest="command", required=True)
    report = commands.add_parser(
        "report",
        help="write one self-contained HTML report of session folders",
        description="DIR is a session folder, or a folder whose session folders are one level down.",
    )
    report.add_argument("folders", nargs="+", type=Path, metavar="DIR", help="session folder, or a folder of them")
    report.add_argument("--out", type=Path, required=True, help="the HTML file to write")
    report.set_defaults(run=_report)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
