"""File ▸ Drafts…: every saved letter, to reopen, rename or delete."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from composer import i18n
from composer.core.drafts import DraftError, DraftInfo, DraftStore
from composer.gui.qt_items import top_level_items
from composer.i18n import N_, _, current_language

ID_ROLE = Qt.ItemDataRole.UserRole
COLUMNS = (N_("Letter"), N_("To"), N_("Saved"), N_("Begins"))


def _day(when: dt.datetime) -> str:
    """A day as the interface's language writes it: "3 March 2025", "3 марта 2025"."""
    if current_language() == "en":
        return f"{when.day} {when:%B %Y}"
    date = QDate(when.year, when.month, when.day)
    return QLocale(current_language()).toString(date, "d MMMM yyyy")


def describe_time(timestamp: float, now: dt.datetime | None = None) -> str:
    """When a draft was saved, the way people say it: "today 14:05", "3 March 2025"."""
    when = dt.datetime.fromtimestamp(timestamp)
    now = now or dt.datetime.now()
    if when.date() == now.date():
        return _("today {time}").format(time=f"{when:%H:%M}")
    if when.date() == (now - dt.timedelta(days=1)).date():
        return _("yesterday {time}").format(time=f"{when:%H:%M}")
    return _day(when)


def draft_titles(drafts: list[tuple[DraftInfo, str]]) -> list[str]:
    """The names the list shows, one per (draft, its recipients): the name the user
    gave it, or subject, recipients and the day it was begun — with the time too
    where two would otherwise read the same."""

    def day(info: DraftInfo, with_time: bool) -> str:
        when = dt.datetime.fromtimestamp(info.created_at)
        text = _day(when)
        return f"{text} {when:%H:%M}" if with_time else text

    def made(info: DraftInfo, recipients: str, with_time: bool) -> str:
        if info.name.strip():
            return info.title
        subject = " ".join(info.subject.split())[:60] or _("Untitled letter")
        return " — ".join(part for part in (subject, recipients, day(info, with_time)) if part)

    first = [made(info, recipients, False) for info, recipients in drafts]
    timed = [
        made(info, recipients, True) if first.count(title) > 1 else title
        for (info, recipients), title in zip(drafts, first, strict=True)
    ]
    # Begun in the same minute: numbered in the order they were begun.
    order = sorted(range(len(drafts)), key=lambda index: drafts[index][0].created_at)
    seen: dict[str, int] = {}
    titles = list(timed)
    for index in order:
        if timed.count(timed[index]) > 1:
            seen[timed[index]] = seen.get(timed[index], 0) + 1
            titles[index] = f"{timed[index]} ({seen[timed[index]]})"
    return titles


