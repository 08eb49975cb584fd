"""``python -m desktop`` runs Keel exactly like the ``keel`` command."""

import sys

from desktop.cli import main

sys.exit(main())
