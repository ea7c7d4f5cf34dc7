"""Help ▸ Keyboard Shortcuts: every shortcut of the window, read from its actions and buttons."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from composer.gui.a11y import name_clear_button
from composer.gui.qt_items import child_items, top_level_items
from composer.i18n import _


def widget_keys_note() -> str:
    """Keys that belong to widgets rather than actions, so no action can report them."""
    return _(
        "Tab and Shift+Tab move between the parts of the window. In the argument list, "
        "Space ticks or unticks an argument. In the letter, Shift+F10 or the Menu key shows "
        "spelling suggestions for the word at the cursor."
    )


@dataclass(frozen=True)
class Shortcut:
    """One entry of the list: where it lives, what it does, and its keys."""

    group: str
    name: str
    keys: str


def plain_text(text: str) -> str:
    """An action's text without its mnemonic ampersands ("&&" stays a literal "&")."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def key_text(sequences: list[QKeySequence]) -> str:
    """Shortcuts as the platform writes them, e.g. "Ctrl+Shift+E"."""
    return ", ".join(
        s.toString(QKeySequence.SequenceFormat.NativeText) for s in sequences if not s.isEmpty()
    )


def _menu_shortcuts(menu: QMenu, group: str, seen: set[int]) -> list[Shortcut]:
    found: list[Shortcut] = []
    for action in menu.actions():
        if action.isSeparator():
            continue
        submenu = action.menu()
        if isinstance(submenu, QMenu):
            found += _menu_shortcuts(submenu, f"{group} ▸ {plain_text(action.text())}", seen)
            continue
        seen.add(id(action))
        keys = key_text(action.shortcuts())
        if keys:
            found.append(Shortcut(group, plain_text(action.text()), keys))
    return found


def collect_shortcuts(window: QMainWindow) -> list[Shortcut]:
    """Every shortcut the window offers: menu actions first, then other actions and buttons."""
    seen: set[int] = set()
    found: list[Shortcut] = []
    for top in window.menuBar().actions():
        menu = top.menu()
        if isinstance(menu, QMenu):
            found += _menu_shortcuts(menu, plain_text(top.text()), seen)
    known_keys = {(s.name, s.keys) for s in found}
    other = _("Other")
    for action in window.findChildren(QAction):
        if id(action) in seen or action.isSeparator() or action.menu() is not None:
            continue
        keys = key_text(action.shortcuts())
        name = plain_text(action.text())
        if keys and name and (name, keys) not in known_keys:
            found.append(Shortcut(other, name, keys))
            known_keys.add((name, keys))
    for button in window.findChildren(QAbstractButton):
        keys = key_text([button.shortcut()])
        name = button.accessibleName() or plain_text(button.text())
        if keys and name and (name, keys) not in known_keys:
            found.append(Shortcut(other, name, keys))
            known_keys.add((name, keys))
    return found


class ShortcutsDialog(QDialog):
    """Lists the window's keyboard shortcuts by menu, with a filter.

    Args:
        window: the main window whose actions are listed.
        parent: the dialog's parent (the window when not given).
    """

    def __init__(self, window: QMainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent if parent is not None else window)
        self.setWindowTitle(_("Keyboard Shortcuts"))
        self.setAccessibleName(_("Keyboard Shortcuts"))
        self.shortcuts = collect_shortcuts(window)

        self.filter = QLineEdit()
        self.filter.setPlaceholderText(_("Filter by name or key"))
        self.filter.setClearButtonEnabled(True)
        name_clear_button(self.filter, _("Clear filter"))
        self.filter.setAccessibleName(_("Filter shortcuts"))
        self.filter.setAccessibleDescription(_("Show only the shortcuts whose name or keys match"))
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([_("Action"), _("Shortcut")])
        self.tree.setRootIsDecorated(False)
        self.tree.setAccessibleName(_("Shortcuts"))
        self.tree.setAccessibleDescription(
            _("Every action of the window with its keyboard shortcut")
        )
        groups: dict[str, QTreeWidgetItem] = {}
        for shortcut in self.shortcuts:
            group = groups.get(shortcut.group)
            if group is None:
                group = QTreeWidgetItem(self.tree, [shortcut.group])
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)
                font = group.font(0)
                font.setBold(True)
                group.setFont(0, font)
                group.setFirstColumnSpanned(True)
                groups[shortcut.group] = group
            QTreeWidgetItem(group, [shortcut.name, shortcut.keys])
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        self.tree.setColumnWidth(0, self.tree.columnWidth(0) + 24)

        note = QLabel(widget_keys_note())
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.filter.textChanged.connect(self._filter)
        self.resize(520, 600)

    def _filter(self, text: str) -> None:
        needle = text.strip().lower()
        for group in top_level_items(self.tree):
            visible = 0
            for child in child_items(group):
                haystack = f"{child.text(0)} {child.text(1)}".lower()
                hidden = bool(needle) and needle not in haystack
                child.setHidden(hidden)
                visible += not hidden
            group.setHidden(visible == 0)

    def visible_rows(self) -> list[tuple[str, str]]:
        """The (action, keys) rows shown right now."""
        rows = []
        for group in top_level_items(self.tree):
            for child in child_items(group):
                if not group.isHidden() and not child.isHidden():
                    rows.append((child.text(0), child.text(1)))
        return rows
