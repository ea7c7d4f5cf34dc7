"""The argument picker: a campaign's paragraphs grouped by theme, ticked to go into the letter."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QAction, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from composer.core.campaigns import Argument, Campaign
from composer.core.markup import escape
from composer.gui.a11y import name_clear_button
from composer.gui.qt_items import child_items, top_level_items
from composer.i18n import _, ngettext

ID_ROLE = Qt.ItemDataRole.UserRole


class ChosenList(QListWidget):
    """The chosen arguments in letter order; drag to reorder.

    Signals:
        reordered(list): the ids in their new order, after a drag.
    """

    reordered = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)

    def ids(self) -> list[str]:
        """The ids in the order shown."""
        return [self.item(row).data(ID_ROLE) for row in range(self.count())]

    def dropEvent(self, event: QDropEvent) -> None:
        """Let Qt move the row, then tell the world the new order."""
        super().dropEvent(event)
        self.reordered.emit(self.ids())


class ArgumentPicker(QWidget):
    """Shows a campaign's arguments by theme, with a search box and the full text of each.

    A view of the letter's chosen arguments: what the user does here is asked
    of the letter session through the signals, and the session's answer comes
    back through :meth:`show_chosen` (a refused change is undone there).

    Signals:
        toggled(str, bool): the user ticked (True) or unticked (False) an argument.
        move_requested(str, int): the user asked to move a chosen argument up (-1) or
            down (1).
        order_requested(list): the user dragged the chosen arguments into this order.
    """

    toggled = Signal(str, bool)
    move_requested = Signal(str, int)
    order_requested = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._campaign: Campaign | None = None
        self._items: dict[str, QTreeWidgetItem] = {}

        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.review = QLabel()
        self.review.setWordWrap(True)
        self.review.setTextFormat(Qt.TextFormat.PlainText)
        self.review.setAccessibleName(_("When this campaign's facts were last checked"))
        self.review.hide()
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search arguments (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        name_clear_button(self.search)
        self.search.setAccessibleName(_("Search arguments"))
        self.search.setAccessibleDescription(
            _("Type words to show only the arguments that contain them; Ctrl+F comes back here")
        )
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName(_("Arguments by theme"))
        self.tree.setAccessibleDescription(_("Tick an argument to put its paragraph in the letter"))
        self.tree.setUniformRowHeights(True)
        self.details = QTextBrowser()
        self.details.setOpenExternalLinks(False)
        self.details.setAccessibleName(_("Full text and sources of the selected argument"))
        self.details.setAccessibleDescription(
            _(
                "The whole paragraph of the selected argument, its word count and where it comes from"
            )
        )
        self.details.setPlaceholderText(
            _("Select an argument to read it in full, with its sources.")
        )
        self.chosen = ChosenList()
        self.chosen.setAccessibleName(_("Chosen arguments, in letter order"))
        self.chosen.setAccessibleDescription(
            _(
                "The ticked arguments in the order they appear in the letter; "
                "Alt+Up and Alt+Down move the selected one"
            )
        )
        self.up_button = QToolButton()
        self.up_button.setText(_("Move up"))
        self.up_button.setAccessibleName(_("Move the chosen argument up"))
        self.up_button.setAccessibleDescription(
            _("Moves its paragraph earlier in the letter (Alt+Up)")
        )
        self.down_button = QToolButton()
        self.down_button.setText(_("Move down"))
        self.down_button.setAccessibleName(_("Move the chosen argument down"))
        self.down_button.setAccessibleDescription(
            _("Moves its paragraph later in the letter (Alt+Down)")
        )
        # Alt+Up and Alt+Down move the selected argument only while the list has the focus
        # (elsewhere, Alt+Down opens a combo box's list, for one).
        for keys, step, name in (
            ("Alt+Up", -1, self.up_button.accessibleName()),
            ("Alt+Down", 1, self.down_button.accessibleName()),
        ):
            action = QAction(name, self.chosen)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(lambda _checked=False, s=step: self._move(s))
            self.chosen.addAction(action)

        buttons = QHBoxLayout()
        buttons.addWidget(QLabel(_("In the letter:")))
        buttons.addStretch(1)
        buttons.addWidget(self.up_button)
        buttons.addWidget(self.down_button)
        chosen_box = QWidget()
        chosen_layout = QVBoxLayout(chosen_box)
        chosen_layout.setContentsMargins(0, 0, 0, 0)
        chosen_layout.addLayout(buttons)
        chosen_layout.addWidget(self.chosen)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.tree)
        splitter.addWidget(self.details)
        splitter.addWidget(chosen_box)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.review)
        layout.addWidget(self.search)
        layout.addWidget(splitter, 1)

        self.search.textChanged.connect(self._filter)
        self.tree.itemChanged.connect(self._item_changed)
        self.tree.currentItemChanged.connect(self._show_details)
        self.chosen.currentItemChanged.connect(self._show_chosen_details)
        self.chosen.reordered.connect(self.order_requested)
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button.clicked.connect(lambda: self._move(1))

    # --- content ------------------------------------------------------------------------------

    def set_campaign(
        self, campaign: Campaign, chosen: list[str], today: dt.date | None = None
    ) -> None:
        """Show a campaign with `chosen` ticked (in that order); `today` dates the review check."""
        self._campaign = campaign
        reviewed = (
            "<br><small>{}</small>".format(
                escape(_("Facts reviewed {date}").format(date=campaign.reviewed.isoformat()))
            )
            if campaign.reviewed
            else ""
        )
        self.title.setText(
            f"<b>{escape(campaign.title)}</b><br><small>{escape(campaign.summary)}</small>"
            + reviewed
        )
        warning = campaign.review_warning(today or dt.date.today())
        self.review.setText(f"\u26a0 {warning}" if warning else "")
        self.review.setVisible(bool(warning))
        with QSignalBlocker(self.tree):
            self.tree.clear()
            self._items.clear()
            for title, arguments in self.groups(campaign):
                group = QTreeWidgetItem(self.tree, [title])
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)
                font = group.font(0)
                font.setBold(True)
                group.setFont(0, font)
                for argument in arguments:
                    item = QTreeWidgetItem(group, [argument.title])
                    item.setData(0, ID_ROLE, argument.id)
                    item.setFlags(
                        Qt.ItemFlag.ItemIsEnabled
                        | Qt.ItemFlag.ItemIsSelectable
                        | Qt.ItemFlag.ItemIsUserCheckable
                    )
                    item.setCheckState(
                        0,
                        Qt.CheckState.Checked if argument.id in chosen else Qt.CheckState.Unchecked,
                    )
                    item.setToolTip(0, argument.plain_text)
                    self._items[argument.id] = item
            self.tree.expandAll()
        self._set_chosen(chosen)

    @staticmethod
    def groups(campaign: Campaign) -> list[tuple[str, list[Argument]]]:
        """Openings first, then each theme's body paragraphs, then closings."""
        found: list[tuple[str, list[Argument]]] = []
        openings = [a for a in campaign.arguments if a.position == "opening"]
        if openings:
            found.append((_("Openings"), openings))
        for theme, arguments in campaign.by_theme():
            body = [a for a in arguments if a.position == "body"]
            if body:
                found.append((theme.title, body))
        closings = [a for a in campaign.arguments if a.position == "closing"]
        if closings:
            found.append((_("Closings"), closings))
        return found

    def _set_chosen(self, ids: list[str]) -> None:
        if self._campaign is None:
            return
        with QSignalBlocker(self.chosen):
            self.chosen.clear()
            for argument_id in ids:
                argument = self._campaign.argument(argument_id)
                item = QListWidgetItem(argument.title)
                item.setData(ID_ROLE, argument_id)
                self.chosen.addItem(item)

    def chosen_ids(self) -> list[str]:
        """The chosen arguments as the list shows them (letter order)."""
        return self.chosen.ids()

    def ticked_ids(self) -> set[str]:
        """The arguments ticked in the tree."""
        return {
            argument_id
            for argument_id, item in self._items.items()
            if item.checkState(0) == Qt.CheckState.Checked
        }

    def show_chosen(self, ids: list[str]) -> None:
        """Show the letter's chosen arguments: ticked in the tree, in this order in the list
        (the selected one stays selected)."""
        with QSignalBlocker(self.tree):
            for argument_id, item in self._items.items():
                state = Qt.CheckState.Checked if argument_id in ids else Qt.CheckState.Unchecked
                if item.checkState(0) != state:
                    item.setCheckState(0, state)
        if self.chosen_ids() == ids:
            return
        current = self.chosen.currentItem()
        keep = current.data(ID_ROLE) if current else None
        self._set_chosen(ids)
        if keep in ids:
            self.chosen.setCurrentRow(ids.index(keep))

    # --- slots --------------------------------------------------------------------------------

    def _item_changed(self, item: QTreeWidgetItem, _column: int) -> None:
        argument_id = item.data(0, ID_ROLE)
        if not argument_id:
            return
        self.toggled.emit(argument_id, item.checkState(0) == Qt.CheckState.Checked)

    def _move(self, step: int) -> None:
        current = self.chosen.currentItem()
        if current is not None:
            self.move_requested.emit(current.data(ID_ROLE), step)

    def _filter(self, text: str) -> None:
        needle = text.strip().lower()
        for group in top_level_items(self.tree):
            visible = 0
            for child in child_items(group):
                argument = self._argument(child.data(0, ID_ROLE))
                haystack = f"{argument.title} {argument.plain_text}".lower() if argument else ""
                hidden = bool(needle) and needle not in haystack
                child.setHidden(hidden)
                visible += not hidden
            group.setHidden(visible == 0)

    def _argument(self, argument_id: str | None) -> Argument | None:
        if self._campaign is None or not argument_id:
            return None
        try:
            return self._campaign.argument(argument_id)
        except KeyError:
            return None

    def _show_details(self, item: QTreeWidgetItem | None, _previous: object = None) -> None:
        argument = self._argument(item.data(0, ID_ROLE) if item else None)
        self.details.setHtml(self.details_html(argument) if argument else "")

    def _show_chosen_details(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        argument = self._argument(item.data(ID_ROLE) if item else None)
        if argument:
            self.details.setHtml(self.details_html(argument))

    def details_html(self, argument: Argument) -> str:
        """The full paragraph with its title, word count and sources."""
        sources = "".join(f"<li>{escape(source.citation())}</li>" for source in argument.sources)
        theme = self._campaign.theme_title(argument.theme) if self._campaign else argument.theme
        facts = [
            theme,
            ngettext("{count} word", "{count} words", argument.word_count).format(
                count=argument.word_count
            ),
        ]
        if argument.facts_as_of:
            facts.append(_("facts as of {date}").format(date=argument.facts_as_of.isoformat()))
        heading = escape(_("Sources"))
        listed = sources or "<li>{}</li>".format(escape(_("none given")))
        return (
            f"<h3>{escape(argument.title)}</h3>"
            f"<p><small>{escape(' · '.join(facts))}</small></p>"
            f"{argument.html}"
            f"<p><b>{heading}</b></p><ul>{listed}</ul>"
        )
