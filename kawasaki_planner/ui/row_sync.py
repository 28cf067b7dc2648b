"""Bringing a table model's rows to a new list after a structure edit, as Qt wants to hear it.

A row gone is removed, a new one inserted, one that stands elsewhere moved, each with its own begin/end pair, so
that views keep their selection, current cell and row heights; ``reindex`` rebuilds the model's row lookup after each
step.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from PySide6.QtCore import QAbstractItemModel, QModelIndex


def sync_rows(model: QAbstractItemModel, rows: list, wanted: list, key: Callable[[object], Hashable],
              reindex: Callable[[], None]) -> None:
    """Make ``rows`` (the model's own list, changed in place) hold ``wanted`` in order."""
    root = QModelIndex()
    keep = {key(item) for item in wanted}
    for row in reversed(range(len(rows))):
        if key(rows[row]) not in keep:
            model.beginRemoveRows(root, row, row)
            del rows[row]
            reindex()
            model.endRemoveRows()
    # Left to right, the rows before ``position`` already stand as wanted: a wanted row is either new or further
    # down, so each mismatch is one insertion or one move up.
    for position, item in enumerate(wanted):
        current = next((i for i in range(position, len(rows)) if key(rows[i]) == key(item)), None)
        if current == position:
            continue
        if current is None:
            model.beginInsertRows(root, position, position)
            rows.insert(position, item)
            reindex()
            model.endInsertRows()
        else:
            model.beginMoveRows(root, current, current, root, position)
            rows.insert(position, rows.pop(current))
            reindex()
            model.endMoveRows()
