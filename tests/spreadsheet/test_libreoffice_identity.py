"""Rows sorted and a label reworded in LibreOffice: the same indicators, and the forecast still deducts the adoptions."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from kawasaki_planner.core.plan import ADOPTION_LABEL, forecast_ref
from kawasaki_planner.io import layout as L
from kawasaki_planner.io.workbook import load_plan
from tests.io.workbook_edit import find_sheet

pytestmark = pytest.mark.spreadsheet
RENAMED = "特別養子縁組の成立件数(児童相談所を通じたもの)"


def test_sorting_rows_and_renaming_the_adoption_label_keep_identities(libreoffice, app_workbook, tmp_path):
    before = load_plan(app_workbook)
    sheet = find_sheet(load_workbook(app_workbook), 7)
    marker = next(c.row for (c,) in sheet.iter_rows(max_col=1) if c.value == L.INDICATORS)
    header = marker + 2
    id_col = next(c for c in range(1, sheet.max_column + 1) if sheet.cell(header, c).value == L.ID_HEADER)
    last = header + len(before.section(7).indicators)
    adoption_row = next(r for r in range(header + 1, last + 1) if sheet.cell(r, 1).value == ADOPTION_LABEL)
    edited = libreoffice.edit(app_workbook, tmp_path / "sorted.xlsx", [
        {"do": "type", "sheet": sheet.title, "cell": f"A{adoption_row}", "text": RENAMED},
        {"do": "sort", "sheet": sheet.title, "range": f"A{header + 1}:{get_column_letter(id_col)}{last}", "ascending": False},
    ])
    labels = [c.value for (c,) in find_sheet(load_workbook(edited), 7).iter_rows(min_row=header + 1, max_row=last, max_col=1)]
    assert labels == sorted(labels, reverse=True) and RENAMED in labels  # LibreOffice really sorted and renamed
    after = load_plan(edited)
    assert after.load_warnings == []
    assert after.adoption_indicator().id == before.adoption_indicator().id and after.adoption_indicator().label == RENAMED
    assert {i.id for i in after.section(7).indicators} == {i.id for i in before.section(7).indicators}
    for indicator in before.section(7).indicators:
        assert after.section(7).indicator(indicator.id).plan == indicator.plan
    for year in before.years:
        assert after.figure(forecast_ref("placed", year)) == before.figure(forecast_ref("placed", year))
