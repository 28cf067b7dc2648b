"""The 新旧対照表 as a PDF: A4 landscape, grouped by section, changed text marked, the Japanese font embedded.

Laid out by QTextDocument (a table whose heading row repeats on every page) and painted page by page onto a
QPdfWriter, with 「n / N」 at the foot of each page. QPdfWriter embeds the glyphs of the font it draws with, so
the file reads the same on a PC without that font. Needs a QGuiApplication: :func:`ensure_gui` makes an
offscreen one for the command line.
"""

from __future__ import annotations

import datetime as _dt
import html
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument

from ..core.compare import Difference, group_by_section, is_text_scope, summary_line
from ..core.text_diff import text_segments
from .fonts import PRINT_FONTS, japanese_family
from .report.pdf_text import unify_ideographs

TITLE = "新旧対照表"
HEADERS = ("項目", "改定前", "改定後", "備考")
COLUMN_PERCENT = (20, 33, 33, 14)
MARK_STYLE = "color:#c00000; font-weight:bold; text-decoration:underline;"
RESOLUTION = 300
MARGINS_MM = QMarginsF(12, 12, 12, 14)
POINT_SIZE = 9


def ensure_gui() -> None:
    """A QGuiApplication for painting (fonts need one): the report's, offscreen on Linux without a display."""
    from .report.pdf import ensure_gui_application

    if not ensure_gui_application():
        raise OSError("PDF を作成できません(Qt の描画機能を初期化できません)")


def japanese_font() -> QFont:
    family = japanese_family(PRINT_FONTS)  # the printed report's choice: document cuts before UI ones
    font = QFont(family) if family else QFont()
    font.setPointSize(POINT_SIZE)
    return font


def comparison_html(differences: Sequence[Difference], old_name: str, new_name: str, title: str = "") -> str:
    """The table as HTML for QTextDocument (also what the window's preview could show)."""
    esc = html.escape
    head = f"{TITLE}{'(' + esc(title) + ')' if title else ''}"
    parts = [
        "<html><body>",
        f"<p style='font-size:14pt; font-weight:bold; margin:0'>{head}</p>",
        f"<p style='margin:2px 0'>改定前: {esc(old_name)}　改定後: {esc(new_name)}　作成: {_dt.date.today():%Y-%m-%d}</p>",
        f"<p style='margin:2px 0 6px 0'>{esc(summary_line(list(differences)))}　"
        f"<span style='{MARK_STYLE}'>赤の下線</span>は改定した箇所です。</p>",
        "<table width='100%' border='1' cellspacing='0' cellpadding='3' style='border-collapse:collapse; border-color:#808080'>",
        "<thead><tr>" + "".join(
            f"<th width='{w}%' bgcolor='#d9d9d9'>{h}</th>" for h, w in zip(HEADERS, COLUMN_PERCENT, strict=True)
        ) + "</tr></thead>",
    ]
    for heading, group in group_by_section(differences):
        parts.append(f"<tr><td colspan='4' bgcolor='#ddebf7'><b>{esc(heading)}</b></td></tr>")
        for d in group:
            before, after = _marked_html(d)
            item = esc(d.item) + (f"<br/><span style='color:#404040'>{esc(d.where)}</span>" if d.where else "")
            parts.append(f"<tr><td valign='top'>{item}</td><td valign='top'>{before}</td>"
                         f"<td valign='top'>{after}</td><td valign='top'>{esc(d.remarks)}</td></tr>")
    parts.append("</table></body></html>")
    return "".join(parts)


def _marked_html(d: Difference) -> tuple[str, str]:
    if is_text_scope(d):
        old, new = text_segments(d.before, d.after)
    else:
        old = [(d.before, True)] if d.before else []
        new = [(d.after, True)] if d.after else []
    return _runs(old), _runs(new)


def _runs(segments) -> str:
    out = []
    for text, marked in segments:
        body = html.escape(text).replace("\n", "<br/>")
        out.append(f"<span style='{MARK_STYLE}'>{body}</span>" if marked else body)
    return "".join(out) or "&nbsp;"


def write_comparison_pdf(differences: Sequence[Difference], path: str | Path, old_name: str, new_name: str,
                         title: str = "") -> int:
    """Write the 新旧対照表 to ``path``; returns the number of pages."""
    ensure_gui()
    writer = QPdfWriter(str(path))
    writer.setResolution(RESOLUTION)
    writer.setTitle(f"{TITLE} {title}".strip())
    writer.setCreator("Kawasaki Planner")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Landscape,
                                     MARGINS_MM, QPageLayout.Unit.Millimeter))
    font = japanese_font()
    document = QTextDocument()
    document.documentLayout().setPaintDevice(writer)
    document.setDefaultFont(font)
    document.setDocumentMargin(0)
    document.setHtml(comparison_html(differences, old_name, new_name, title))
    width, height = writer.width(), writer.height()
    footer = int(RESOLUTION * 0.25)  # a quarter inch for 「n / N」
    document.setPageSize(QSizeF(width, height - footer))
    pages = max(1, document.pageCount())
    page_height = height - footer
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"PDF「{path}」に書き込めません")
    try:
        for page in range(pages):
            if page:
                writer.newPage()
            painter.save()
            painter.translate(0, -page * page_height)
            document.drawContents(painter, QRectF(0, page * page_height, width, page_height))
            painter.restore()
            painter.setFont(font)
            painter.drawText(QRectF(0, height - footer, width, footer), Qt.AlignmentFlag.AlignCenter,
                             f"{page + 1} / {pages}")
    finally:
        painter.end()
    unify_ideographs(Path(path))  # searchable and copyable text: 「文」, not the radical 「⽂」
    return pages
