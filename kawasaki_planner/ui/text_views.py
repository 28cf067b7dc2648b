"""The read-only texts of a section: its narrative (本文) and its status table (現在の整備・取組状況)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QTextBrowser

from ..core.plan import Section
from . import strings as S
from .headers import RowHeights

Index = QModelIndex | QPersistentModelIndex


class StatusTableModel(QAbstractTableModel):
    """Item and description of each 整備・取組状況 row."""

    headers = (S.COL_ITEM, S.COL_DESCRIPTION)

    def __init__(self, section: Section, parent=None) -> None:
        super().__init__(parent)
        self.section = section

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.section.status)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 2

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return self.headers[section] if orientation == Qt.Orientation.Horizontal else str(section + 1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        item = self.section.status[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return item.item if index.column() == 0 else item.description
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return None


def status_view(model: StatusTableModel, parent=None) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.setWordWrap(True)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    # Heights from the wrapped texts (RowHeights), refitted as the stretching description column
    # changes width; not ResizeToContents, which re-measures every cell on any change.
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    header = view.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
    header.resizeSection(0, view.fontMetrics().horizontalAdvance("あ") * 12)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    view.row_heights = RowHeights(view, (0, 1))
    view.row_heights.fit()
    return view


def narrative_html(section: Section) -> str:
    parts = [f"<h3>{escape(section.title)}</h3>"]
    for block in section.narrative:
        if block.heading:
            parts.append(f"<h4>{escape(block.heading)}</h4>")
        parts.extend(f"<p>{escape(line)}</p>" for line in block.text.splitlines() if line.strip())
    return "\n".join(parts)


def narrative_view(section: Section, parent=None) -> QTextBrowser:
    view = QTextBrowser(parent)
    view.setOpenExternalLinks(False)
    view.setHtml(narrative_html(section))
    return view
