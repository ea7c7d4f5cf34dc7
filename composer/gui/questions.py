"""The question asked before a letter leaves: go back and fix something, or go on anyway."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from composer import i18n
from composer.i18n import N_, _

# The button that goes on, by what is about to happen: whole sentences, each translated.
_ANYWAY = {
    "Print": N_("Print anyway"),
    "Export": N_("Export anyway"),
    "Send": N_("Send anyway"),
    "Preview": N_("Preview anyway"),
}


def go_on_anyway(
    parent: QWidget,
    *,
    name: str,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    details: str,
    back: str,
    verb: str,
) -> bool:
    """Ask, with `back` as the default and Escape answer; True when the user chose
    "`verb` anyway" (`verb` is "Print", "Export", "Send" or "Preview")."""
    box = QMessageBox(parent)
    box.setObjectName(name)
    box.setIcon(icon)
    box.setWindowTitle(title)
    box.setText(text)
    box.setInformativeText(details)
    go_back = box.addButton(back, QMessageBox.ButtonRole.RejectRole)
    label = i18n._(_ANYWAY[verb]) if verb in _ANYWAY else _("Go on anyway")
    anyway = box.addButton(label, QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(go_back)
    box.setEscapeButton(go_back)
    box.exec()
    return box.clickedButton() is anyway
