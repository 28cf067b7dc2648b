"""Answering a painted cell's roles from a row's remembered texts and colours (multiData).

Painting a cell asks for seven roles at once; tables that keep each row's painted ``(texts, backgrounds)``
answer them here in one Python call, without a data() call per role.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt

# Plain ints: the roles Qt passes to multiData are ints, and comparing them with ints is the cheapest test.
DISPLAY = int(Qt.ItemDataRole.DisplayRole)
BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
# Roles a delegate asks for when painting that no cell of these tables has: answered without a lookup.
NEVER = frozenset(
    int(r)
    for r in (
        Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.CheckStateRole,
        Qt.ItemDataRole.DecorationRole,
    )
)


def fill_roles(role_data_span, painted: tuple, column: int, alignment: object, other: Callable[[int], object]) -> None:
    """Fill ``role_data_span`` for the cell in ``column`` of a row painted as ``painted``; ``other(role)``
    answers any role not kept with the row."""
    texts, backgrounds = painted[0], painted[1]
    for i in range(len(role_data_span)):
        item = role_data_span[i]
        role = item.role()
        if role == DISPLAY:
            item.setData(texts[column])
        elif role == BACKGROUND:
            item.setData(backgrounds[column])
        elif role in NEVER:
            item.setData(None)
        elif role == ALIGNMENT:
            item.setData(alignment)
        else:
            item.setData(other(role))


class PaintedRows:
    """Mixin for a table model that remembers each row's painted ``(texts, backgrounds)``.

    The model sets ``self._painted = [None] * rows``, defines ``_paint(row)``, and puts a row back to None
    when what it shows changes.
    """

    _painted: list[tuple[tuple, tuple] | None]

    def painted(self, row: int) -> tuple[tuple, tuple]:
        """The row's (texts, backgrounds), one per column: what painting it shows."""
        painted = self._painted[row]
        if painted is None:
            painted = self._painted[row] = self._paint(row)
        return painted

    def _paint(self, row: int) -> tuple[tuple, tuple]:
        raise NotImplementedError
