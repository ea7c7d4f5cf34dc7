"""The core must stay usable without Qt: importing all of it loads no Qt module."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import importlib, pkgutil, sys
import composer.core
names = [m.name for m in pkgutil.iter_modules(composer.core.__path__, "composer.core.")]
for name in names:
    importlib.import_module(name)
qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "PyQt5", "PyQt6"))
print(len(names), ",".join(qt))
"""


def test_every_core_module_imports_without_qt() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    count, qt_modules = (
        result.stdout.strip().split(" ", 1)
        if " " in result.stdout.strip()
        else (result.stdout.strip(), "")
    )
    assert int(count) >= 8
    assert qt_modules == ""


def test_qt_blocked_core_still_imports() -> None:
    """With PySide6 made unimportable, the core still imports and renders a letter."""
    probe = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('PySide6', 'shiboken6'):\n"
        "            raise ImportError('Qt is blocked for this test')\n"
        "sys.meta_path.insert(0, Block())\n"
        "from composer.core.campaigns import default_campaign\n"
        "from composer.core.compose import new_letter\n"
        "from composer.core.models import white_house\n"
        "from composer.core.render import Renderer\n"
        "c = default_campaign()\n"
        "print(Renderer().render(new_letter(c), white_house()).salutation)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Dear Mr. President:"
