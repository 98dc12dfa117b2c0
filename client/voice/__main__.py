"""``python -m client.voice``: the command-line tool of :mod:`client.voice.cli`."""

import sys

from client.voice.cli import main

if __name__ == "__main__":
    sys.exit(main())
