import subprocess
import sys


def test_core_io_and_cli_commands_do_not_import_qt():
    code = (
        "import sys\n"
        "import kawasaki_planner.core.plan, kawasaki_planner.core.forecast, kawasaki_planner.core.consistency\n"
        "import kawasaki_planner.core.report, kawasaki_planner.io.workbook, kawasaki_planner.io.tidy, kawasaki_planner.cli\n"
        "import kawasaki_planner.core.evaluation_report, kawasaki_planner.io.report_xlsx\n"
        "from kawasaki_planner.cli import main\n"
        "import contextlib, io\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['check', 'sample_data/kawasaki_plan_r8.xlsx'])\n"
        "    main(['export', 'sample_data/kawasaki_plan_r8.xlsx'])\n"
        "    import tempfile, os\n"
        "    with tempfile.TemporaryDirectory() as folder:\n"
        "        assert main(['report', 'sample_data/kawasaki_plan_r8.xlsx', '-o', os.path.join(folder, 'r.xlsx')]) == 0\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'pyqtgraph')))\n"
        "print(','.join(bad))\n"
    )
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True)
    assert out.stdout.strip() == ""
