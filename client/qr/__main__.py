"""``python -m client.qr parse PAYLOAD`` and ``python -m client.qr render PAYLOAD --png FILE``."""

import sys

from client.qr.cli import main

if __name__ == "__main__":
    sys.exit(main())
