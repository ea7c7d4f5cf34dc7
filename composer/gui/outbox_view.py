"""The Outbox and Sent lists: what waits, what went, what the server said.

A thin view over :class:`composer.gui.send_worker.SendController`: it shows
the lists the controller loads in the background and turns buttons into the
controller's actions. Editing a letter is the editor's job: the view only
says which one (``edit_requested``).
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from composer import i18n
from composer.core.mail import read_message
from composer.core.outbox import FAILED, QUEUED, SENDING, OutboxEntry, SentEntry
from composer.gui.send_worker import SendController
from composer.i18n import N_, _, ngettext, pgettext

_ID_ROLE = Qt.ItemDataRole.UserRole
WAITING_COLUMNS = (N_("State"), N_("To"), N_("Subject"), N_("Tries"), N_("Server's last reply"))
SENT_COLUMNS = (N_("Sent"), N_("To"), N_("Subject"), N_("Server's reply"))


def _when(seconds: float) -> str:
    moment = dt.datetime.fromtimestamp(seconds)
    today = dt.date.today()
    return moment.strftime("%H:%M" if moment.date() == today else "%Y-%m-%d %H:%M")


def _bindings(standard: QKeySequence.StandardKey, *usual: str) -> list[QKeySequence]:
    """The platform's keys for `standard` and the `usual` ones, each once (two shortcuts
    on the same keys would cancel each other out)."""
    found: list[QKeySequence] = []
    for keys in [*QKeySequence.keyBindings(standard), *map(QKeySequence, usual)]:
        if not keys.isEmpty() and keys not in found:
            found.append(keys)
    return found


def state_text(entry: OutboxEntry, now: float | None = None) -> str:
    """How a waiting letter's state reads in the list."""
    moment = time.time() if now is None else now
    if entry.state == SENDING:
        return _("Sending…")
    if entry.state == FAILED:
        return _("Refused — edit and resend")
    if entry.attempts and entry.next_attempt_at > moment:
        return _("Waiting — next try {time}").format(time=_when(entry.next_attempt_at))
    return _("Waiting to be sent")


def letter_story(entry: OutboxEntry, now: float | None = None) -> str:
    """What happened to a waiting letter so far, and what comes next, in full sentences."""
    moment = time.time() if now is None else now
    if entry.recipient_names:
        parts = [
            _("“{subject}” to {names}.").format(
                subject=entry.subject, names=", ".join(entry.recipient_names)
            )
        ]
    else:
        parts = [_("“{subject}” to its recipients.").format(subject=entry.subject)]
    if entry.state == SENDING:
        parts.append(_("It is being sent right now."))
    elif entry.state == FAILED:
        # The failure's own words say what was wrong and what to do about it.
        parts.append(entry.last_error or _("The server refused it; edit it and send it again."))
    elif entry.attempts:
        tried = (
            _("Tried once; not sent yet.")
            if entry.attempts == 1
            else ngettext(
                "Tried {n} time; not sent yet.", "Tried {n} times; not sent yet.", entry.attempts
            ).format(n=entry.attempts)
        )
        parts.append(f"{tried} {entry.last_error}".rstrip())
        if entry.next_attempt_at > moment:
            parts.append(
                _("Next try at {time}, or now with Send Now.").format(
                    time=_when(entry.next_attempt_at)
                )
            )
    else:
        parts.append(_("It has not been tried yet; it goes out with the next send."))
    if entry.last_reply:
        parts.append(_("The server said: “{reply}”.").format(reply=entry.last_reply))
    if entry.possibly_delivered:
        parts.append(_("It may already have been delivered once."))
    return " ".join(parts)


