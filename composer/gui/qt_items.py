"""Typed walks over Qt item views (Qt's accessors may return None; these never do)."""

from __future__ import annotations

from PySide6.QtWidgets import QLayout, QTreeWidget, QTreeWidgetItem, QWidget


def top_level_items(tree: QTreeWidget) -> list[QTreeWidgetItem]:
    """The tree's top-level items, in order."""
    items = (tree.topLevelItem(index) for index in range(tree.topLevelItemCount()))
    return [item for item in items if item is not None]


def child_items(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    """An item's children, in order."""
    children = (item.child(index) for index in range(item.childCount()))
    return [child for child in children if child is not None]


def layout_widgets(layout: QLayout) -> list[QWidget]:
    """The widgets a layout holds (not its spacers or nested layouts), in order."""
    items = (layout.itemAt(index) for index in range(layout.count()))
    widgets = (item.widget() for item in items if item is not None)
    return [widget for widget in widgets if widget is not None]
