"""Every persistent setting, declared once (key, type, default, meaning) over QSettings.

Stored per user under the organisation/application names of :mod:`.strings`.
Tests redirect QSettings to a temporary directory (see tests/ui/conftest.py).

Evaluation thresholds are percentages of the achievement ratio; their defaults
(120 / 105 / 95 / 80) come from :data:`kawasaki_planner.core.evaluation.DEFAULT_THRESHOLDS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QObject, QSettings, Signal

from ..core.evaluation import DEFAULT_THRESHOLDS, ThresholdError, Thresholds
from . import strings as S


@dataclass(frozen=True)
class Setting:
    key: str
    type: type
    default: Any
    doc: str


THRESHOLD_FAR_ABOVE = Setting(
    "evaluation/far_above_percent", float, float(DEFAULT_THRESHOLDS.far_above * 100), "level 1 from this ratio (%)"
)
THRESHOLD_ABOVE = Setting(
    "evaluation/above_percent", float, float(DEFAULT_THRESHOLDS.above * 100), "level 2 from this ratio (%)"
)
THRESHOLD_MET = Setting("evaluation/met_percent", float, float(DEFAULT_THRESHOLDS.met * 100), "level 3 from this ratio (%)")
THRESHOLD_BELOW = Setting(
    "evaluation/below_percent", float, float(DEFAULT_THRESHOLDS.below * 100), "level 4 from this ratio (%); below: 5"
)
RECENT_FILES = Setting("files/recent", list, [], "most recently opened or saved workbooks, newest first")
LAST_DIRECTORY = Setting("files/last_directory", str, "", "folder of the last open/save dialog")
WINDOW_GEOMETRY = Setting("window/geometry", bytes, b"", "main window size, position, maximised (saveGeometry)")
WINDOW_STATE = Setting("window/state", bytes, b"", "main window toolbars (saveState)")

THRESHOLD_SETTINGS = (THRESHOLD_FAR_ABOVE, THRESHOLD_ABOVE, THRESHOLD_MET, THRESHOLD_BELOW)
MAX_RECENT = 8


def splitter_setting(tab: str, splitter: str) -> Setting:
    """A splitter's positions (QSplitter.saveState) in one tab, e.g. ("section-5", "charts").

    One per section, not one per kind of tab: each indicator section fits its split to its own table's length.
    """
    return Setting(f"window/splitters/{tab}/{splitter}", bytes, b"", "splitter positions (QSplitter.saveState)")


def qsettings() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, S.ORG_NAME, S.SETTINGS_APP)


def read(setting: Setting) -> Any:
    value = qsettings().value(setting.key, setting.default)
    if value is None:
        return setting.default
    try:
        if setting.type is list:
            if isinstance(value, str):
                return [value] if value else []
            return [str(v) for v in value]
        if setting.type is bytes:
            return bytes(value)
        return setting.type(value)
    except (TypeError, ValueError):
        return setting.default


def write(setting: Setting, value: Any) -> None:
    qsettings().setValue(setting.key, value)


class AppSettings(QObject):
    """The settings the open windows follow live; emits when the evaluation thresholds change."""

    thresholds_changed = Signal(object)

    def thresholds(self) -> Thresholds:
        try:
            return Thresholds(*(Decimal(str(read(s))) / 100 for s in THRESHOLD_SETTINGS))
        except ThresholdError:
            return DEFAULT_THRESHOLDS

    def set_thresholds(self, thresholds: Thresholds) -> None:
        for setting, value in zip(THRESHOLD_SETTINGS, threshold_percents(thresholds), strict=True):
            write(setting, value)
        self.thresholds_changed.emit(thresholds)

    def recent_files(self) -> list[str]:
        return read(RECENT_FILES)

    def add_recent_file(self, path: str) -> None:
        files = [path, *(p for p in self.recent_files() if p != path)]
        write(RECENT_FILES, files[:MAX_RECENT])

    def clear_recent_files(self) -> None:
        write(RECENT_FILES, [])


def threshold_percents(thresholds: Thresholds) -> list[float]:
    return [float(v * 100) for v in (thresholds.far_above, thresholds.above, thresholds.met, thresholds.below)]
