"""The bundle's entry point: the same ``composer`` command as the installed console script."""

import sys

from composer.cli import main

if __name__ == "__main__":
    sys.exit(main())
