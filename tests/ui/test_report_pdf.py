"""The PDF report read back with poppler: every rated indicator with its 達成度, fonts embedded, page numbers,
long texts carried over pages without a word lost; the charts' axes; the page the self-test draws."""

from __future__ import annotations

import re

import pytest

from kawasaki_planner.core.evaluation_report import build_report
from kawasaki_planner.ui.report.chart import nice_ticks, tick_text
from kawasaki_planner.ui.report.pdf import render_page_image, render_pdf
from tests.report_cases import LONG_TEXT_ITEMS, R7_ACTUALS, YEAR, enter_r7, pdf_fonts, pdf_pages, pdf_text, require_poppler


@pytest.fixture
def report(sample_plan, qapp):
    return build_report(enter_r7(sample_plan), YEAR)


@pytest.fixture
def pdf(report, tmp_path):
    require_poppler()
    path = tmp_path / "報告書.pdf"
    pages = render_pdf(report, path)
    return report, path, pages


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_rated_indicator_appears_with_its_level(pdf):
    report, path, _ = pdf
    lines = pdf_text(path).splitlines()
    rated = [row for row in report.rows if row.level is not None]
    assert len(rated) == 8
    for row in rated:
        # Its row of the section's table: label, target, actual, ratio and 達成度 on one line.
        line = next((ln for ln in lines if row.label in ln and row.level_words in ln), None)
        assert line is not None, row.label
        assert re.search(rf"{re.escape(row.target.text)}\s+{re.escape(row.actual.text)}\s+{re.escape(row.ratio_text)}\s+"
                         rf"{row.level}\s*{re.escape(row.level_words)}", line), line
    expected = {label: status for _, label, _, status in R7_ACTUALS}
    for row in report.rows:
        if row.label in expected:
            assert row.status is expected[row.label]
    text = _squeezed(pdf_text(path))
    assert "児童家庭支援センター設置数" in text and "評価不能(実績が「-」(値なし)です)" in text


def test_the_text_copied_out_is_plain_japanese(pdf):
    _, path, _ = pdf
    text = pdf_text(path)
    assert "子どもの権利擁護" in text and "目標" in text and "人" in text
    assert not re.search("[\u2e80-\u2fdf]", text), "Kangxi radicals instead of ideographs"


def test_fonts_are_embedded(pdf):
    _, path, _ = pdf
    fonts = pdf_fonts(path)
    assert fonts
    for font in fonts:
        assert font[-5] == "yes", font  # the emb column (then sub, uni, object ID)


def test_pages_are_numbered_n_of_total_and_the_cover_comes_first(pdf):
    _, path, pages = pdf
    assert pdf_pages(path) == pages >= 10
    texts = pdf_text(path).split("\f")[:pages]
    for number, text in enumerate(texts, start=1):
        assert f"{number} / {pages}" in text
    cover = _squeezed(texts[0])
    assert "川崎市社会的養育推進計画" in cover and "点検・評価結果報告書" in cover and "R7年度(2025)" in cover


def test_a_long_text_breaks_across_pages_without_losing_a_word(pdf):
    _, path, _ = pdf
    texts = pdf_text(path).split("\f")
    found = {int(m) for text in texts for m in re.findall(r"K(\d{3})", text)}
    assert found == set(range(1, LONG_TEXT_ITEMS + 1))
    spread = [n for n, text in enumerate(texts) if "K" in text and re.search(r"K\d{3}", text)]
    assert len(spread) >= 2  # it needed more than one page
    assert any("(続き)" in texts[n] for n in spread[1:])


def test_a_section_and_an_indicator_page_have_ink(report):
    image, pages = render_page_image(report, 2, width=600)
    white = image.pixel(0, 0)
    inked = sum(1 for y in range(0, image.height(), 2) for x in range(0, image.width(), 2) if image.pixel(x, y) != white)
    assert pages >= 10 and inked > 1000


@pytest.mark.parametrize("high", [0, 0.4, 1, 3, 7, 59, 100, 993, 1100, 241047])
def test_count_axes_tick_whole_numbers_from_zero(high):
    ticks = nice_ticks(high, counts=True)
    assert ticks[0] == 0 and ticks[-1] >= high and len(ticks) <= 12
    assert all(float(t).is_integer() for t in ticks)
    assert all("." not in tick_text(t, ticks) for t in ticks)


def test_rate_axes_may_tick_fractions():
    ticks = nice_ticks(0.16, counts=False)
    assert ticks[0] == 0 and ticks[-1] >= 0.16 and not float(ticks[1]).is_integer()
    assert tick_text(ticks[1], ticks) in ("0.02", "0.05", "0.025", "0.03", "0.04")


def test_the_final_years_pdf_shows_the_period_summary(sample_plan, qapp, tmp_path):
    from kawasaki_planner.core.plan import FigureRef

    require_poppler()
    indicator = sample_plan.section(7).by_label("児童相談所における専門チームの配備")
    sample_plan.set_figure(FigureRef(7, indicator.id, 2029, "actual"), "3班")
    render_pdf(build_report(sample_plan, 2029), tmp_path / "R11.pdf")
    text = _squeezed(pdf_text(tmp_path / "R11.pdf"))
    assert "計画期間の総括" in text and "II当初の目標どおり達成(最終年度の実績から)" in text
    assert "R11年度(2029)点検・評価結果報告書" in text
