#!/usr/bin/env bash
# Runs every check on Letter Composer, installing what the tests need on first use:
# lint and format (ruff), types (mypy, strict on the whole package), originality of the campaign
# text, then the whole test suite (unit, widget, and integration tests against real
# servers: SMTP on loopback, a Secret Service keyring, a CUPS queue, an X server).
set -euo pipefail
cd "$(dirname "$0")"
bash tools/bootstrap.sh test
export QT_QPA_PLATFORM=offscreen
echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== mypy (strict on the whole composer package)"
.venv/bin/mypy composer
echo "== originality of the campaign text"
if [ -f ../shared/tools/originality.py ]; then
  python3 ../shared/tools/originality.py .
else
  echo "the source articles are not beside this checkout; originality not checked"
fi
echo "== pytest"
exec .venv/bin/pytest "$@"
