"""Tab pages built the first time they are shown or asked for.

A plan opens on its first tab; building the other seven (five charts, eight tables, the
overview) before the window can paint is most of the start-up time, and a planner may
never visit some of them. A page stands in as an empty placeholder until then, and is
swapped for the real tab in place, so ``tabs.currentWidget()`` is always the real tab
once it has been built.

Structure edits add a tab where it belongs (``insert``), take one away (``remove``), rename it, or
build it anew (``rebuild``: a section that gained its first indicators, new fiscal years for charts
made for the old ones). ``on_built`` hears every tab built, first or again.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Mapping

from PySide6.QtCore import QSignalBlocker, QTimer
from PySide6.QtWidgets import QTabWidget, QWidget


class LazyTabs:
    def __init__(self, tabs: QTabWidget) -> None:
        self.tabs = tabs
        self._pending: dict[Hashable, tuple[QWidget, Callable[[], QWidget]]] = {}
        self._built: dict[Hashable, QWidget] = {}
        self._factories: dict[Hashable, Callable[[], QWidget]] = {}
        self._order: list[Hashable] = []
        self.on_built: list[Callable[[Hashable, QWidget], None]] = []
        tabs.currentChanged.connect(self._on_current_changed)

    def add(self, key: Hashable, label: str, tooltip: str, factory: Callable[[], QWidget]) -> None:
        self.insert(len(self._order), key, label, tooltip, factory)

    def insert(self, position: int, key: Hashable, label: str, tooltip: str, factory: Callable[[], QWidget]) -> None:
        """A tab at ``position`` (in tab order), built when first shown or asked for."""
        placeholder = QWidget()
        self._pending[key] = (placeholder, factory)
        self._factories[key] = factory
        self._order.insert(position, key)
        # The first tab becomes the current one and is built (currentChanged); inserted before the current tab,
        # only the current index changes.
        index = self.tabs.insertTab(position, placeholder, label)
        self.tabs.setTabToolTip(index, tooltip)

    def remove(self, key: Hashable) -> None:
        """Take the tab away (a built one is detached from the plan first); its widget is deleted."""
        pending = self._pending.pop(key, None)
        if pending is not None:
            widget = pending[0]
        else:
            widget = self._built.pop(key)
            _detach(widget)
        self._order.remove(key)
        self._factories.pop(key, None)
        # If it was the current tab, the tab shown next is built as it would be by clicking it.
        self.tabs.removeTab(self.tabs.indexOf(widget))
        widget.deleteLater()

    def rename(self, key: Hashable, label: str, tooltip: str) -> None:
        index = self.tabs.indexOf(self._widget(key))
        if self.tabs.tabText(index) != label:
            self.tabs.setTabText(index, label)
        if self.tabs.tabToolTip(index) != tooltip:
            self.tabs.setTabToolTip(index, tooltip)

    def rebuild(self, key: Hashable, factory: Callable[[], QWidget] | None = None) -> None:
        """Build the tab anew in place (a tab not built yet just gets the new factory)."""
        factory = factory or self._factories[key]
        self._factories[key] = factory
        if key in self._pending:
            self._pending[key] = (self._pending[key][0], factory)
            return
        old = self._built.pop(key)
        _detach(old)
        self._pending[key] = (old, factory)
        self.get(key)

    def label(self, key: Hashable) -> str:
        return self.tabs.tabText(self.tabs.indexOf(self._widget(key)))

    def is_built(self, key: Hashable) -> bool:
        return key in self._built

    def built_items(self) -> list[tuple[Hashable, QWidget]]:
        return list(self._built.items())

    def _widget(self, key: Hashable) -> QWidget:
        built = self._built.get(key)
        return built if built is not None else self._pending[key][0]

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
        for hook in list(self.on_built):
            hook(key, widget)
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
        self._factories.clear()
        self._order.clear()

    def _on_current_changed(self, index: int) -> None:
        widget = self.tabs.widget(index)
        for key, (placeholder, _) in list(self._pending.items()):
            if placeholder is widget:
                self.get(key)
                return


def _detach(widget: QWidget) -> None:
    """A built tab stops listening to the plan before it goes (a placeholder has nothing to detach), and does
    no redraw it had put off: its charts were made for the plan as it was (the years of their axes)."""
    detach = getattr(widget, "detach", None)
    if detach is not None:
        detach()
    for timer in widget.findChildren(QTimer):
        timer.stop()


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
