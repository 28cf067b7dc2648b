"""Tab pages built the first time they are shown or asked for.

A plan opens on its first tab; building the other seven (five charts, eight tables, the
overview) before the window can paint is most of the start-up time, and a planner may
never visit some of them. A page stands in as an empty placeholder until then, and is
swapped for the real tab in place, so ``tabs.currentWidget()`` is always the real tab
once it has been built.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Mapping

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import QTabWidget, QWidget


class LazyTabs:
    def __init__(self, tabs: QTabWidget) -> None:
        self.tabs = tabs
        self._pending: dict[Hashable, tuple[QWidget, Callable[[], QWidget]]] = {}
        self._built: dict[Hashable, QWidget] = {}
        self._order: list[Hashable] = []
        tabs.currentChanged.connect(self._on_current_changed)

    def add(self, key: Hashable, label: str, tooltip: str, factory: Callable[[], QWidget]) -> None:
        placeholder = QWidget()
        self._pending[key] = (placeholder, factory)
        self._order.append(key)
        index = self.tabs.addTab(placeholder, label)
        self.tabs.setTabToolTip(index, tooltip)

    @property
    def order(self) -> list[Hashable]:
        """The keys in tab order."""
        return list(self._order)

    def get(self, key: Hashable) -> QWidget:
        """The real tab for ``key``, built now if it has not been yet."""
        built = self._built.get(key)
        if built is not None:
            return built
        placeholder, factory = self._pending.pop(key)
        widget = factory()
        index = self.tabs.indexOf(placeholder)
        current = self.tabs.currentIndex()
        label, tooltip = self.tabs.tabText(index), self.tabs.tabToolTip(index)
        blocker = QSignalBlocker(self.tabs)  # the swap is not a change of tab for anyone listening
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, widget, label)
        self.tabs.setTabToolTip(index, tooltip)
        self.tabs.setCurrentIndex(current)
        blocker.unblock()
        placeholder.deleteLater()
        self._built[key] = widget
        return widget

    def built(self) -> list[QWidget]:
        return list(self._built.values())

    def clear(self) -> None:
        self._pending.clear()  # removing pages moves the current tab: nothing may be built on the way out
        blocker = QSignalBlocker(self.tabs)
        while self.tabs.count():
            widget = self.tabs.widget(0)
            self.tabs.removeTab(0)
            widget.deleteLater()
        blocker.unblock()
        self._built.clear()
        self._order.clear()

    def _on_current_changed(self, index: int) -> None:
        widget = self.tabs.widget(index)
        for key, (placeholder, _) in list(self._pending.items()):
            if placeholder is widget:
                self.get(key)
                return


class TabMapping(Mapping):
    """``window.section_tabs``: section number → its tab, built on access."""

    def __init__(self, lazy: LazyTabs, keys: Callable[[], list]) -> None:
        self._lazy = lazy
        self._keys = keys

    def __getitem__(self, key) -> QWidget:
        if key not in self._keys():
            raise KeyError(key)
        return self._lazy.get(key)

    def __iter__(self) -> Iterator:
        return iter(self._keys())

    def __len__(self) -> int:
        return len(self._keys())
