"""Where the app keeps its own files (自動保存の復元データ, エラー記録): one folder per user and PC.

API::

    data_dir() -> Path          # the application data folder (created on demand)
    recovery_dir() -> Path      # data_dir() / "recovery"   (autosave.py)
    log_dir() -> Path           # data_dir() / "logs"       (error_handler.py)
    set_data_dir(path | None)   # tests (and a portable copy) point everything elsewhere; None restores

Precedence: ``set_data_dir`` > the ``KAWASAKI_PLANNER_DATA_DIR`` environment variable (lets a child process in
a test, or an admin, redirect it) > ``<GenericDataLocation>/KawasakiCity/KawasakiPlanner``.

Why GenericDataLocation + our names instead of ``AppDataLocation``: on Windows ``AppDataLocation`` is the
*roaming* profile (AppData/Roaming), which city PCs may copy to a server at every logon and logoff; recovery
workbooks and logs are per-machine (a recovery's process id only means something on the PC that wrote it), so
they belong in AppData/Local — which is exactly what ``GenericDataLocation/<org>/<app>`` is. Spelling the names
out also keeps the folder the same whether or not ``QCoreApplication`` names were set yet (the error handler
may be installed before the window exists). The window needs no wiring for this module.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QStandardPaths

from . import strings as S

ENV_VAR = "KAWASAKI_PLANNER_DATA_DIR"
RECOVERY = "recovery"
LOGS = "logs"

_override: Path | None = None


def set_data_dir(path: str | Path | None) -> None:
    global _override
    _override = Path(path) if path is not None else None


def data_dir() -> Path:
    if _override is not None:
        folder = _override
    elif os.environ.get(ENV_VAR):
        folder = Path(os.environ[ENV_VAR])
    else:
        base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericDataLocation)
        # No writable location is only seen on broken profiles; the home folder still lets recovery work.
        folder = (Path(base) if base else Path.home()) / S.ORG_NAME / S.SETTINGS_APP
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def recovery_dir() -> Path:
    folder = data_dir() / RECOVERY
    folder.mkdir(exist_ok=True)
    return folder


def log_dir() -> Path:
    folder = data_dir() / LOGS
    folder.mkdir(exist_ok=True)
    return folder
