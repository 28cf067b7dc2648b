"""Every string of the 点検・評価結果報告書 (the PDF, its preview and the 報告書を出力 dialog), in one place."""

from ...core.evaluation import STATUS_LABELS, Status
from ...core.evaluation_report import REPORT_NAME

# --- the document -----------------------------------------------------------------------------------------
CREATOR = "川崎市 社会的養育推進計画 管理ツール"
COVER_YEAR = "対象年度: {year}"
COVER_COUNTS = "達成度の段階別の指標数"
COL_SECTION = "節"
COL_NO = "No."
COL_INDICATOR = "指標"
COL_TARGET = "目標"
COL_ACTUAL = "実績"
COL_RATIO = "達成率"
COL_LEVEL = "達成度"
COL_REASON = "判定"
COL_SUMMARY = "計画期間の総括"
COUNT_TOTAL = "計"
COUNT_ALL = "合計"
SECTION_COUNTS = "達成度の段階別の指標数"
SECTION_TABLE = "指標の達成状況"
SECTION_OVERALL = "総合評価"
INDICATOR_HEADING = "{section}-({number}) {label}"
CONTINUED = "(続き)"
NOT_WRITTEN = "(記入なし)"
NONE = "-"
NOT_ENTERED = "(未入力)"
NO_INDICATORS = "評価する指標がありません。"
PAGE_NUMBER = "{page} / {pages}"
CHART_UNIT = "単位: {unit}"
CHART_NO_UNIT = "単位なし"
SERIES_PLAN = "目標"
SERIES_ACTUAL = "実績"
PDF_FAILED = "PDFファイルを作成できません"


def count_heading(status: Status) -> str:
    """A count table's column: 「1 大きく上回る」…「評価不能」."""
    return status.short_label


def scale_note() -> str:
    """The 5-level scale, spelled out under the cover's table."""
    return "達成度: " + " / ".join(STATUS_LABELS[s] for s in sorted(s for s in Status if s is not Status.NOT_RATED))


# --- the dialog ---------------------------------------------------------------------------------------------
ACT_REPORT = "報告書を出力(&R)..."
DIALOG_TITLE = REPORT_NAME + "を出力"
LABEL_YEAR = "対象年度:"
LABEL_FORMAT = "形式:"
LABEL_PATH = "保存先:"
FORMAT_PDF = "PDF"
FORMAT_XLSX = "Excel (.xlsx)"
BROWSE = "参照..."
PREVIEW = "印刷プレビュー..."
WRITE = "出力"
CANCEL = "キャンセル"
SAVE_DIALOG = "報告書の保存先"
FILTER_PDF = "PDFファイル (*.pdf)"
FILTER_XLSX = "Excelブック (*.xlsx)"
NO_PATH = "保存先を指定してください"
IS_THE_PLAN = "「{name}」は計画ブックそのものです。報告書は別のファイル名で出力してください"
WRITTEN = "報告書を「{name}」に出力しました"
WRITE_FAILED_TITLE = "報告書を出力できませんでした"
WRITE_FAILED = "「{name}」に書き込めませんでした: {reason}"
NO_YEARS = "この計画には年度がありません"
YEAR_ITEM = "{label}"
YEAR_LATEST = "{label}(実績のある最新年度)"
