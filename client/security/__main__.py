"""``python -m client.security --check``: the catalog checker of :mod:`client.security.cli`."""

import sys

from client.security.cli import main

if __name__ == "__main__":
    sys.exit(main())
