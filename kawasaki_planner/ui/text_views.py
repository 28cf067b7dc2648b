"""The texts of a section: its narrative (本文) and its status table (現在の整備・取組状況).

Both follow the plan's one notification per edit (``plan.changed``) and are edited through the structure commands: the
status model's ``setData`` is one undo step, and the narrative view says which block is under a point
(``block_at``) or was double-clicked (``block_activated``) so that the window can open the block's editor.
The narrative is shown formatted; its blocks are edited as plain text (QPlainTextEdit, line breaks kept).
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QPoint, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QTextBrowser

from ..core.plan import NarrativeBlock, Section
from . import strings as S
from . import structure_strings as T
from .headers import RowHeights

Index = QModelIndex | QPersistentModelIndex
EDITABLE = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable


class StatusTableModel(QAbstractTableModel):
    """Item and description of each 整備・取組状況 row; editable (one undo step per edit) given the document."""

    headers = (S.COL_ITEM, S.COL_DESCRIPTION)

    def __init__(self, section: Section, parent=None, document=None) -> None:
        super().__init__(parent)
        self.section = section
        self.document = document
        self._shown = self._texts()
        if document is not None:
            document.plan.changed.connect(self._on_changed)

    def detach(self) -> None:
        if self.document is not None:
            self.document.plan.changed.disconnect(self._on_changed)
            self.document = None

    def _texts(self) -> list[tuple[str, str]]:
        return [(i.item, i.description) for i in self.section.status]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 2

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return self.headers[section] if orientation == Qt.Orientation.Horizontal else str(section + 1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        # What the view was last told of (the section's rows, but in step with the signals sent).
        texts = self._shown[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.EditRole):
            return texts[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return EDITABLE if self.document is not None else Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or self.document is None or not index.isValid():
            return False
        from .structure_commands import STATUS, edit_text_row  # the commands import the views' strings, not the views

        item, description = self._shown[index.row()]
        text = "" if value is None else str(value)
        if index.column() == 0:
            item = text
        else:
            description = text
        if (item, description) == self._shown[index.row()]:
            return True
        plan = self.document.plan
        return self.document.edit_structure(edit_text_row(plan, STATUS, self.section.number, index.row(), item, description))

    def _on_changed(self, change) -> None:
        if not (change.plan_wide or self.section.number in change.sections):
            return
        old, new = self._shown, self._texts()
        if old == new:
            return
        root = QModelIndex()
        if len(new) == len(old):  # an edit or a move: the rows that differ
            changed = [row for row in range(len(new)) if old[row] != new[row]]
            self._shown = new
            self.dataChanged.emit(self.index(changed[0], 0), self.index(changed[-1], 1))
            return
        first = next((row for row in range(min(len(old), len(new))) if old[row] != new[row]), min(len(old), len(new)))
        if len(new) == len(old) + 1 and old[first:] == new[first + 1:]:
            self.beginInsertRows(root, first, first)
            self._shown = new
            self.endInsertRows()
        elif len(new) == len(old) - 1 and old[first + 1:] == new[first:]:
            self.beginRemoveRows(root, first, first)
            self._shown = new
            self.endRemoveRows()
        else:  # the whole table replaced at once
            self.beginResetModel()
            self._shown = new
            self.endResetModel()


def status_view(model: StatusTableModel, parent=None) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.setWordWrap(True)
    # Edited in a dialog (double-click or the context menu): a description runs over several lines, which the
    # table's one-line editor would not keep.
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
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
    # An edited text may need more or fewer lines (RowHeights refits on resets and insertions by itself).
    model.dataChanged.connect(lambda *_args: view.row_heights.schedule())
    return view


def _block_lines(block: NarrativeBlock) -> list[str]:
    return [line for line in block.text.splitlines() if line.strip()]


def narrative_html(section: Section) -> str:
    parts = [f"<h3>{escape(section.title)}</h3>"]
    for block in section.narrative:
        if block.heading:
            parts.append(f"<h4>{escape(block.heading)}</h4>")
        lines = _block_lines(block)
        parts.extend(f"<p>{escape(line)}</p>" for line in lines)
        if not block.heading and not lines:  # an empty block still has a line to click on
            parts.append(f"<p style='color:gray'>{escape(T.EMPTY_BLOCK)}</p>")
    return "\n".join(parts)


NO_BLOCK = -1


class NarrativeView(QTextBrowser):
    """A section's 本文, formatted; knows which narrative block each of its paragraphs shows."""

    block_activated = Signal(int)
    """A block was double-clicked (its index in ``section.narrative``)."""

    def __init__(self, section: Section, parent=None) -> None:
        super().__init__(parent)
        self.section = section
        self.setOpenExternalLinks(False)
        self._html = ""
        self.refresh()

    def refresh(self) -> None:
        """Show the section's narrative as it is now (after an edit), where the reader was."""
        html = narrative_html(self.section)
        if html == self._html:
            return
        self._html = html
        scroll = self.verticalScrollBar().value()
        self.setHtml(html)
        self._mark_blocks()
        self.verticalScrollBar().setValue(scroll)

    def _mark_blocks(self) -> None:
        # Each heading and line is one paragraph of the document, in the order narrative_html wrote them: the
        # paragraph remembers its block's index (the title's is NO_BLOCK).
        owners = [NO_BLOCK]
        for index, block in enumerate(self.section.narrative):
            count = (1 if block.heading else 0) + len(_block_lines(block))
            owners.extend([index] * max(count, 1))
        paragraph = self.document().begin()
        for owner in owners:
            if not paragraph.isValid():
                break
            paragraph.setUserState(owner)
            paragraph = paragraph.next()

    def block_at(self, pos: QPoint) -> int | None:
        """The narrative block shown at ``pos`` (viewport coordinates), None over the title or below the text."""
        paragraph = self.cursorForPosition(pos).block()
        bottom = self.document().documentLayout().blockBoundingRect(paragraph).bottom()
        if pos.y() + self.verticalScrollBar().value() > bottom:  # the cursor nearest a point below the text
            return None
        return self._owner(paragraph)

    def current_block(self) -> int | None:
        """The block the text cursor (or the selection) is in."""
        return self._owner(self.textCursor().block())

    def _owner(self, paragraph) -> int | None:
        owner = paragraph.userState()
        return owner if 0 <= owner < len(self.section.narrative) else None

    def mouseDoubleClickEvent(self, event) -> None:
        block = self.block_at(event.position().toPoint())
        if block is not None:
            self.block_activated.emit(block)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)


def narrative_view(section: Section, parent=None) -> NarrativeView:
    return NarrativeView(section, parent)
