"""What the status bar said: every message, kept from the moment a test starts listening.

A status message lasts until the next one; a test that waits for "Saved …" by reading
the current message can miss it when another part of the window (spelling, autosave)
speaks right after. Listening to ``messageChanged`` keeps them all.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow


def status_messages(window: QMainWindow) -> list[str]:
    """A list that receives every status-bar message of `window` from now on."""
    shown: list[str] = []
    window.statusBar().messageChanged.connect(shown.append)
    return shown


def said(shown: list[str], words: str) -> bool:
    """Whether a message holding `words` was shown."""
    return any(words in text for text in shown)
