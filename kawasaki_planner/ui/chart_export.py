"""Saving a chart as PNG (at the screen's physical resolution) or SVG, with pyqtgraph's exporters.

The whole scene is exported so that a second axis' view box (not a child of the plot item) is included.
pyqtgraph 0.14's SVG exporter cannot parse the paths newer QtSvg writes (it raises ValueError);
then the scene is rendered through QSvgGenerator directly, which gives the same vector drawing.
"""

from __future__ import annotations

from pathlib import Path

import pyqtgraph.exporters as pg_exporters
from PySide6.QtCore import QRect, QRectF
from PySide6.QtGui import QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QFileDialog, QWidget

from . import strings as S


def export_plot(plot_widget, path: str | Path) -> Path:
    """Write ``plot_widget``'s chart to ``path``; the suffix (.png or .svg) picks the format."""
    path = Path(path)
    scene = plot_widget.scene()
    if path.suffix.lower() == ".svg":
        try:
            pg_exporters.SVGExporter(scene).export(str(path))
        except ValueError:
            _render_svg(plot_widget, path)
        return path
    else:
        if path.suffix.lower() != ".png":
            path = path.with_suffix(".png")
        exporter = pg_exporters.ImageExporter(scene)
        ratio = plot_widget.devicePixelRatioF()
        exporter.parameters()["width"] = max(1, round(plot_widget.width() * ratio))
        exporter.parameters()["height"] = max(1, round(plot_widget.height() * ratio))
    exporter.export(str(path))
    return path


def _render_svg(plot_widget, path: Path) -> None:
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(plot_widget.size())
    generator.setViewBox(QRect(0, 0, plot_widget.width(), plot_widget.height()))
    generator.setTitle(plot_widget.getPlotItem().titleLabel.text or "")
    painter = QPainter(generator)
    try:
        plot_widget.scene().render(painter, QRectF(0, 0, plot_widget.width(), plot_widget.height()), plot_widget.sceneRect())
    finally:
        painter.end()


def ask_export_path(parent: QWidget, suggested: str) -> str | None:
    path, chosen_filter = QFileDialog.getSaveFileName(parent, S.EXPORT_DIALOG, suggested, S.EXPORT_FILTER)
    if not path:
        return None
    if not Path(path).suffix:
        path += ".svg" if "svg" in chosen_filter.lower() else ".png"
    return path
