"""Check the security-prompt catalog against the house style: ``python -m client.security --check``."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from client.security.catalog import CATALOG_PATH, load_catalog
from client.security.lint import lint


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m client.security", description="Check the security-prompt catalog.")
    parser.add_argument("--check", action="store_true", help="check the catalog against the style rules")
    parser.add_argument("--catalog", type=Path, default=CATALOG_PATH, help="the catalog file (default: %(default)s)")
    args = parser.parse_args(argv)
    if not args.check:
        parser.print_help()
        return 2
    try:
        catalog = load_catalog(args.catalog)
    except (OSError, ValueError) as exc:
        print(f"security catalog: cannot read {args.catalog}: {exc}")
        return 1
    violations = lint(catalog)
    for violation in violations:
        print(violation)
    count = len(violations)
    print(
        f"security catalog: {len(catalog.codes)} entries, {len(catalog.languages)} languages, "
        f"{count} rule violation{'' if count == 1 else 's'}"
    )
    return 1 if violations else 0
