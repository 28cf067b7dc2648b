"""Kawasaki Planner: the 社会的養育推進計画 of Kawasaki City as an editable, checkable plan."""

from .version import __version__

__all__ = ["__version__", "create_main_window"]


def create_main_window(path=None):
    """The ready main window, with the plan at ``path`` open when one is given (needs a QApplication)."""
    from .ui.app import create_main_window as _create

    return _create(path)
