"""Saving a chart as PNG (at the screen's physical resolution) or SVG, with pyqtgraph's exporters.

The whole scene is exported so that a second axis' view box (not a child of the plot item) is included.
"""

from __future__ import annotations

from pathlib import Path

import pyqtgraph.exporters as pg_exporters
from PySide6.QtWidgets import QFileDialog, QWidget

from . import strings as S


def export_plot(plot_widget, path: str | Path) -> Path:
    """Write ``plot_widget``'s chart to ``path``; the suffix (.png or .svg) picks the format."""
    path = Path(path)
    scene = plot_widget.scene()
    if path.suffix.lower() == ".svg":
        exporter = pg_exporters.SVGExporter(scene)
    else:
        if path.suffix.lower() != ".png":
            path = path.with_suffix(".png")
        exporter = pg_exporters.ImageExporter(scene)
        ratio = plot_widget.devicePixelRatioF()
        exporter.parameters()["width"] = max(1, round(plot_widget.width() * ratio))
        exporter.parameters()["height"] = max(1, round(plot_widget.height() * ratio))
    exporter.export(str(path))
    return path


def ask_export_path(parent: QWidget, suggested: str) -> str | None:
    path, chosen_filter = QFileDialog.getSaveFileName(parent, S.EXPORT_DIALOG, suggested, S.EXPORT_FILTER)
    if not path:
        return None
    if not Path(path).suffix:
        path += ".svg" if "svg" in chosen_filter.lower() else ".png"
    return path
