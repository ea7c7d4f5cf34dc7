#!/usr/bin/env bash
# Starts Letter Composer, installing what it needs on first use.
set -euo pipefail
cd "$(dirname "$0")"
bash tools/bootstrap.sh app
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  echo "No display found: starting on a virtual screen (Xvfb). Run this from a desktop session to see the window."
  exec xvfb-run -a -s "-screen 0 1400x900x24" env QT_QPA_PLATFORM=xcb .venv/bin/composer "$@"
fi
exec .venv/bin/composer "$@"
