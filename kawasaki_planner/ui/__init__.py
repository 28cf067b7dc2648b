"""The Qt user interface (PySide6 + pyqtgraph)."""

from .none_refcount import protect_singletons

protect_singletons()
