"""Copy and paste of cell blocks as tab-separated text, the way Excel puts it on the clipboard.

Paste policy — keep the good cells, report the bad ones:
a pasted block is applied as ONE undoable step containing every cell that the plan
accepts; cells it refuses (「abc」, a wrong unit), computed (read-only) cells and cells
falling outside the table are left unchanged and listed in one message. One Ctrl+Z
takes the whole paste back. A single copied value pasted onto a larger selection fills
the selection, as in Excel.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QItemSelectionModel, QModelIndex

from ..core.plan import FigureRef
from . import strings as S

MAX_REPORTED = 3


def to_tsv(block: list[list[str]]) -> str:
    """Rows of cells as Excel's clipboard text (cells with tabs, newlines or quotes are quoted)."""

    def cell(text: str) -> str:
        if any(ch in text for ch in '\t\n\r"'):
            return '"' + text.replace('"', '""') + '"'
        return text

    return "".join("\t".join(cell(c) for c in row) + "\r\n" for row in block)


def parse_tsv(text: str) -> list[list[str]]:
    """Excel's clipboard text back into rows of cells (quoted cells may hold newlines)."""
    rows: list[list[str]] = []
    row: list[str] = []
    cell: list[str] = []
    i, quoted, at_cell_start = 0, False, True
    while i < len(text):
        ch = text[i]
        if quoted:
            if ch == '"' and text[i + 1 : i + 2] == '"':
                cell.append('"')
                i += 1
            elif ch == '"':
                quoted = False
            else:
                cell.append(ch)
        elif ch == '"' and at_cell_start:
            quoted = True
        elif ch == "\t":
            row.append("".join(cell))
            cell, at_cell_start = [], True
            i += 1
            continue
        elif ch in "\r\n":
            if ch == "\r" and text[i + 1 : i + 2] == "\n":
                i += 1
            row.append("".join(cell))
            rows.append(row)
            row, cell, at_cell_start = [], [], True
            i += 1
            continue
        else:
            cell.append(ch)
        at_cell_start = False
        i += 1
    if cell or row:
        row.append("".join(cell))
        rows.append(row)
    return rows


def selection_block(
    selection: QItemSelectionModel, visible_columns: list[int] | None = None
) -> tuple[QModelIndex, list[list[str]]]:
    """The bounding block of the selected cells as displayed text (unselected cells empty, hidden columns left out)."""
    indexes = selection.selectedIndexes()
    if not indexes:
        current = selection.currentIndex()
        indexes = [current] if current.isValid() else []
    if not indexes:
        return QModelIndex(), []
    model = selection.model()
    top = min(i.row() for i in indexes)
    left = min(i.column() for i in indexes)
    bottom = max(i.row() for i in indexes)
    right = max(i.column() for i in indexes)
    chosen = {(i.row(), i.column()) for i in indexes}
    columns = [c for c in range(left, right + 1) if visible_columns is None or c in visible_columns]
    block = [
        [str(model.index(r, c).data() or "") if (r, c) in chosen else "" for c in columns]
        for r in range(top, bottom + 1)
    ]
    return model.index(top, left), block


@dataclass
class PastePlan:
    """Where each pasted text goes, and what cannot go anywhere."""

    changes: list[tuple[FigureRef, str]] = field(default_factory=list)
    where: dict[FigureRef, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    outside: int = 0


def plan_paste(
    model,
    anchor: QModelIndex,
    block: list[list[str]],
    fill: tuple[int, int] | None = None,
    visible_columns: list[int] | None = None,
) -> PastePlan:
    """Map ``block`` onto the visible columns of ``model`` from ``anchor``; ``fill`` (rows, columns) repeats one value."""
    result = PastePlan()
    if len(block) == 1 and len(block[0]) == 1 and fill:
        block = [[block[0][0]] * fill[1] for _ in range(fill[0])]
    visible = range(model.columnCount()) if visible_columns is None else visible_columns
    columns = [c for c in visible if c >= anchor.column()]
    for dr, row in enumerate(block):
        for dc, text in enumerate(row):
            r = anchor.row() + dr
            if r >= model.rowCount() or dc >= len(columns):
                result.outside += 1
                continue
            c = columns[dc]
            index = model.index(r, c)
            if c == 0:
                continue  # the label column: pasting a block that includes row names is fine
            ref = model.ref(index)
            if ref is None or not model.is_editable(index):
                if text.strip() and text.strip() != str(index.data() or ""):
                    result.problems.append(S.CELL_REFUSED.format(where=model.describe(index), reason=S.PASTE_READONLY))
                continue
            result.changes.append((ref, text))
            result.where[ref] = model.describe(index)
    return result


def paste_message(plan: PastePlan, applied: int, refused: list[tuple[FigureRef, str]]) -> str | None:
    """The one message reporting what a paste left out, or None if everything went in."""
    problems = [S.CELL_REFUSED.format(where=plan.where[ref], reason=reason) for ref, reason in refused]
    problems += plan.problems
    if plan.outside:
        problems.append(S.PASTE_OUTSIDE.format(count=plan.outside))
    if not problems:
        return None
    details = " / ".join(problems[:MAX_REPORTED]) + (" ほか" if len(problems) > MAX_REPORTED else "")
    failed = len(refused) + len(plan.problems) + plan.outside
    if applied == 0 and not plan.changes:
        return S.PASTE_NONE.format(details=details)
    return S.PASTE_PARTIAL.format(applied=applied, failed=failed, details=details)
