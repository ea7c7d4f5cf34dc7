"""The layers import downward only: gui → printing → core, and commands → printing → core.

Every import in the package is read from the source (those inside functions too),
so a lazy import that crosses a layer fails here as well.
"""

from __future__ import annotations

import ast
from pathlib import Path

import composer

PACKAGE = Path(composer.__file__).parent

# What each layer may import from the program (its own layer is always allowed).
# composer.i18n (gettext, no Qt) sits below the core: the core's messages are translated too.
# The command line keeps its own words in English, so it has no use for it.
ALLOWED = {
    "composer.core": {"composer", "composer.i18n"},
    "composer.printing": {"composer", "composer.i18n", "composer.core"},
    "composer.commands": {
        "composer",
        "composer.core",
        "composer.printing",
        "composer.commands",
    },
    "composer.gui": {"composer", "composer.i18n", "composer.core", "composer.printing"},
}
# The command line starts the window: that one entry point may reach the GUI.
EXCEPTIONS = {("composer.cli", "composer.gui.app")}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return {name for name in found if name == "composer" or name.startswith("composer.")}


def layer(name: str) -> str:
    parts = name.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 else name


def violations() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = module_name(path)
        own = layer(name)
        allowed = ALLOWED.get(own)
        for target in sorted(imported(path)):
            if allowed is None or layer(target) == own or (name, target) in EXCEPTIONS:
                continue
            if layer(target) not in allowed:
                found.append(f"{name} imports {target}")
    return found


def test_every_layer_imports_only_the_layers_below_it() -> None:
    assert violations() == []


def test_storage_does_not_know_drafts() -> None:
    """Drafts are stored through storage.py; storage.py must not reach back into drafts."""
    assert "composer.core.drafts" not in imported(PACKAGE / "core" / "storage.py")


def test_every_package_folder_is_a_package() -> None:
    folders = {path.parent for path in PACKAGE.rglob("*.py")}
    missing = sorted(
        f.relative_to(PACKAGE).as_posix() for f in folders if not (f / "__init__.py").exists()
    )
    # composer/core is still a namespace package: an __init__.py there changes how ruff
    # sorts the core's imports (composer becomes first-party), which is a change of its own.
    assert missing == ["core"]


def test_the_check_sees_a_crossing(tmp_path: Path) -> None:
    """The reader finds imports inside functions, as the old printing → gui one was."""
    module = tmp_path / "lazy.py"
    module.write_text("def f():\n    from composer.gui.app import run_app\n", encoding="utf-8")
    assert imported(module) == {"composer.gui.app"}
