"""The text a reader copies or searches out of the report's PDF: unified ideographs, not their look-alikes."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

_TO_UNICODE = re.compile(rb"/ToUnicode (\d+) 0 R")
_HEX = re.compile(rb"<([0-9A-Fa-f]{4})>")
_RANGE = re.compile(rb"^(<[0-9A-Fa-f]{4}>) (<[0-9A-Fa-f]{4}>) (.*)$")


def _unified(match: re.Match) -> bytes:
    code = int(match.group(1), 16)
    if 0x2E80 <= code <= 0x2FDF or 0xF900 <= code <= 0xFAFF:
        folded = unicodedata.normalize("NFKC", chr(code))
        if len(folded) == 1 and ord(folded) <= 0xFFFF and folded != chr(code):
            return b"<%04X>" % ord(folded)
    return match.group(0)


def _unify_cmap(cmap: bytes) -> bytes:
    out = []
    section = b""
    for line in cmap.split(b"\n"):
        if line.endswith((b"beginbfrange", b"beginbfchar")):
            section = line.rsplit(b" ", 1)[-1]
        elif line in (b"endbfrange", b"endbfchar"):
            section = b""
        elif section == b"beginbfchar" and line.startswith(b"<"):
            source, _, target = line.partition(b" ")
            line = source + b" " + _HEX.sub(_unified, target)
        elif section == b"beginbfrange":
            match = _RANGE.match(line)
            # A range whose target is one code counts up from it: only a one-code range may be rewritten.
            if match and (match.group(3).startswith(b"[") or match.group(1) == match.group(2)):
                line = match.group(1) + b" " + match.group(2) + b" " + _HEX.sub(_unified, match.group(3))
        out.append(line)
    return b"\n".join(out)


def unify_ideographs(path: Path) -> None:
    """Copied or searched text gives 「子」, not the look-alike Kangxi radical 「⼦」 (U+2F26).

    Japanese fonts draw a Kangxi radical and its ideograph with one glyph; Qt's PDF writer maps each glyph back
    to the first code point that uses it, the radical. The ToUnicode maps are rewritten in place, each code to
    one of the same length, so no offset in the file moves.
    """
    data = path.read_bytes()
    changed = bytearray(data)
    for number in {m.group(1) for m in _TO_UNICODE.finditer(data)}:
        start = data.find(b"\n" + number + b" 0 obj")
        begin = data.find(b"stream\n", start) + len(b"stream\n")
        end = data.find(b"endstream", begin)
        if start < 0 or begin < len(b"stream\n") or end < 0:
            continue
        unified = _unify_cmap(data[begin:end])
        if len(unified) == end - begin:
            changed[begin:end] = unified
    if changed != data:
        path.write_bytes(bytes(changed))


