"""``python -m bilingual`` runs the ``translate`` command."""

import sys

from .cli import main

sys.exit(main())
