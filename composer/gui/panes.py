"""The window's panes: the preview pane's controls, and moving between the panes.

Tab walks every control in turn; F6 jumps from pane to pane, as in most
desktop programs: the argument list, the argument's full text, the letter and
the preview. Panes that draw no focus of their own (the argument's text, the
preview) get a frame in the selection colour while they have the focus.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from composer.i18n import _, ngettext

if TYPE_CHECKING:
    from PySide6.QtCore import QThreadPool

    from composer.core.models import Recipient
    from composer.gui.preview import PagePreview

# The frame is as wide focused or not, so nothing moves when the focus comes and goes.
FOCUS_FRAME_STYLE = (
    "QAbstractScrollArea { border: 1px solid palette(mid); padding: 1px; }"
    " QAbstractScrollArea:focus { border: 2px solid palette(highlight); padding: 0px; }"
)


def show_focus_frame(area: QAbstractScrollArea) -> None:
    """Draw a frame in the selection colour round `area` while it has the keyboard focus."""
    area.setStyleSheet(FOCUS_FRAME_STYLE)
    if area.focusPolicy() == Qt.FocusPolicy.NoFocus:
        area.setFocusPolicy(Qt.FocusPolicy.StrongFocus)


class PaneKeys(QObject):
    """Moves the keyboard focus from pane to pane.

    Args:
        panes: the widget that takes the focus in each pane, in order, with its name.
        parent: the window (the actions are added to it).

    Attributes:
        next_action, previous_action: "Next Pane" (F6) and "Previous Pane" (Shift+F6).
    """

    def __init__(self, panes: list[tuple[str, QWidget]], parent: QWidget) -> None:
        super().__init__(parent)
        self.panes = panes
        self.next_action = self._action(_("Next &Pane"), Qt.Key.Key_F6, 1)
        self.previous_action = self._action(
            _("Pre&vious Pane"), QKeySequence(Qt.Modifier.SHIFT | Qt.Key.Key_F6), -1
        )
        parent.addActions([self.next_action, self.previous_action])

    def _action(self, text: str, key: QKeySequence | Qt.Key, step: int) -> QAction:
        action = QAction(text, self.parent())
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda: self.move(step))
        return action

    def current(self) -> int:
        """The number of the pane holding the focus, or -1."""
        focus = QApplication.focusWidget()
        for index, (_name, widget) in enumerate(self.panes):
            if focus is not None and (focus is widget or widget.isAncestorOf(focus)):
                return index
        return -1

    def move(self, step: int) -> str:
        """Focus the next (1) or previous (-1) pane that is on screen; returns its name."""
        start = self.current()
        if start < 0 and step < 0:
            start = 0  # from outside every pane, Shift+F6 goes to the last one
        count = len(self.panes)
        for offset in range(1, count + 1):
            name, widget = self.panes[(start + step * offset) % count]
            if widget.isVisible() and widget.width() > 0 and widget.height() > 0:
                widget.setFocus(Qt.FocusReason.ShortcutFocusReason)
                return name
        return ""


def install_pane_keys(window: QMainWindow, view_menu: QMenu) -> PaneKeys:
    """Give the main window F6 and Shift+F6, and focus frames on the argument text and preview."""
    picker = window.picker  # type: ignore[attr-defined]
    editor = window.editor  # type: ignore[attr-defined]
    preview = window.preview  # type: ignore[attr-defined]
    show_focus_frame(picker.details)
    show_focus_frame(preview.scroll_area)
    keys = PaneKeys(
        [
            ("Arguments", picker.tree),
            ("Argument text", picker.details),
            ("Letter", editor.text),
            ("Preview", preview.scroll_area),
        ],
        window,
    )
    view_menu.addSeparator()
    view_menu.addActions([keys.next_action, keys.previous_action])
    return keys


def profile_banner() -> QLabel:
    """The bar over the letter that asks for the sender's name and address (a link
    ``#profile`` opens the profile); shown while they are missing."""
    banner = QLabel()
    banner.setWordWrap(True)
    banner.setTextFormat(Qt.TextFormat.RichText)
    banner.setStyleSheet(
        "QLabel { background: palette(alternate-base); border: 1px solid palette(mid);"
        " padding: 6px; }"
    )
    banner.setText(
        _(
            'Your name and address are not set yet. <a href="#profile">Add them</a> so '
            "the letter is signed and shows that you are a constituent."
        )
    )
    banner.setAccessibleDescription(_("Sender profile missing"))
    return banner


