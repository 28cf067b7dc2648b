"""What Excel's number formats say about a cell: its built-in codes, and whether it shows a date."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

# The codes Excel does not store in styles.xml (ECMA-376 §18.8.30).
BUILTIN_FORMATS = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%", 11: "0.00E+00",
    12: "# ?/?", 13: "# ??/??", 14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "m/d/yy h:mm", 37: "#,##0_);(#,##0)",
    38: "#,##0_);[Red](#,##0)", 39: "#,##0.00_);(#,##0.00)", 40: "#,##0.00_);[Red](#,##0.00)",
    45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
}
# Japanese Excel's locale built-ins (和暦・年月日): all dates or times.
BUILTIN_FORMATS.update({code: "yyyy/m/d" for code in (*range(27, 37), *range(50, 59))})

_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.|[eE][+-]')  # quoted text, escapes, [colour], padding, exponents
_DATE_PART = re.compile(r"[dmyhsegDMYHSEG]")


@lru_cache(maxsize=512)
def is_date_format(fmt: str | None) -> bool:
    """Whether a number shown with ``fmt`` is a date or time (d, m, y, h, s, or an era outside quotes)."""
    if not fmt:
        return False
    section = _LITERALS.sub("", fmt.split(";")[0])
    if section.strip().lower() == "general":
        return False
    return _DATE_PART.search(section) is not None


def from_excel(serial: float) -> dt.datetime:
    """The date of an Excel serial number (1900 date system)."""
    return dt.datetime(1899, 12, 30) + dt.timedelta(days=serial)
