from kawasaki_planner.core.fiscal import era_label, parse_year_label, year_label


def test_fiscal_year_labels_as_planners_read_them():
    assert year_label(2026) == "R8年度 (2026)"
    assert era_label(2024) == "R6年度"
    assert year_label(2019) == "R1年度 (2019)"


def test_year_headers_are_read_in_the_forms_people_write():
    for text in ("R8年度 (2026)", "R8年度(2026)", "令和8年度", "Ｒ８年度", "2026", "2026年度"):
        assert parse_year_label(text) == 2026, text
    assert parse_year_label("R8年度 (2027)") is None
    assert parse_year_label("目標") is None
