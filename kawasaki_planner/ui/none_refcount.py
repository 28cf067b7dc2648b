"""Guard against a PySide6 binding bug that makes CPython < 3.12 abort ("deallocating None").

PySide6-Essentials 6.12 on Python 3.11 returns ``None`` from wrapped void methods
(``QLabel.setText``, ``QHeaderView.initStyleOption`` …) and from invalid QVariants, and
``True``/``False`` from bool methods, without taking a reference to them. Every such call
lowers the singleton's reference count by one; after a few thousand calls of a working
session it reaches zero and the interpreter aborts. Python 3.12+ makes these objects
immortal, so there it cannot happen.

When (and only when) the drop is measured at start-up, the singletons are given a very
large number of extra references, which is what holding that many references would do:
they are static objects that are never freed, so nothing else changes.
"""

from __future__ import annotations

import ctypes
import sys

EXTRA_REFERENCES = 1 << 40
_PROBE_CALLS = 64


def pyside_drops_none() -> bool:
    """Whether calling a void Qt method lowers ``None``'s reference count."""
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(_PROBE_CALLS):
        probe.setObjectName("probe")
    return sys.getrefcount(None) - before <= -_PROBE_CALLS // 2


def protect_singletons() -> bool:
    """Apply the guard if this interpreter and binding need it; returns whether it was applied."""
    if sys.version_info >= (3, 12) or hasattr(sys, "gettotalrefcount") or not pyside_drops_none():
        return False
    for singleton in (None, True, False):
        refcount = ctypes.c_ssize_t.from_address(id(singleton))
        refcount.value += EXTRA_REFERENCES
    return True
