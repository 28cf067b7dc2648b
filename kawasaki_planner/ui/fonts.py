"""The Japanese font the window and the printed report use: the first of the usual Japanese UI fonts installed."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase

JAPANESE_FONTS = ("Yu Gothic UI", "Meiryo UI", "Meiryo", "BIZ UDPGothic", "IPAexGothic", "Noto Sans CJK JP", "IPAGothic")
# For print: the document fonts before the UI ones (Yu Gothic's and Meiryo's UI cuts are narrowed for menus).
PRINT_FONTS = ("Yu Gothic", "Meiryo", "BIZ UDPGothic", "IPAexGothic", "Noto Sans CJK JP", "IPAGothic", "Yu Gothic UI", "Meiryo UI")


def japanese_family(preferred: tuple[str, ...] = JAPANESE_FONTS) -> str | None:
    """The first installed family of ``preferred``, else any family that writes Japanese, else None."""
    families = set(QFontDatabase.families())
    for family in preferred:
        if family in families:
            return family
    japanese = QFontDatabase.families(QFontDatabase.WritingSystem.Japanese)
    return japanese[0] if japanese else None
