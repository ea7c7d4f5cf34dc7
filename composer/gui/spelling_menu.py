"""The editor's right-click menu, led by spelling suggestions and "Add to Dictionary".

:class:`SpellingMenu` replaces the editor's context menu for right-clicks,
the Menu key and Shift+F10: on a misspelt word (see
:class:`composer.gui.spelling.SpellingSupport`) the suggestions come first,
then "Add to Dictionary", then the editor's usual entries.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QAction, QContextMenuEvent, QKeyEvent, QTextCursor
from PySide6.QtWidgets import QMenu, QWidget

from composer.i18n import _

if TYPE_CHECKING:
    from composer.gui.spelling import SpellingSupport


class SpellingMenu(QObject):
    """The context menu of one spell-checked editor.

    Args:
        support: the editor's spelling (its words, suggestions and personal list).
    """

    def __init__(self, support: SpellingSupport) -> None:
        super().__init__(support)
        self.support = support
        self.text_edit = support.text_edit
        self._menu: QMenu | None = None
        self._watching_viewport = False
        support.text_edit.installEventFilter(self)

    def watch_viewport(self) -> None:
        """Take over right-clicks too (they reach the editor's viewport, not the editor).

        Called when spelling starts: the window's first call to ``viewport()``
        costs some milliseconds, which start-up need not wait for.
        """
        if not self._watching_viewport:
            self._watching_viewport = True
            self.text_edit.viewport().installEventFilter(self)

    def build_context_menu(self, cursor: QTextCursor, position: QPoint) -> QMenu:
        """The editor's usual menu, led by suggestions when `cursor` is on a misspelt word."""
        menu = self.text_edit.createStandardContextMenu(position)
        menu.setAccessibleName(_("Editing and spelling"))
        selection = self.support.misspelt_word_at(cursor)
        if selection is None:
            return menu
        word = selection.selectedText()
        first = menu.actions()[0] if menu.actions() else None
        leading: list[QAction] = []
        suggestions = self.support.checker.suggest(word)
        for suggestion in suggestions:
            action = QAction(suggestion, menu)
            font = action.font()
            font.setBold(True)
            action.setFont(font)
            action.triggered.connect(self._replacer(selection, suggestion))
            leading.append(action)
        if not suggestions:
            none = QAction(_("No suggestions"), menu)
            none.setEnabled(False)
            leading.append(none)
        add = QAction(_("Add “{word}” to Dictionary").format(word=word), menu)
        add.triggered.connect(lambda _=False, w=word: self.support.add_word(w))
        leading.append(add)
        if first is None:
            menu.addActions(leading)
        else:
            menu.insertActions(first, leading)
            menu.insertSeparator(first)
        return menu

    def _replacer(self, selection: QTextCursor, replacement: str) -> Callable[..., None]:
        return lambda _=False: self.support.replace_word(selection, replacement)

    def _open_menu(self, cursor: QTextCursor, position: QPoint, global_position: QPoint) -> None:
        if self._menu is not None:
            self._menu.close()
        menu = self.build_context_menu(cursor, position)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.destroyed.connect(self._menu_gone)
        self._menu = menu
        menu.popup(global_position)

    def _menu_gone(self) -> None:
        self._menu = None

    @property
    def open_menu(self) -> QMenu | None:
        """The context menu on screen, if any."""
        return self._menu

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Show our menu for right-clicks, the Menu key and Shift+F10."""
        # Look at nothing else: this also sees the events of the editor's own teardown.
        kind = event.type()
        if kind == QEvent.Type.ContextMenu and isinstance(event, QContextMenuEvent):
            viewport = self.text_edit.viewport()
            if watched not in (self.text_edit, viewport):
                return False
            if event.reason() == QContextMenuEvent.Reason.Mouse:
                position = event.pos()
                if watched is self.text_edit:
                    position = viewport.mapFrom(self.text_edit, position)
                cursor = self.text_edit.cursorForPosition(position)
                self._open_menu(cursor, position, viewport.mapToGlobal(position))
            else:
                self._menu_at_text_cursor()
            return True
        if (
            kind == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_F10
            and event.modifiers() == Qt.KeyboardModifier.ShiftModifier
            and watched is self.text_edit
        ):
            self._menu_at_text_cursor()
            return True
        return False

    def _menu_at_text_cursor(self) -> None:
        position = self.text_edit.cursorRect().bottomLeft()
        viewport: QWidget = self.text_edit.viewport()
        self._open_menu(self.text_edit.textCursor(), position, viewport.mapToGlobal(position))
