"""A guard against a reference-counting fault in some PySide6 builds on Python before 3.12.

With PySide6 6.12.0 on CPython 3.10 and 3.11, every call from Python to a Qt
method that returns nothing takes one reference away from ``None`` and gives
none back. ``None`` starts with a few thousand references, so after some
thousand calls — about twenty seconds of typing in the editor — the
interpreter frees ``None`` and aborts with "Fatal Python error: none_dealloc":
the window vanishes, no crash dialog, no last save. Python 3.12 made ``None``
immortal, and PySide6 6.11 does not have the fault.

:func:`protect_singletons` first checks whether the running PySide6 has the
fault (a dozen harmless calls, a comparison of reference counts). Only if it
does, it adds a very large number of references to ``None``, ``True`` and
``False``. Those objects are never freed anyway, so this changes nothing else;
it only keeps the count from ever reaching zero.
"""

from __future__ import annotations

import logging
import sys

log = logging.getLogger(__name__)

_PADDING = 1 << 40  # a trillion void calls before the count could run out
_done = False


def none_references_leak() -> bool:
    """Whether calling a void Qt method loses a reference to ``None`` here."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False  # None is immortal there
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(16):
        probe.setObjectName("")
    return sys.getrefcount(None) <= before - 8


def protect_singletons() -> bool:
    """Make ``None``, ``True`` and ``False`` safe from the leak when it is present.

    Returns:
        Whether the protection was needed (and applied, once per process).
    """
    global _done
    if _done:
        return True
    if not none_references_leak():
        return False
    import ctypes  # only where the fault is present

    for singleton in (None, True, False):
        # On CPython before 3.12 the reference count is the first field of every object.
        count = ctypes.c_ssize_t.from_address(id(singleton))
        count.value += _PADDING
    _done = True
    log.info("PySide6 loses references to None on this Python; protection applied")
    return True
