"""Errors raised by the io layer; ``str()`` of each is a Japanese message meant for the user."""

from __future__ import annotations

# Long cell contents would swamp a dialog; the user only needs enough to find the cell.
_VALUE_PREVIEW_CHARS = 40


def _preview(value: object) -> str:
    text = str(value).replace("\r", " ").replace("\n", " ")
    if len(text) > _VALUE_PREVIEW_CHARS:
        text = text[: _VALUE_PREVIEW_CHARS - 1] + "…"
    return text


class PlanFormatError(ValueError):
    """A workbook the app cannot read as a plan; ``str()`` is a Japanese message for the user.

    The location is prefixed so the message reads naturally, e.g.
    ``PlanFormatError("は数値として読めません", sheet="2 権利擁護", cell="E7", value="abc")`` gives
    「シート「2 権利擁護」のセル E7 の値「abc」は数値として読めません」, and without a value
    「シート「2 権利擁護」のセル A7 の指標名が空欄…」. A message that does not start with a particle
    (は/が/を/…) is separated from the location by 「: 」 instead.
    """

    def __init__(self, message: str, *, sheet: str | None = None, cell: str | None = None, value: object = None):
        self.message = message
        self.sheet = sheet
        self.cell = cell
        self.value = value
        super().__init__(self._compose())

    def _compose(self) -> str:
        where = ""
        if self.sheet is not None:
            where += f"シート「{self.sheet}」"
        if self.cell is not None:
            where += ("の" if where else "") + f"セル {self.cell}"
        if self.value is not None:
            where += (" の" if where else "") + f"値「{_preview(self.value)}」"
        if not where:
            return self.message
        if self.message[:1] in _PARTICLES:
            # 「セル A7 の指標名…」: a cell name is set off by spaces, as in 「セル A7 の値「…」」.
            return where + (" " if self.value is None and self.cell is not None else "") + self.message
        return f"{where}: {self.message}"


# Messages that continue the location phrase ("…の値「abc」は数値として読めません").
_PARTICLES = frozenset("はがをにでのへともや")


class SaveError(PlanFormatError):
    """Saving failed; the original file on disk was left untouched."""


class SaveLockedError(SaveError):
    """The target or its folder cannot be written (Excel holds it open, or it is read-only).

    Not a PermissionError subclass: OSError's C layout cannot be combined with ValueError's. The
    original PermissionError is chained as ``__cause__``.
    """

    DEFAULT_MESSAGE = (
        "ファイルが他のプログラム(Excelなど)で開かれているか読み取り専用のため保存できません。"
        "「名前を付けて保存」で別の名前で保存してください"
    )

    def __init__(self, message: str | None = None, **kwargs: object):
        super().__init__(message or self.DEFAULT_MESSAGE, **kwargs)  # type: ignore[arg-type]
