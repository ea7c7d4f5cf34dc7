"""The desktop window: thin widgets over the letter session and the core.

Importing this package also turns off one costly part of PySide6's import hook;
see :func:`_skip_feature_source_scan`.
"""

from __future__ import annotations

import sys

import PySide6.QtCore  # noqa: F401  (loads shiboken's support modules, hook included)


def _skip_feature_source_scan() -> None:
    """Stop PySide6 from reading the source of every module imported after it.

    PySide6 replaces ``__import__`` to support ``from __feature__ import
    snake_case, true_property``. For each newly imported module its hook calls
    ``_mod_uses_pyside``, which runs ``inspect.getsource`` on the module only to
    look for the word "PySide6"; every source file read stays in ``linecache``
    (about 9 MB of memory at start-up, and the time to read it). The program
    uses no ``__feature__`` switch, so answering "no" for every module changes
    nothing else: such modules keep Qt's default names, which is all they use.
    Other PySide6 versions may lack the function; then there is nothing to do.
    """
    feature = sys.modules.get("shibokensupport.feature")
    if feature is not None and callable(getattr(feature, "_mod_uses_pyside", None)):
        setattr(feature, "_mod_uses_pyside", lambda module: False)  # noqa: B010


_skip_feature_source_scan()
