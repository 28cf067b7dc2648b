"""Screenshots of the comparison (ファイル → 比較…) and of the 新旧対照表 it exports.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/make_compare_screenshots.py OUT_DIR

A copy of the sample plan is opened and edited in memory (figures changed, an indicator renamed, one added,
a narrative passage and a status row reworded: illustrative edits, not the plan's); the window compares it
with the copy as saved and is grabbed at 1366×768. The 新旧対照表 is written as PDF and .xlsx; with
poppler's pdftoppm and LibreOffice present, both are rendered to PNG.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kawasaki_planner.core import structure  # noqa: E402
from kawasaki_planner.core.plan import FigureRef, NarrativeBlock, StatusItem, forecast_ref  # noqa: E402


def edit(plan) -> None:
    plan.set_figure(FigureRef(2, "意見表明支援を利用可能な児童数", 2026, "plan"), "1,111")
    plan.set_figure(FigureRef(2, "意見表明支援を利用可能な児童数", 2025, "actual"), "905")
    plan.set_figure(forecast_ref("population", 2027), "230,000")
    structure.edit_indicator(plan, 3, "こども家庭センターの設置数", label="こども家庭センターの設置か所数")
    added = structure.new_indicator(plan, 2, "子どもの権利ノートの配布数", "件")
    structure.insert_indicator(plan, 2, 2, added)
    plan.set_figure(FigureRef(2, added.id, 2029, "plan"), "500")
    section = plan.section(2)
    first = section.narrative[0]
    reworded = first.text.replace("必要です。", "必要です。あわせて、こどもの声を聴く仕組みを全区に広げます。", 1)
    structure.set_narrative(plan, 2, [NarrativeBlock(first.heading, reworded), *section.narrative[1:]])
    status = plan.section(2).status
    structure.set_status(plan, 2, [StatusItem(status[0].item, status[0].description + "令和8年度からは全児童相談所で実施します。"),
                                   *status[1:]])


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    from PySide6.QtCore import QSettings, Qt

    from kawasaki_planner.ui import compare_dialogs
    from kawasaki_planner.ui.app import SCREENSHOT_SIZE, create_main_window, ensure_app
    from kawasaki_planner.ui.compare_panel import start_comparison

    app = ensure_app()
    with tempfile.TemporaryDirectory() as folder:
        # The planner's own settings (recent files, window layout) are neither read nor written.
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)
        path = Path(folder) / "川崎市社会的養育推進計画.xlsx"
        shutil.copy(ROOT / "sample_data" / "kawasaki_plan_r8.xlsx", path)
        window = create_main_window(str(path), lock=False)
        window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)  # as take_screenshot: no remembered layout
        edit(window.plan)
        saved = next(s for s in compare_dialogs.sources(path) if s.kind == "saved")
        panel = start_comparison(window, saved)
        window.show()
        window.resize(*SCREENSHOT_SIZE)
        window.resizeDocks([panel], [SCREENSHOT_SIZE[1] // 4], Qt.Orientation.Vertical)  # as start_comparison sizes it
        window.tabs.setCurrentWidget(window.section_tabs[2])
        row = next(r for r in range(panel.proxy.rowCount()) if panel.difference_at(r).item.startswith("意見表明支援") and
                   panel.difference_at(r).kind == "plan")
        panel.table.selectRow(row)
        panel.jump_to(panel.difference_at(row))
        for _ in range(5):
            app.processEvents()
        window.grab().save(str(out / "window_compare.png"), "PNG")
        panel.export(".pdf", str(out / "新旧対照表.pdf"))
        panel.export(".xlsx", str(out / "新旧対照表.xlsx"))
        window.document.undo_stack.setClean()
        window.close()
        app.processEvents()
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(out / "新旧対照表.pdf"), str(out / "pdf_page")], check=True)
    soffice = shutil.which("soffice")
    if soffice:
        with tempfile.TemporaryDirectory() as profile:
            subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                            "--outdir", str(out / "xlsx_via_libreoffice"), str(out / "新旧対照表.xlsx")], check=True,
                           capture_output=True, timeout=180)
        if shutil.which("pdftoppm"):
            subprocess.run(["pdftoppm", "-r", "60", "-png", str(out / "xlsx_via_libreoffice" / "新旧対照表.pdf"),
                            str(out / "xlsx_page")], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "compare_shots"))