class PreviewPane(QWidget):
    """The right-hand pane: the page preview under its paper choice and page count, and,
    when the letter goes to several offices, which copy is shown.

    Args:
        pool: the thread pool the preview draws in.
        papers: the paper sizes offered, by key, with their labels.

    Attributes:
        preview: the page preview.
        paper_choice: the paper the preview and the print use.
        page_label: the length meter (pages).
        previous_copy, next_copy, copy_label: which recipient's copy is shown.
    """

    def __init__(self, pool: QThreadPool, papers: dict[str, str]) -> None:
        super().__init__()
        from composer.gui.preview import PagePreview

        self.preview: PagePreview = PagePreview(pool)
        self.paper_choice = QComboBox()
        self.paper_choice.setAccessibleName(_("Paper size"))
        self.paper_choice.setAccessibleDescription(_("The paper the preview and the print use"))
        for key, label in papers.items():
            self.paper_choice.addItem(label, key)
        self.page_label = QLabel()
        self.previous_copy = QToolButton()
        self.previous_copy.setText("◀")
        self.previous_copy.setAccessibleName(_("Previous recipient's copy"))
        self.next_copy = QToolButton()
        self.next_copy.setText("▶")
        self.next_copy.setAccessibleName(_("Next recipient's copy"))
        self.copy_label = QLabel()
        self.copy_label.setAccessibleDescription(_("Which copy the preview shows"))
        head = QHBoxLayout()
        head.setContentsMargins(6, 6, 6, 0)
        head.addWidget(QLabel(_("Preview:")))
        head.addWidget(self.paper_choice)
        head.addStretch(1)
        head.addWidget(self.page_label)
        # Which copy is shown gets a row of its own: beside the paper it would need more
        # than the pane's width.
        copy_row = QHBoxLayout()
        copy_row.setContentsMargins(6, 0, 6, 0)
        copy_row.addWidget(self.previous_copy)
        copy_row.addWidget(self.copy_label, 1)
        copy_row.addWidget(self.next_copy)
        self.show_copy_controls([], 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addLayout(copy_row)
        layout.addWidget(self.preview, 1)

    def show_page_count(self, pages: int) -> None:
        """The length meter: pages, and a word when the letter runs past one page
        (office staff read the top of a one-page letter first)."""
        if pages <= 1:
            self.page_label.setText(_("1 page") if pages else "")
            self.page_label.setToolTip("")
            self.page_label.setStyleSheet("")
            return
        self.page_label.setText(
            ngettext(
                "{pages} page: longer than one page",
                "{pages} pages: longer than one page",
                pages,
            ).format(pages=pages)
        )
        self.page_label.setToolTip(
            _(
                "Offices read the top of a letter first, and one page is read whole. Shorten "
                "the letter, or untick a paragraph, to bring it back to one page."
            )
        )
        self.page_label.setStyleSheet("font-weight: bold;")

    def show_copy_controls(self, recipients: Sequence[Recipient], index: int) -> None:
        """Show which copy is previewed (`index` of `recipients`), when there are several."""
        several = len(recipients) > 1
        for widget in (self.previous_copy, self.copy_label, self.next_copy):
            widget.setVisible(several)
        if not several:
            return
        name = recipients[index].short_name
        short = self.copy_label.fontMetrics().elidedText(name, Qt.TextElideMode.ElideRight, 180)
        self.copy_label.setText(
            _("Copy {number} of {total}: {name}").format(
                number=index + 1, total=len(recipients), name=short
            )
        )
        self.copy_label.setToolTip(name)
        self.previous_copy.setEnabled(index > 0)
        self.next_copy.setEnabled(index < len(recipients) - 1)
