"""The question asked before a letter leaves: go back and fix something, or go on anyway."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


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
    "`verb` anyway"."""
    box = QMessageBox(parent)
    box.setObjectName(name)
    box.setIcon(icon)
    box.setWindowTitle(title)
    box.setText(text)
    box.setInformativeText(details)
    go_back = box.addButton(back, QMessageBox.ButtonRole.RejectRole)
    anyway = box.addButton(f"{verb} anyway", QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(go_back)
    box.setEscapeButton(go_back)
    box.exec()
    return box.clickedButton() is anyway
