"""Small helpers for screen readers: announcements, result labels and unnamed Qt parts.

Qt gives a label's text as its accessible name, and tells screen readers when
it changes, as long as the label has no fixed accessible name: a label that
shows a result therefore keeps its name empty and says what it is in its
accessible description. A result the user waits for (a connection test) is
also announced, as a live region would be.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QToolBar, QToolButton, QWidget

from composer.i18n import _


def announce(widget: QWidget, text: str, assertive: bool = False) -> None:
    """Have screen readers speak `text` now, on behalf of `widget`.

    Args:
        widget: where the news comes from (it must be in a window).
        text: what to say, in plain words.
        assertive: interrupt what is being read (for failures); otherwise wait.
    """
    if not text.strip():
        return
    # Loaded here: Qt's accessibility types are not needed until there is news.
    from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent

    event = QAccessibleAnnouncementEvent(widget, text)
    event.setPoliteness(
        QAccessible.AnnouncementPoliteness.Assertive
        if assertive
        else QAccessible.AnnouncementPoliteness.Polite
    )
    QAccessible.updateAccessibility(event)


def tell_changed(widget: QWidget, what: str) -> None:
    """Tell screen readers that `widget`'s accessible "name" or "description" changed."""
    from PySide6.QtGui import QAccessible, QAccessibleEvent

    kind = QAccessible.Event.NameChanged if what == "name" else QAccessible.Event.DescriptionChanged
    QAccessible.updateAccessibility(QAccessibleEvent(widget, kind))


def result_label(description: str) -> QLabel:
    """A label for a result: screen readers read its text as its name, `description` as what it is."""
    label = QLabel()
    label.setWordWrap(True)
    label.setAccessibleDescription(description)
    return label


def show_result(label: QLabel, text: str, assertive: bool = False) -> None:
    """Show a result in `label` and announce it."""
    label.setText(text)
    announce(label, text, assertive)


def name_clear_button(line_edit: QLineEdit, name: str | None = None) -> None:
    """Name the clear button Qt adds to a line edit (call after setClearButtonEnabled).

    Its name is "Clear search" unless `name` says otherwise.
    """
    if name is None:
        name = _("Clear search")
    for button in line_edit.findChildren(QToolButton):
        button.setAccessibleName(name)
        button.setToolTip(name)


def name_overflow_button(toolbar: QToolBar, name: str) -> None:
    """Name the "»" button a toolbar shows when its buttons do not fit."""
    button = toolbar.findChild(QToolButton, "qt_toolbar_ext_button")
    if button is not None:
        button.setAccessibleName(name)
        button.setToolTip(name)