class OutboxView(QWidget):
    """The Outbox and Sent lists with their actions.

    Args:
        controller: the send controller (it loads the lists and does the work).
        parent: the parent widget.

    Signals:
        edit_requested(int): open this waiting letter (outbox id) in the editor.
        reopen_requested(int): open a copy of this sent letter (history id).
        pending_count_changed(int): letters still to go, for the status bar.
        quit_requested(): the user asked to quit the program from this window.
    """

    edit_requested = Signal(int)
    reopen_requested = Signal(int)
    pending_count_changed = Signal(int)
    quit_requested = Signal()

    def __init__(self, controller: SendController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle(_("Outbox"))

        self.waiting = QTreeWidget()
        self.waiting.setHeaderLabels([i18n._(column) for column in WAITING_COLUMNS])
        self.waiting.setRootIsDecorated(False)
        self.waiting.setSelectionMode(QTreeWidget.SelectionMode.ExtendedSelection)
        self.waiting.setAccessibleName(_("Letters waiting to be sent"))
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setFrameShape(QLabel.Shape.StyledPanel)
        self.details.setMargin(6)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setAccessibleName(_("What happened to the selected letter"))
        self.sent = QTreeWidget()
        self.sent.setHeaderLabels([i18n._(column) for column in SENT_COLUMNS])
        self.sent.setRootIsDecorated(False)
        self.sent.setAccessibleName(_("Letters sent"))

        self.send_button = QPushButton(_("&Send Now"))
        self.retry_button = QPushButton(_("&Retry"))
        self.edit_button = QPushButton(_("&Edit…"))
        self.cancel_button = QPushButton(_("&Cancel Letter"))
        self.export_button = QPushButton(_("E&xport .eml…"))
        self.view_button = QPushButton(pgettext("open a sent letter", "&View"))
        self.reopen_button = QPushButton(_("Re-&open"))
        self.export_sent_button = QPushButton(_("Export .e&ml…"))

        waiting_page = QWidget()
        waiting_buttons = QHBoxLayout()
        for button in (
            self.send_button,
            self.retry_button,
            self.edit_button,
            self.cancel_button,
            self.export_button,
        ):
            waiting_buttons.addWidget(button)
        waiting_buttons.addStretch(1)
        waiting_layout = QVBoxLayout(waiting_page)
        waiting_layout.addWidget(self.waiting, 1)
        waiting_layout.addWidget(self.details)
        waiting_layout.addLayout(waiting_buttons)

        sent_page = QWidget()
        sent_buttons = QHBoxLayout()
        for button in (self.view_button, self.reopen_button, self.export_sent_button):
            sent_buttons.addWidget(button)
        sent_buttons.addStretch(1)
        sent_layout = QVBoxLayout(sent_page)
        sent_layout.addWidget(self.sent)
        sent_layout.addLayout(sent_buttons)

        self.tabs = QTabWidget()
        self.tabs.addTab(waiting_page, _("Outbox"))
        self.tabs.addTab(sent_page, pgettext("tab", "Sent"))
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.progress.setTextVisible(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)

        self.send_button.clicked.connect(lambda: self.controller.send_now())
        self.retry_button.clicked.connect(self.retry_selected)
        self.edit_button.clicked.connect(self.edit_selected)
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.export_button.clicked.connect(self.export_selected)
        self.view_button.clicked.connect(self.view_selected_sent)
        self.reopen_button.clicked.connect(self.reopen_selected_sent)
        self.export_sent_button.clicked.connect(self.export_selected_sent)
        self.waiting.itemSelectionChanged.connect(self._update_buttons)
        self.sent.itemSelectionChanged.connect(self._update_buttons)
        self.waiting.itemDoubleClicked.connect(lambda *_: self.edit_selected())
        self.sent.itemDoubleClicked.connect(lambda *_: self.view_selected_sent())

        controller.lists_changed.connect(self.show_lists)
        controller.counts_changed.connect(self._counts)
        controller.announcement.connect(self._announce)
        controller.busy_changed.connect(self._busy)
        controller.progress.connect(self._progress)
        self._entries: dict[int, OutboxEntry] = {}
        self._sent: dict[int, SentEntry] = {}
        # A window of its own: the usual keys close it, and quitting works from it too.
        for keys in _bindings(QKeySequence.StandardKey.Close, "Esc", "Ctrl+W"):
            QShortcut(keys, self, self.close)
        for keys in _bindings(QKeySequence.StandardKey.Quit, "Ctrl+Q"):
            QShortcut(keys, self, self.quit_requested.emit)
        self._update_buttons()

    # -- showing -----------------------------------------------------------------

    def show_lists(self, entries: list[OutboxEntry], sent: list[SentEntry]) -> None:
        """Show the waiting letters and the sent history (keeps the selection)."""
        chosen = set(self.selected_ids())
        self.waiting.clear()
        self._entries = {entry.id: entry for entry in entries}
        now = time.time()
        for entry in entries:
            note = entry.last_reply or entry.last_error
            item = QTreeWidgetItem(
                [
                    state_text(entry, now),
                    ", ".join(entry.recipient_names),
                    entry.subject,
                    str(entry.attempts),
                    note,
                ]
            )
            item.setData(0, _ID_ROLE, entry.id)
            tip = letter_story(entry, now)
            for column in range(5):
                item.setToolTip(column, tip)
            self.waiting.addTopLevelItem(item)
            item.setSelected(entry.id in chosen)
        chosen_sent = set(self.selected_sent_ids())
        self.sent.clear()
        self._sent = {record.id: record for record in sent}
        for record in sent:
            item = QTreeWidgetItem(
                [
                    _when(record.sent_at),
                    ", ".join(record.recipient_names),
                    record.subject,
                    record.server_reply,
                ]
            )
            item.setData(0, _ID_ROLE, record.id)
            item.setToolTip(1, ", ".join(record.envelope_to))
            self.sent.addTopLevelItem(item)
            item.setSelected(record.id in chosen_sent)
        for tree in (self.waiting, self.sent):
            for column in range(tree.columnCount() - 1):
                tree.resizeColumnToContents(column)
        self.tabs.setTabText(
            0, _("Outbox ({n})").format(n=len(entries)) if entries else _("Outbox")
        )
        self._update_buttons()

    def _counts(self, pending: int, failed: int) -> None:
        self.pending_count_changed.emit(pending)

    def _announce(self, text: str, good: bool) -> None:
        self.status.setText(text)

    def _busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.progress.setRange(0, 0)  # "working" until the first letter is done
        self.send_button.setEnabled(not busy)

    def _progress(self, done: int, total: int, text: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(_("{done} of {total}").format(done=done, total=total))

    def _show_details(self, chosen: list[OutboxEntry]) -> None:
        """Explain the selected letter; with none selected, say where to look."""
        entries = list(self._entries.values())
        if len(chosen) == 1:
            text = letter_story(chosen[0])
        elif chosen:
            text = ngettext("{n} letter selected.", "{n} letters selected.", len(chosen)).format(
                n=len(chosen)
            )
        elif not entries and self._sent:
            text = _("Nothing is waiting: every letter has gone out. The Sent tab lists them.")
        elif not entries:
            text = _(
                "Nothing is waiting, and no letter has been sent yet. Letters you send "
                "by e-mail wait here until the server accepts them."
            )
        else:
            refused = sum(entry.state == FAILED for entry in entries)
            text = _("Select a letter to see what happened to it.")
            if refused:
                text = ngettext(
                    "{n} letter was refused by the server. Select a letter to see what "
                    "happened to it.",
                    "{n} letters were refused by the server. Select a letter to see what "
                    "happened to it.",
                    refused,
                ).format(n=refused)
        self.details.setText(text)

    def _update_buttons(self) -> None:
        selected = [self._entries.get(entry_id) for entry_id in self.selected_ids()]
        self._show_details([entry for entry in selected if entry is not None])
        changeable = [e for e in selected if e is not None and e.state in (QUEUED, FAILED)]
        self.retry_button.setEnabled(bool(changeable))
        self.cancel_button.setEnabled(bool(changeable))
        self.edit_button.setEnabled(len(changeable) == 1)
        self.export_button.setEnabled(len(selected) == 1)
        one_sent = len(self.selected_sent_ids()) == 1
        for button in (self.view_button, self.reopen_button, self.export_sent_button):
            button.setEnabled(one_sent)

    def place_over(self, anchor: QWidget | None) -> None:
        """Size and move the window so that all of it is on the screen, over `anchor`
        (the main window) when given."""
        screen = anchor.screen() if anchor is not None else self.screen()
        if screen is None:
            return
        area = screen.availableGeometry()
        # Room for the frame the window manager adds around the window.
        frame = self.frameGeometry().size() - self.geometry().size()
        width = min(max(self.width(), 820), area.width() - frame.width())
        height = min(max(self.height(), 480), area.height() - frame.height())
        self.resize(width, height)
        centre = anchor.frameGeometry().center() if anchor is not None else area.center()
        left = min(
            max(centre.x() - width // 2, area.left()), area.right() + 1 - width - frame.width()
        )
        top = min(
            max(centre.y() - height // 2, area.top()), area.bottom() + 1 - height - frame.height()
        )
        self.move(left, top)

    # -- selection ---------------------------------------------------------------

    def entry(self, entry_id: int) -> OutboxEntry | None:
        """The waiting letter with this outbox id, as last shown (None if not listed)."""
        return self._entries.get(entry_id)

    def sent_entry(self, sent_id: int) -> SentEntry | None:
        """The sent letter with this history id, as last shown (None if not listed)."""
        return self._sent.get(sent_id)

    def selected_ids(self) -> list[int]:
        """The outbox ids of the selected waiting letters."""
        return [int(item.data(0, _ID_ROLE)) for item in self.waiting.selectedItems()]

    def selected_sent_ids(self) -> list[int]:
        """The history ids of the selected sent letters."""
        return [int(item.data(0, _ID_ROLE)) for item in self.sent.selectedItems()]

    # -- actions -----------------------------------------------------------------

    def retry_selected(self) -> None:
        """Try the selected letters again now."""
        ids = self.selected_ids()
        if ids:
            self.controller.retry_now(ids)

    def edit_selected(self) -> None:
        """Ask for the selected letter to be opened in the editor."""
        ids = self.selected_ids()
        entry = self._entries.get(ids[0]) if len(ids) == 1 else None
        if entry is not None and entry.state in (QUEUED, FAILED):
            self.edit_requested.emit(entry.id)

    def confirm(self, question: str) -> bool:
        """Ask a yes/no question (a method, so it can be answered in tests)."""
        answer = QMessageBox.question(
            self,
            _("Cancel letter"),
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def cancel_selected(self) -> None:
        """Remove the selected letters from the outbox, after asking."""
        ids = self.selected_ids()
        if not ids:
            return
        question = (
            _("Remove this letter from the outbox? It will not be sent.")
            if len(ids) == 1
            else ngettext(
                "Remove these {n} letter from the outbox? They will not be sent.",
                "Remove these {n} letters from the outbox? They will not be sent.",
                len(ids),
            ).format(n=len(ids))
        )
        if self.confirm(question):
            self.controller.cancel(ids)

    def choose_eml_path(self, suggestion: str) -> Path | None:
        """Ask where to save an .eml file (a method, so tests can answer it)."""
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Save letter as"), suggestion, _("E-mail messages (*.eml)")
        )
        return Path(name) if name else None

    def export_selected(self) -> None:
        """Save the selected waiting letter as an .eml file."""
        ids = self.selected_ids()
        if len(ids) != 1:
            return
        path = self.choose_eml_path(f"letter-{ids[0]}.eml")
        if path is not None:
            self.controller.export_eml(path, entry_id=ids[0])

    def export_selected_sent(self) -> None:
        """Save the selected sent letter as an .eml file."""
        ids = self.selected_sent_ids()
        if len(ids) != 1:
            return
        path = self.choose_eml_path(f"sent-{ids[0]}.eml")
        if path is not None:
            self.controller.export_eml(path, sent_id=ids[0])

    def reopen_selected_sent(self) -> None:
        """Ask for a copy of the selected sent letter to be opened in the editor."""
        ids = self.selected_sent_ids()
        if len(ids) == 1:
            self.reopen_requested.emit(ids[0])

    def view_selected_sent(self) -> None:
        """Show the selected sent letter as it was sent (loaded in the background)."""
        ids = self.selected_sent_ids()
        if len(ids) == 1:
            self.controller.load_raw(self._show_message, sent_id=ids[0])

    def _show_message(self, raw: bytes) -> None:
        self.viewer = MessageViewer(raw, self)
        self.viewer.show()


class MessageViewer(QDialog):
    """A read-only view of a stored message: its headers and its plain text."""

    def __init__(self, raw: bytes, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        content = read_message(raw)
        self.setWindowTitle(content.subject or _("Letter"))
        lines = [
            f"From: {content.from_}",
            f"To: {', '.join(content.to)}",
            *([f"Cc: {', '.join(content.cc)}"] if content.cc else []),
            f"Date: {content.date}",
            f"Subject: {content.subject}",
            "",
            content.text,
        ]
        self.text = QPlainTextEdit("\n".join(lines))
        self.text.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(640, 480)