class DraftsDialog(QDialog):
    """Lists the drafts; opening one hands its id to the window.

    Args:
        store: the drafts store.
        current_id: the draft open in the window (it cannot be deleted from here).
        highlight: drafts to point out (letters a crash left open).
        parent: the window.

    Signals:
        open_requested(str): the user chose a draft to open.
    """

    open_requested = Signal(str)

    def __init__(
        self,
        store: DraftStore,
        current_id: str | None = None,
        highlight: frozenset[str] = frozenset(),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.current_id = current_id
        self.highlight = highlight
        self.setWindowTitle(_("Drafts"))
        self.resize(900, 420)
        self.intro = QLabel(
            _("Every letter is saved here as you write. Open one to go on with it.")
        )
        self.intro.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName(_("Drafts"))
        self.tree.setRootIsDecorated(False)
        self.tree.setHeaderLabels([i18n._(column) for column in COLUMNS])
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setColumnWidth(0, 300)
        self.tree.setColumnWidth(1, 180)
        self.tree.setColumnWidth(2, 120)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.open_button = QPushButton(_("&Open"))
        self.rename_button = QPushButton(_("&Rename…"))
        self.delete_button = QPushButton(_("&Delete"))
        for button in (self.open_button, self.rename_button, self.delete_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.setDefault(True)
        buttons.rejected.connect(self.reject)
        self.open_button.clicked.connect(self.open_selected)
        self.rename_button.clicked.connect(lambda: self.rename_selected())
        self.delete_button.clicked.connect(lambda: self.delete_selected())
        self.tree.itemActivated.connect(lambda _item, _column: self.open_selected())
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.refresh()

    def _show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def refresh(self) -> None:
        """Read the list again from the store."""
        selected = self.selected_id()
        try:
            drafts = self.store.entries()
        except DraftError as error:
            self._show_problem(_("The drafts cannot be read: {problem}").format(problem=error))
            drafts = []
        self.tree.clear()
        listed = [(info, self._recipients_of(info.id)) for info in drafts]
        for (info, recipients), title in zip(listed, draft_titles(listed), strict=True):
            self._add(info, title, recipients)
        # The end of a name (the day, a number) is what tells two drafts apart: show it.
        self.tree.resizeColumnToContents(0)
        self.tree.setColumnWidth(0, min(max(self.tree.columnWidth(0), 300), 560))
        items = top_level_items(self.tree)
        if items:
            ids = self.ids()
            self.tree.setCurrentItem(items[ids.index(selected) if selected in ids else 0])
        self._update_buttons()

    def _recipients_of(self, draft_id: str) -> str:
        """Whom a draft is addressed to, as the list shows it ("" if it cannot be read)."""
        try:
            letter = self.store.load(draft_id).document.letter
        except DraftError:
            return ""
        return ", ".join(r.short_name for r in letter.recipients if r.short_name)

    def _add(self, info: DraftInfo, title: str, recipients: str) -> None:
        notes = []
        if info.id == self.current_id:
            notes.append(_("open now"))
        if info.id in self.highlight:
            notes.append(_("not closed properly"))
        if notes:
            title = f"{title} ({', '.join(notes)})"
        item = QTreeWidgetItem(
            [title, recipients, describe_time(info.updated_at), info.summary[:120]]
        )
        item.setData(0, ID_ROLE, info.id)
        item.setToolTip(0, title)
        item.setToolTip(1, recipients)
        item.setToolTip(3, info.summary)
        if info.id in self.highlight:
            font = item.font(0)
            font.setBold(True)
            item.setFont(0, font)
        self.tree.addTopLevelItem(item)

    def ids(self) -> list[str]:
        """The draft ids in the order shown."""
        return [str(item.data(0, ID_ROLE)) for item in top_level_items(self.tree)]

    def titles(self) -> list[str]:
        """The titles as shown."""
        return self.column(0)

    def column(self, number: int) -> list[str]:
        """The texts of one column, top to bottom."""
        return [item.text(number) for item in top_level_items(self.tree)]

    def selected_id(self) -> str | None:
        """The id of the selected draft, if any."""
        item = self.tree.currentItem() if hasattr(self, "tree") else None
        return None if item is None else item.data(0, ID_ROLE)

    def select(self, draft_id: str) -> None:
        """Select a draft by id."""
        for item in top_level_items(self.tree):
            if item.data(0, ID_ROLE) == draft_id:
                self.tree.setCurrentItem(item)

    def _update_buttons(self) -> None:
        chosen = self.selected_id()
        self.open_button.setEnabled(chosen is not None and chosen != self.current_id)
        self.rename_button.setEnabled(chosen is not None)
        self.delete_button.setEnabled(chosen is not None and chosen != self.current_id)

    def open_selected(self) -> None:
        """Open the selected draft in the window."""
        chosen = self.selected_id()
        if chosen is None or chosen == self.current_id:
            return
        self.open_requested.emit(chosen)
        self.accept()

    def rename_selected(self, name: str | None = None) -> None:
        """Rename the selected draft (asks for the name when none is given)."""
        chosen = self.selected_id()
        if chosen is None:
            return
        if name is None:
            item = self.tree.currentItem()
            current = self.store.load(chosen).info.name if item is not None else ""
            name, accepted = QInputDialog.getText(self, _("Rename Draft"), _("Name:"), text=current)
            if not accepted:
                return
        try:
            self.store.rename(chosen, name)
        except DraftError as error:
            self._show_problem(_("The draft was not renamed: {problem}").format(problem=error))
            return
        self.refresh()

    def delete_selected(self, confirm: bool = True) -> None:
        """Delete the selected draft, after asking."""
        chosen = self.selected_id()
        if chosen is None or chosen == self.current_id:
            return
        item = self.tree.currentItem()
        if item is None:
            return
        if confirm:
            answer = QMessageBox.question(
                self,
                _("Delete Draft"),
                _("Delete the draft “{name}” for good? This cannot be undone.").format(
                    name=item.text(0)
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        try:
            self.store.delete(chosen)
        except DraftError as error:
            self._show_problem(_("The draft was not deleted: {problem}").format(problem=error))
            return
        self.refresh()
