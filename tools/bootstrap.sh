#!/usr/bin/env bash
# Installs what Letter Composer needs on a Debian machine, once: system libraries for Qt,
# fonts, and a virtual environment in .venv. `app` installs what the window needs;
# `test` adds what the test suite uses (virtual screen, PDF tools, keyring, print queue).
set -euo pipefail
mode=${1:-app}
cd "$(dirname "$0")/.."

app_packages=(
  libgl1 libegl1 libxkbcommon0 libglib2.0-0 libfontconfig1 libdbus-1-3 fontconfig
  fonts-dejavu-core libxkbcommon-x11-0 libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-icccm4
  libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render0 libxcb-render-util0
  libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xkb1 libcups2
  libenchant-2-2 hunspell-en-us hunspell-ru hunspell-uk xvfb xauth
)
test_packages=(
  poppler-utils dbus gnome-keyring libsecret-tools cups cups-filters printer-driver-cups-pdf
  desktop-file-utils appstream libreoffice-writer-nogui e2fsprogs util-linux
)
packages=("${app_packages[@]}")
[ "$mode" = test ] && packages+=("${test_packages[@]}")

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing system packages: ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then sudo=sudo; else
      echo "Please install these Debian packages as root: ${missing[*]}" >&2; exit 1
    fi
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "Creating the virtual environment in .venv"
  "$python" -m venv .venv
fi
extras=spell
[ "$mode" = test ] && extras=test
stamp=.venv/.installed-$extras
wanted=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
  echo "Installing Python packages into .venv ($extras)"
  log=.venv/install.log
  if ! { .venv/bin/python -m pip install --disable-pip-version-check --upgrade pip \
         && .venv/bin/python -m pip install --disable-pip-version-check -e ".[$extras]"; } \
       > "$log" 2>&1; then
    tail -n 30 "$log" >&2
    echo "Installing the Python packages failed; the whole output is in $log" >&2
    exit 1
  fi
  echo "$wanted" > "$stamp"
fi
