"""Command line: open the window, or export / check / forecast a plan workbook without Qt.

Every failure a user can cause ends in a Japanese message and a non-zero exit,
never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Sequence

EXIT_OK = 0
EXIT_WARNINGS = 1  # readable, but with something a person should look at (formulas, macros, merged or hidden cells)
EXIT_BAD_INPUT = 2
EXIT_UNEXPECTED = 3
SUBCOMMANDS = ("export", "check", "forecast")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's English usage errors become one Japanese line
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: 引数が正しくありません: {message}\n")


def _command_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="kawasaki-planner", description="川崎市社会的養育推進計画の指標と見込みを扱います。")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    export = commands.add_parser("export", help="計画の全数値を1行1数値の表(CSV/JSON)で出力")
    export.add_argument("plan", metavar="PLAN.xlsx")
    export.add_argument("--format", choices=("csv", "json"), default="csv")
    export.add_argument("-o", "--output", metavar="FILE", help="出力先(省略時は標準出力)")
    check = commands.add_parser("check", help="ブックを検査し、保存値と再計算値の食い違いを一覧")
    check.add_argument("plan", metavar="PLAN.xlsx")
    forecast = commands.add_parser("forecast", help="第5節の見込み(再計算)を表示")
    forecast.add_argument("plan", metavar="PLAN.xlsx")
    return parser


def _gui_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="kawasaki-planner",
        description="計画ブックを開いて編集します。サブコマンド: export / check / forecast",
    )
    parser.add_argument("plan", nargs="?", metavar="PLAN.xlsx", help="開く計画ブック(省略時は同梱の計画)")
    parser.add_argument("--screenshot", metavar="OUT.png", help="ウィンドウを描画してPNGに保存し終了")
    parser.add_argument("--tab", type=int, default=None, help="--screenshot で表示するタブ番号(0から)")
    parser.add_argument("--self-test", action="store_true", help="同梱の計画で読込・再計算・保存・再読込を確認")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    _utf8_streams()
    try:
        if args and args[0] in SUBCOMMANDS:
            return _run_command(_command_parser().parse_args(args))
        return _run_gui(_gui_parser().parse_args(args))
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the last guard: a user never sees a traceback
        from .io.errors import PlanFormatError

        if isinstance(exc, PlanFormatError):
            print(f"エラー: {exc}", file=sys.stderr)
            return EXIT_BAD_INPUT
        if isinstance(exc, OSError):
            print(f"エラー: ファイルを読み書きできません: {exc.strerror or exc} ({exc.filename or ''})", file=sys.stderr)
            return EXIT_BAD_INPUT
        print(f"予期しないエラーが発生しました: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_UNEXPECTED


def _utf8_streams() -> None:
    """Japanese output must not fail on a console whose code page cannot encode it."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="replace")


def _run_command(ns: argparse.Namespace) -> int:
    from .io.workbook import load_plan

    plan = load_plan(ns.plan)
    if ns.command == "export":
        from .io.tidy import write_export

        text = write_export(plan, ns.format, ns.output)
        if text is not None:
            sys.stdout.write(text)
        return EXIT_OK
    if ns.command == "check":
        return _check(plan, ns.plan)
    from .core.report import forecast_text

    print(forecast_text(plan))
    return EXIT_OK


def _check(plan, path: str) -> int:
    from .core.consistency import check_plan
    from .io.tidy import tidy_rows

    figures = sum(1 for _ in tidy_rows(plan))
    indicators = sum(len(s.indicators) for s in plan.sections)
    print(f"{path}: {plan.title}")
    print(f"  節 {len(plan.sections)} / 指標 {indicators} / 数値 {figures} / 年度 {plan.years[0]}–{plan.years[-1]}")
    for warning in plan.load_warnings:
        print(f"  注意: {warning}")
    findings = check_plan(plan)
    if not findings:
        print("  保存値と再計算値の食い違い: なし")
    else:
        print(f"  保存値と再計算値の食い違い: {len(findings)} 件")
        for finding in findings:
            print(f"  - {finding.message}")
    return EXIT_WARNINGS if plan.load_warnings else EXIT_OK


def _run_gui(ns: argparse.Namespace) -> int:
    if ns.self_test:
        from .selftest import run_self_test

        return run_self_test()
    try:
        from .ui import app
    except ImportError as exc:
        print(f"画面を起動できません(Qtを読み込めません): {exc}", file=sys.stderr)
        return EXIT_UNEXPECTED
    if ns.screenshot:
        if not ns.plan:
            print("エラー: --screenshot には計画ブックを指定してください", file=sys.stderr)
            return EXIT_BAD_INPUT
        return app.take_screenshot(ns.plan, ns.screenshot, ns.tab)
    return app.run_gui(ns.plan)

