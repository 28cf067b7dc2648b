"""Whatever is damaged inside a real plan workbook, opening it ends in a plan or a Japanese refusal naming the place.

The damage is done inside the XML parts (then zipped again), so it reaches openpyxl and the plan reader rather
than stopping at the zip check.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kawasaki_planner.io.errors import PlanFormatError
from kawasaki_planner.io.workbook import load_plan

SAMPLE = Path(__file__).parents[2] / "sample_data" / "kawasaki_plan_r8.xlsx"
PARTS = {name: data for name, data in ((n, zipfile.ZipFile(SAMPLE).read(n)) for n in zipfile.ZipFile(SAMPLE).namelist())}
XML_PARTS = sorted(n for n in PARTS if n.endswith((".xml", ".rels")))
_TOKENS = [b'"', b"<", b">", b"/", b"0", b"9", b"-", b"x", b"A", b"\xe3\x81\x82", b"", b'r="', b's="', b't="s"', b"<v>"]
_CLASS_NAME = re.compile(r"\b[A-Z][a-zA-Z]+(Error|Exception)\b")


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.sampled_from(XML_PARTS), st.lists(st.tuples(st.floats(0, 1), st.integers(0, 40), st.sampled_from(_TOKENS)),
                                            min_size=1, max_size=6))
def test_a_damaged_part_gives_a_plan_or_a_japanese_refusal(tmp_path_factory, part, edits):
    data = bytearray(PARTS[part])
    for where, length, token in edits:
        start = int(where * max(0, len(data) - 1))
        data[start:start + length] = token
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in PARTS.items():
            archive.writestr(name, bytes(data) if name == part else content)
    path = tmp_path_factory.mktemp("damaged") / "plan.xlsx"
    path.write_bytes(buffer.getvalue())
    try:
        plan = load_plan(path)
    except PlanFormatError as exc:
        message = str(exc)
        assert re.search(r"[ぁ-んァ-ン一-龥]", message), message
        assert not _CLASS_NAME.search(message), message
        assert len(message) < 600
    else:
        assert plan.sections
