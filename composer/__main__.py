"""``python -m composer`` runs the same program as the ``composer`` command."""

import sys

from composer.cli import main

sys.exit(main())
