"""Where a passage changed: the characters deleted and inserted between two versions of a text (新旧対照表's 傍線).

Compared character by character (Japanese has no spaces to split words at) with difflib; an insertion or deletion
that could sit in several places between the same neighbours is put where it reads as a passage (after a sentence
or clause break).
"""

from __future__ import annotations

import difflib

Segment = tuple[str, bool]  # a run of text, and whether it is what changed


def text_segments(before: str, after: str) -> tuple[list[Segment], list[Segment]]:
    """``before`` and ``after`` cut into runs, the characters deleted (in before) and inserted (in after) marked.

    Compared character by character (Japanese has no spaces to split words at). Text entirely new or gone is one
    marked run.
    """
    if not before or not after:
        return ([(before, True)] if before else []), ([(after, True)] if after else [])
    old: list[Segment] = []
    new: list[Segment] = []
    codes = character_opcodes(before, after)
    for n, (tag, i1, i2, j1, j2) in enumerate(codes):
        # An unchanged run of one or two characters between two changes is marked with them, on both sides:
        # 「10回」→「12回以上」 reads as 「0」→「2回以上」 rather than as two pieces around a kept 「回」.
        between = tag == "equal" and 0 < n < len(codes) - 1 and i2 - i1 <= 2 and not before[i1:i2].isspace()
        _append(old, before[i1:i2], tag != "equal" or between)
        _append(new, after[j1:j2], tag != "equal" or between)
    return old, new


BREAKS = "。、\n」)！？!?"  # a change reads best starting after one of these


def character_opcodes(before: str, after: str) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes on characters, each pure insertion or deletion slid to where it reads as a passage.

    「…必要です。」 + 「あわせて…広げます。」 is as short a diff when cut 「…必要で{+す。あわせて…広げま+}す。」; of the
    places an insertion (deletion) can slide to between the same neighbours, the one starting after a sentence or
    clause break is taken (else the one ending with 「。」, else difflib's own).
    """
    codes = [list(code) for code in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()]
    for n, code in enumerate(codes):
        if code[0] not in ("insert", "delete"):
            continue
        previous = codes[n - 1] if n and codes[n - 1][0] == "equal" else None
        following = codes[n + 1] if n + 1 < len(codes) and codes[n + 1][0] == "equal" else None
        text, start, end = (after, code[3], code[4]) if code[0] == "insert" else (before, code[1], code[2])
        left = right = 0
        if previous is None or following is None:  # what slides past the change must have a run to go to
            continue
        while left < previous[2] - previous[1] and text[start - 1 - left] == text[end - 1 - left]:
            left += 1
        while right < following[2] - following[1] and text[start + right] == text[end + right]:
            right += 1

        def score(shift: int, text=text, start=start, end=end) -> tuple:
            at = start + shift
            return (at == 0 or text[at - 1] in BREAKS, text[end + shift - 1] == "。", -abs(shift))

        shift = max(range(-left, right + 1), key=score)
        if shift:
            code[1:] = [code[1] + shift, code[2] + shift, code[3] + shift, code[4] + shift]
            previous[2] += shift
            previous[4] += shift
            following[1] += shift
            following[3] += shift
    return [tuple(c) for c in codes if c[0] != "equal" or c[2] > c[1]]


def _append(runs: list[Segment], text: str, marked: bool) -> None:
    if not text:
        return
    if runs and runs[-1][1] == marked:
        runs[-1] = (runs[-1][0] + text, marked)
    else:
        runs.append((text, marked))


def inline_diff(before: str, after: str, context: int = 16) -> str:
    """One line of a passage's change for a terminal: 「…必要です[-。-]{+、さらに…+}令和4…」, long unchanged runs
    cut to ``context`` characters either side of a change."""
    runs: list[str] = []
    codes = character_opcodes(before, after)
    for n, (tag, i1, i2, j1, j2) in enumerate(codes):
        if tag == "equal":
            text = before[i1:i2]
            head = context if n < len(codes) - 1 else 0  # kept before the next change
            tail = context if n > 0 else 0  # kept after the previous change
            if len(text) > head + tail + 1:
                text = text[:tail] + "…" + (text[-head:] if head else "")
            runs.append(text)
            continue
        if i2 > i1:
            runs.append(f"[-{before[i1:i2]}-]")
        if j2 > j1:
            runs.append(f"{{+{after[j1:j2]}+}}")
    return "".join(runs).replace("\n", "⏎")
