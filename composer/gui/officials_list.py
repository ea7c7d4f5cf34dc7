"""The officials a search found: tick the ones to write to, choose how each is reached.

:class:`OfficialsList` is the results part of Find My Officials
(:mod:`composer.gui.recipients_panel`): the list with a tick box per
official, the "Send by" box for the official under the cursor and a note
about that way of sending. It knows nothing of searching.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from composer.core.directory import Channel, FindResult, Official, builtin_officials
from composer.core.models import Recipient
from composer.i18n import _


@dataclass(frozen=True)
class RecipientChoice:
    """One ticked official and how the letter reaches them.

    `recipient` is addressed for the chosen channel: to the chosen office for
    post; to the default office for the web form or e-mail (the letter still
    carries an inside address).
    """

    official: Official
    channel: Channel
    recipient: Recipient


def why_these(result: FindResult, own: frozenset[str]) -> str:
    """Why these officials were found, and which of them are ticked (`own`: the writer's)."""
    text = result.reason
    if any(official.id not in own for official in result.officials):
        hint = (
            _(
                "Only your own senators and representative are ticked: most offices set "
                "aside mail from outside the state or district they serve. Tick anyone "
                "else you mean to write to."
            )
            if own
            else _(
                "Nothing is ticked: tick the officials you mean to write to. Most "
                "offices read only mail from the state or district they serve."
            )
        )
        text = f"{text} {hint}".strip()
    return text


def open_contact_form(
    url: str,
    letter_text: str,
    open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl,
) -> bool:
    """Copy the letter to the clipboard and open an official's web contact form.

    Returns whether the browser could be asked to open the page.
    """
    QGuiApplication.clipboard().setText(letter_text)
    return bool(open_url(QUrl(url)))


# Each result row: its item, the official and the channels they can be reached by.
Row = tuple[QTreeWidgetItem, Official, list[Channel]]


class OfficialsList(QObject):
    """The result list, its "Send by" box and note; the widgets are laid out by the panel.

    Args:
        parent: the panel (it owns the widgets through its layout).

    Attributes:
        results: the list of officials (tick boxes in the first column).
        channel_label, channel_box: "Send by" for the official under the cursor.
        note_label: about the chosen way of sending.

    Signals:
        activated(): Enter was pressed in the list (use the ticked officials).
    """

    activated = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.near_zip = ""
        self._rows: list[Row] = []
        # The channel chosen for each row (index into its channels), by official id.
        self._chosen: dict[str, int] = {}

        self.results = QTreeWidget()
        self.results.setAccessibleName(_("Officials found"))
        self.results.setAccessibleDescription(
            _(
                "Arrow keys move between officials, Space ticks one to write to; "
                "Tab goes on to how the letter reaches them; Enter uses the ticked officials"
            )
        )
        self.results.setColumnCount(2)
        self.results.setHeaderLabels([_("Official"), _("Send by")])
        self.results.setRootIsDecorated(False)
        self.results.installEventFilter(self)
        self.results.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.results.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        # One "Send by" box for the official the results' cursor is on: arrows move
        # between officials and Space ticks, and the box changes only when it has focus.
        self.channel_label = QLabel(_("&Send by:"))
        self.channel_box = QComboBox()
        self.channel_label.setBuddy(self.channel_box)
        self.note_label = QLabel()
        self.note_label.setWordWrap(True)
        self.note_label.setAccessibleDescription(_("About this way of sending"))
        self.results.currentItemChanged.connect(self._current_changed)
        self.channel_box.currentIndexChanged.connect(self._channel_chosen)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter in the results uses the ticked officials (see :attr:`activated`)."""
        if (
            watched is self.results
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            self.activated.emit()
            return True
        return super().eventFilter(watched, event)

    # --- showing ----------------------------------------------------------------------------

    def show_result(self, result: FindResult, own: frozenset[str]) -> None:
        """List what was found, then the built-in officials; only `own` start ticked."""
        self.results.clear()
        self._rows = []
        self._chosen = {}
        shown = {official.id for official in result.everyone}
        builtins = [official for official in builtin_officials() if official.id not in shown]
        for official in result.officials:
            self._add_row(official, checked=official.id in own, note="")
        for official in result.candidates:
            self._add_row(official, checked=False, note=_("choose one"))
        for official in builtins:
            self._add_row(official, checked=False, note="")
        if self._rows:
            self.results.setCurrentItem(self._rows[0][0])
        self._current_changed()

    def ticked_count(self) -> int:
        """How many officials are ticked."""
        checked = Qt.CheckState.Checked
        return sum(1 for item, _official, _channels in self._rows if item.checkState(0) == checked)

    def _add_row(self, official: Official, checked: bool, note: str) -> None:
        if official.builtin:
            label = official.title if official.kind == "president" else official.addressee
        else:
            seat = official.state
            if official.district is not None and official.kind == "representative":
                seat = (
                    f"{seat}-{official.district}"
                    if official.district
                    else _("{state}, at large").format(state=seat)
                )
            label = f"{official.title_and_name} ({seat})"
        if note:
            label = f"{label} — {note}"
        channels = official.channels(self.near_zip)
        item = QTreeWidgetItem([label, channels[0].label if channels else ""])
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        item.setData(0, Qt.ItemDataRole.UserRole, official.id)
        address = official.recipient(near_zip=self.near_zip).address_lines
        item.setToolTip(0, "\n".join((official.title, "", *address)))
        self.results.addTopLevelItem(item)
        self._chosen[official.id] = 0
        self._rows.append((item, official, channels))

    def _current_row(self) -> Row | None:
        current = self.results.currentItem()
        for row in self._rows:
            if row[0] is current:
                return row
        return None

    def _current_changed(self, *_args: Any) -> None:
        """Fill the Send by box with the channels of the official under the cursor."""
        row = self._current_row()
        self.channel_box.blockSignals(True)
        try:
            self.channel_box.clear()
            if row is None:
                self.channel_label.setText(_("&Send by:"))
                self.channel_box.setAccessibleName(_("Send by"))
                self.channel_box.setAccessibleDescription(
                    _("Choose an official in the results first")
                )
            else:
                _item, official, channels = row
                for channel in channels:
                    self.channel_box.addItem(channel.label, channel)
                    index = self.channel_box.count() - 1
                    self.channel_box.setItemData(index, channel.detail, Qt.ItemDataRole.ToolTipRole)
                self.channel_box.setCurrentIndex(self._chosen.get(official.id, 0))
                # Screen readers on Linux read a combo box's label, elsewhere its name.
                name = official.title_and_name
                self.channel_label.setText(_("&Send to {name} by:").format(name=name))
                self.channel_box.setAccessibleName(
                    _("Send by: how to reach {name}").format(name=name)
                )
                self.channel_box.setAccessibleDescription(
                    _(
                        "Which office of {name} the letter goes to, or their web form or e-mail"
                    ).format(name=name)
                )
        finally:
            self.channel_box.blockSignals(False)
        self.channel_box.setEnabled(row is not None and self.channel_box.count() > 0)
        self._update_note()

    def _channel_chosen(self, index: int) -> None:
        row = self._current_row()
        if row is None or index < 0:
            return
        item, official, channels = row
        self._chosen[official.id] = index
        item.setText(1, channels[index].label)
        self._update_note()

    def _channel_of(self, official: Official, channels: list[Channel]) -> Channel | None:
        if not channels:
            return None
        return channels[min(self._chosen.get(official.id, 0), len(channels) - 1)]

    def _update_note(self, *_args: Any) -> None:
        row = self._current_row()
        if row is None:
            self.note_label.setText("")
            return
        _item, official, channels = row
        channel = self._channel_of(official, channels)
        detail = channel.detail if channel else ""
        note = channel.note if channel else ""
        text = f"{official.title_and_name}: {detail}"
        self.note_label.setText(f"{text}\n{note}" if note else text)

    # --- reading the choice -----------------------------------------------------------------

    def rows(self) -> list[tuple[QTreeWidgetItem, Official, Channel | None]]:
        """The result rows: item, official and the channel chosen (for tests and wiring)."""
        return [
            (item, official, self._channel_of(official, channels))
            for item, official, channels in self._rows
        ]

    def set_checked(self, official_id: str, checked: bool = True) -> None:
        """Tick or untick an official in the results."""
        for item, official, _channels in self._rows:
            if official.id == official_id:
                item.setCheckState(0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def set_channel(self, official_id: str, channel_id: str) -> None:
        """Choose how an official is reached ("post:washington", "web", …)."""
        for item, official, channels in self._rows:
            if official.id == official_id:
                for index, channel in enumerate(channels):
                    if channel.id == channel_id:
                        self._chosen[official.id] = index
                        item.setText(1, channel.label)
                        self.results.setCurrentItem(item)
                        self._current_changed()
                        return
        raise KeyError(f"{official_id} has no channel {channel_id}")

    def choices(self) -> list[RecipientChoice]:
        """The ticked officials, each with the channel chosen for them."""
        chosen: list[RecipientChoice] = []
        for item, official, channels in self._rows:
            if item.checkState(0) != Qt.CheckState.Checked:
                continue
            channel = self._channel_of(official, channels)
            if channel is None:
                continue
            office_id = channel.id.removeprefix("post:") if channel.kind == "post" else None
            recipient = official.recipient(office_id, near_zip=self.near_zip)
            chosen.append(RecipientChoice(official, channel, recipient))
        return chosen
