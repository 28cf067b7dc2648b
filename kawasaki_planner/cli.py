"""Command line: open the window, or export / update / check / forecast / diff plan workbooks.

Every failure a user can cause ends in a Japanese message and a non-zero exit, never a traceback;
argparse's own texts (usage, errors, help headings) are Japanese too. ``export``, ``check`` and ``forecast``
never load Qt (nor does ``diff``, but for its PDF); ``update`` loads only QtCore, for the edit lock the window also takes (ui/file_lock.py).
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import gc
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

EXIT_OK = 0
EXIT_WARNINGS = 1  # done, but with something a person should look at (formulas, macros, merged or hidden cells)
EXIT_BAD_INPUT = 2
EXIT_UNEXPECTED = 3
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: what `cat` or `grep` report when the reader of their output went away

PROG = "kawasaki-planner"
PLAN_SUFFIXES = (".xlsx", ".xlsm", ".json")  # a first argument ending so is a plan to open, never a subcommand
USAGE_PREFIX = "使い方: "


# --- argparse in Japanese ----------------------------------------------------------------------------------
def _width(text: str) -> int:
    """Columns on a terminal: full-width (Japanese) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


_TOKENS = re.compile(r"[!-~]+|\s+|.")  # ASCII words stay whole; Japanese may break between any two characters
_NO_LINE_START = set("、。,.)」』】〕!?ー")


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for token in _TOKENS.findall(text):
        if token.isspace():
            token = " "
            if not line:
                continue
        if line and _width(line + token) > width and not token.isspace() and token[0] not in _NO_LINE_START:
            lines.append(line.rstrip())
            line = ""
        line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


class _HelpFormatter(argparse.HelpFormatter):
    """Japanese usage prefix; help text wrapped by display width, with the line breaks it was written with."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, USAGE_PREFIX if prefix is None else prefix)

    def _format_action(self, action):
        if isinstance(action, argparse._SubParsersAction):  # one line per subcommand, without a "{…}" line above
            return "".join(self._format_action(choice) for choice in action._get_subactions())
        return super()._format_action(action)

    def _split_lines(self, text, width):
        return [line for paragraph in text.splitlines() for line in _wrap(paragraph, width)]

    def _fill_text(self, text, width, indent):
        return "\n".join(indent + line for paragraph in text.splitlines() for line in _wrap(paragraph, width - len(indent)))


def _unquote(text: str) -> str:
    text = text.strip()
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"" else text


def _listed(text: str) -> str:
    return "".join(f"「{_unquote(item)}」" for item in text.split(", "))


_TYPE_NAMES = {"int": "整数", "float": "数値"}
_MESSAGES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"argument (?P<name>.+?): (?P<rest>.*)$", re.S), lambda m: f"引数 {m['name']}: {_japanese(m['rest'])}"),
    (re.compile(r"the following arguments are required: (?P<names>.+)"), lambda m: f"次の引数を指定してください: {m['names']}"),
    (re.compile(r"unrecognized arguments: (?P<args>.+)"), lambda m: f"解釈できない引数があります: {m['args']}"),
    (re.compile(r"invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)"),
     lambda m: f"「{_unquote(m['value'])}」は選べません(選べるのは{_listed(m['choices'])})"),
    (re.compile(r"unknown parser (?P<value>.+?) \(choices: (?P<choices>.+)\)"),
     lambda m: f"「{_unquote(m['value'])}」は選べません(選べるのは{_listed(m['choices'])})"),
    (re.compile(r"expected one argument"), lambda m: "値を1つ指定してください"),
    (re.compile(r"expected at most one argument"), lambda m: "値は1つまでです"),
    (re.compile(r"expected at least one argument"), lambda m: "値を1つ以上指定してください"),
    (re.compile(r"expected (?P<n>\d+) arguments?"), lambda m: f"値を{m['n']}個指定してください"),
    (re.compile(r"invalid (?P<type>\S+) value: (?P<value>.+)"),
     lambda m: f"「{_unquote(m['value'])}」は{_TYPE_NAMES.get(m['type'], m['type'])}として読めません"),
    (re.compile(r"ambiguous option: (?P<option>\S+) could match (?P<matches>.+)"),
     lambda m: f"オプション {m['option']} は複数に当てはまります({m['matches']})"),
    (re.compile(r"not allowed with argument (?P<other>.+)"), lambda m: f"引数 {m['other']} と同時には指定できません"),
    (re.compile(r"ignored explicit argument (?P<value>.+)"), lambda m: f"値「{_unquote(m['value'])}」は指定できません"),
    (re.compile(r"one of the arguments (?P<names>.+) is required"), lambda m: f"{m['names']} のどれかを指定してください"),
    (re.compile(r"unexpected option string: (?P<option>.+)"), lambda m: f"オプション {m['option']} はここでは使えません"),
]


def _japanese(message: str) -> str:
    """argparse's English error message in Japanese (an unknown one is kept as it is)."""
    for pattern, render in _MESSAGES:
        match = pattern.fullmatch(message.strip())
        if match:
            return render(match)
    return message


class _Parser(argparse.ArgumentParser):
    """argparse with Japanese headings, -h line and errors; ``error`` prints the usage and one Japanese line."""

    def __init__(self, *args, help_action: str | type[argparse.Action] = "help", **kwargs):
        kwargs.setdefault("formatter_class", _HelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置引数"
        self._optionals.title = "オプション"
        self.add_argument("-h", "--help", action=help_action, default=argparse.SUPPRESS, help="このヘルプを表示して終了")

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: エラー: {_japanese(message)}\n")


# --- the parsers -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Subcommand:
    name: str
    help: str
    arguments: Callable[[argparse.ArgumentParser], None]


def _export_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("plan", metavar="PLAN.xlsx", nargs="+",
                        help="計画ブック。複数を指定すると、先頭に列 plan(計画名)を加えた1つの表にまとめます")
    _scenario_argument(parser, "第5節の見込みをこのシナリオで出力(省略時は採用のシナリオ)")
    parser.add_argument("--format", choices=("csv", "json"), default="csv", help="出力の形式(既定: csv)")
    parser.add_argument("-o", "--output", metavar="FILE",
                        help="出力先(省略時は標準出力)。CSV は Excel でそのまま開ける UTF-8(BOM 付き)、改行 CRLF")


def _update_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("plan", metavar="PLAN.xlsx", help="更新する計画ブック")
    parser.add_argument("figures", metavar="FIGURES.csv",
                        help="export と同じ列(section, indicator, fiscal_year, kind と text または value, unit)の CSV")
    parser.add_argument("-o", "--output", metavar="OUT.xlsx", help="更新した計画の保存先(省略時は PLAN.xlsx に上書き保存)")


def _report_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("plan", metavar="PLAN.xlsx", help="計画ブック")
    parser.add_argument("--year", metavar="YEAR",
                        help="対象の年度(2025、R7 など。省略時は実績が入力された最新の年度)")
    parser.add_argument("-o", "--output", metavar="OUT.pdf", required=True,
                        help="出力先。拡張子で形式が決まります: .pdf(PDF、A4横)または .xlsx(Excel の評価シート)")
def _diff_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", metavar="OLD.xlsx", help="改定前の計画ブック")
    parser.add_argument("new", metavar="NEW.xlsx", help="改定後の計画ブック")
    parser.add_argument("--format", choices=DIFF_FORMATS, default="text",
                        help="出力の形式(既定: text)。xlsx と pdf は新旧対照表で、-o が必要です")
    parser.add_argument("-o", "--output", metavar="FILE",
                        help="出力先(text/csv/json は省略時に標準出力)。CSV は export と同じ UTF-8(BOM 付き)、改行 CRLF")
    parser.add_argument("--computed", action="store_true",
                        help="計算で求める数値(第5節の見込み、第8節の必要数)の変化も含める(既定: 入力した数値の変化のみ)")


DIFF_FORMATS = ("text", "csv", "json", "xlsx", "pdf")


def _plan_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("plan", metavar="PLAN.xlsx", help="計画ブック")


def _scenario_argument(parser, help: str) -> None:
    parser.add_argument("--scenario", metavar="NAME", help=help)


def _forecast_arguments(parser: argparse.ArgumentParser) -> None:
    _plan_argument(parser)
    which = parser.add_mutually_exclusive_group()
    _scenario_argument(which, "このシナリオの見込みを表示(省略時は採用のシナリオ)")
    which.add_argument("--all", action="store_true", help="すべてのシナリオの主な行を並べて表示")


SUBCOMMANDS: dict[str, Subcommand] = {
    c.name: c
    for c in (
        Subcommand("export", "計画の全数値を1行1数値の表(CSV/JSON)で出力", _export_arguments),
        Subcommand("update", "CSV(export と同じ列)の数値を計画ブックに反映して保存", _update_arguments),
        Subcommand("check", "ブックを検査し、保存値と再計算値の食い違いを一覧", _plan_argument),
        Subcommand("forecast", "第5節の見込み(再計算)を表示", _forecast_arguments),
        Subcommand("report", "年度の点検・評価結果報告書を PDF または Excel で出力", _report_arguments),
        Subcommand("diff", "2つの計画ブックを比べて相違(新旧対照表)を出力。同じなら終了コード 0、相違があれば 1",
                   _diff_arguments),
    )
}

DESCRIPTION = (
    "川崎市社会的養育推進計画の指標と見込みを扱います。\n"
    "サブコマンドを付けずに起動すると、計画をウィンドウで開きます。"
)
TOP_USAGE = (
    "%(prog)s [PLAN.xlsx] [--screenshot OUT.png [--tab N]] [--self-test]\n"
    "        %(prog)s <サブコマンド> ...(例: %(prog)s export -h)"
)


def _window_arguments(parser: argparse.ArgumentParser, plan: str = "plan") -> None:
    parser.add_argument(plan, nargs="?", metavar="PLAN.xlsx",
                        help="ウィンドウで開く計画ブック(省略時は最近使った計画、なければ同梱の計画)")
    parser.add_argument("--screenshot", metavar="OUT.png", help="ウィンドウを描画してPNGに保存し終了")
    parser.add_argument("--tab", metavar="N", type=int, default=None, help="--screenshot で表示するタブ番号(0から)")
    parser.add_argument("--self-test", action="store_true", help="同梱の計画で読込・再計算・保存・再読込を確認")


def _command_parser() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The subcommands' parser and each subcommand's own; the first is also what ``--help`` prints."""
    parser = _Parser(prog=PROG, usage=TOP_USAGE, description=DESCRIPTION)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser, title="サブコマンド",
                                     metavar="<サブコマンド>",
                                     description=f"詳しくは「{PROG} <サブコマンド> -h」で表示します")
    parsers = {}
    for command in SUBCOMMANDS.values():
        parsers[command.name] = commands.add_parser(command.name, prog=f"{PROG} {command.name}", help=command.help,
                                                    description=command.help)
        command.arguments(parsers[command.name])
    # After the subcommands, which take every argument that follows them: shown in --help, never parsed here
    # (and under another name, so that the subcommand's own PLAN.xlsx is not overwritten with None).
    _window_arguments(parser, plan="window_plan")
    return parser, parsers


def _parse_command(args: list[str]) -> argparse.Namespace:
    parser, parsers = _command_parser()
    ns, extra = parser.parse_known_args(args)
    if extra:  # reported by the subcommand's parser, with its usage
        parsers[ns.command].error(f"解釈できない引数があります: {' '.join(extra)}")
    return ns


class _TopHelp(argparse.Action):
    """-h without a subcommand: the overview (subcommands and the window's arguments), as ``_command_parser``."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest, nargs=0, default=default, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        _command_parser()[0].print_help()
        parser.exit()


def _gui_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, usage=TOP_USAGE, description=DESCRIPTION, help_action=_TopHelp)
    _window_arguments(parser)
    return parser


def _is_plan_path(token: str) -> bool:
    return token.lower().endswith(PLAN_SUFFIXES) or Path(token).is_file()


def _not_a_subcommand(token: str) -> str:
    names = list(SUBCOMMANDS)
    close = difflib.get_close_matches(token.lower(), names, n=1, cutoff=0.6)
    hint = f"「{close[0]}」のことですか?" if close else f"サブコマンドは {' / '.join(names)} です。"
    return (
        f"{PROG}: エラー: サブコマンド「{token}」はありません。{hint}\n"
        f"(計画をウィンドウで開くときは、ファイル名を拡張子 .xlsx まで指定してください。一覧: {PROG} --help)\n"
    )


# --- main ----------------------------------------------------------------------------------------------------------
def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    _utf8_streams()
    try:
        return _dispatch(args)
    except SystemExit as done:  # argparse: --help, or a usage error already reported in Japanese
        return done.code if isinstance(done.code, int) else (EXIT_OK if done.code is None else EXIT_BAD_INPUT)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `kawasaki-planner export plan.xlsx | head -1`: the reader has all it wanted
        _discard_stdout()
        return EXIT_BROKEN_PIPE
    except Exception as exc:  # the last guard: a user never sees a traceback
        from .io.errors import PlanFormatError

        if isinstance(exc, PlanFormatError):
            print(f"エラー: {exc}", file=sys.stderr)
            return EXIT_BAD_INPUT
        if isinstance(exc, FileNotFoundError):
            print(f"エラー: ファイル「{exc.filename}」が見つかりません", file=sys.stderr)
            return EXIT_BAD_INPUT
        if isinstance(exc, OSError):
            print(f"エラー: ファイルを読み書きできません: {exc.strerror or exc} ({exc.filename or ''})", file=sys.stderr)
            return EXIT_BAD_INPUT
        print(f"予期しないエラーが発生しました: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_UNEXPECTED


def _dispatch(args: list[str]) -> int:
    if args and args[0] in SUBCOMMANDS:
        return _run_command(_parse_command(args))
    if args and not args[0].startswith("-") and not _is_plan_path(args[0]):
        sys.stderr.write(_not_a_subcommand(args[0]))
        return EXIT_BAD_INPUT
    return _run_gui(_gui_parser().parse_args(args))


def _utf8_streams() -> None:
    """Japanese output must not fail on a console whose code page cannot encode it."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="replace")


def _discard_stdout() -> None:
    """After a broken pipe: what is still buffered goes nowhere, so the exit adds no second error."""
    with contextlib.suppress(AttributeError, ValueError, OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _write_stdout(text: str, fmt: str) -> None:
    """Export text on standard output: bytes as in a file (CSV: BOM, CRLF) unless it is a terminal."""
    stream = sys.stdout
    if stream is None:  # a windowed build without a console
        return
    buffer = getattr(stream, "buffer", None)
    tty = bool(getattr(stream, "isatty", lambda: False)())
    if buffer is None or tty:
        stream.write(text.replace("\r\n", "\n") if tty else text)
        stream.flush()
        return
    stream.flush()
    buffer.write((("\ufeff" if fmt == "csv" else "") + text).encode("utf-8"))
    buffer.flush()


def _run_command(ns: argparse.Namespace) -> int:
    if ns.command == "update":
        return _update(ns)
    if ns.command == "report":
        return _report(ns)
    if ns.command == "diff":
        return _diff(ns)
    from .io.workbook import load_plan

    if ns.command == "export":
        return _export(ns)
    plan = load_plan(ns.plan)
    if ns.command == "check":
        return _check(plan, ns.plan)
    from .core.report import forecast_text

    if ns.all:
        from .core.scenario_report import comparison_text

        print(comparison_text(plan), flush=True)
        return _warned([(ns.plan, plan)])
    if ns.scenario is not None:
        if not _adopt_for_output(plan, ns.scenario, ns.plan):
            return EXIT_BAD_INPUT
        print(f"■推計シナリオ「{ns.scenario.strip()}」", flush=True)
    print(forecast_text(plan), flush=True)
    return _warned([(ns.plan, plan)])


def _warned(loaded: Sequence[tuple[str, object]]) -> int:
    """The load warnings of what an output command read, on standard error (standard output is its data, which is
    complete): EXIT_WARNINGS when there were any, as ``check`` gives."""
    warned = False
    for path, plan in loaded:
        for warning in plan.load_warnings:
            print(f"注意: {Path(path).name}: {warning}", file=sys.stderr)
            warned = True
    return EXIT_WARNINGS if warned else EXIT_OK


def _export(ns: argparse.Namespace) -> int:
    from .io.workbook import load_plan

    plans = [load_plan(path) for path in ns.plan]
    if ns.scenario is not None:
        for plan, path in zip(plans, ns.plan, strict=True):
            if not _adopt_for_output(plan, ns.scenario, path):
                return EXIT_BAD_INPUT
    if len(plans) == 1:
        from .io.tidy import write_export

        text = write_export(plans[0], ns.format, ns.output)
    else:
        from .io.multi_export import write_combined

        text = write_combined(plans, ns.plan, ns.format, ns.output)
    if text is not None:
        _write_stdout(text, ns.format)
    return _warned(list(zip(ns.plan, plans, strict=True)))


def _adopt_for_output(plan, name: str, path: str) -> bool:
    """Output ``plan`` as if scenario ``name`` were adopted (the workbook is not changed); False after the error."""
    from .core import scenarios

    scenario = scenarios.by_name(plan, name)
    if scenario is None:
        names = "".join(f"「{s.name}」" for s in plan.scenarios)
        print(f"エラー: 「{Path(path).name}」にシナリオ「{name.strip()}」はありません(あるシナリオ: {names})", file=sys.stderr)
        return False
    scenarios.adopt(plan, scenario.id)
    return True


def _check(plan, path: str) -> int:
    from .core.consistency import check_plan
    from .io.tidy import tidy_rows

    figures = sum(1 for _ in tidy_rows(plan))
    indicators = sum(len(s.indicators) for s in plan.sections)
    print(f"{path}: {plan.title}")
    print(f"  節 {len(plan.sections)} / 指標 {indicators} / 数値 {figures} / 年度 {plan.years[0]}–{plan.years[-1]}")
    _print_warnings(plan.load_warnings)
    findings = check_plan(plan)
    if not findings:
        print("  保存値と再計算値の食い違い: なし")
    else:
        print(f"  保存値と再計算値の食い違い: {len(findings)} 件")
        for finding in findings:
            print(f"  - {finding.message}")
    sys.stdout.flush()
    return EXIT_WARNINGS if plan.load_warnings else EXIT_OK


def _print_warnings(warnings: Sequence[str]) -> None:
    for warning in warnings:
        print(f"  注意: {warning}")


# --- report ----------------------------------------------------------------------------------------------------------
def _report(ns: argparse.Namespace) -> int:
    """The 点検・評価結果報告書 of a year, as PDF (drawn with Qt, offscreen when there is no display) or .xlsx."""
    from .core.evaluation_report import ReportYearError, build_report, check_report_year, overwrites_plan, report_format
    from .core.fiscal import parse_year_label
    from .core.plan_evaluation import latest_year_with_actuals
    from .io.errors import SaveError
    from .io.workbook import load_plan

    fmt = report_format(ns.output)
    if fmt is None:
        print(f"エラー: 出力先「{Path(ns.output).name}」の拡張子は .pdf(PDF)か .xlsx(Excel)にしてください", file=sys.stderr)
        return EXIT_BAD_INPUT
    if overwrites_plan(ns.output, ns.plan):
        print(f"エラー: 出力先「{Path(ns.output).name}」は計画ブックそのものです。報告書は別のファイル名で出力してください",
              file=sys.stderr)
        return EXIT_BAD_INPUT
    year = None
    if ns.year is not None:
        year = parse_year_label(ns.year) or parse_year_label(ns.year.strip() + "年度")  # 「R7」 as 「R7年度」
        if year is None:
            print(f"エラー: 「{ns.year}」は年度として読めません(例: 2025、R7)", file=sys.stderr)
            return EXIT_BAD_INPUT
    plan = load_plan(ns.plan)
    try:
        year = check_report_year(plan, latest_year_with_actuals(plan) if year is None else year)
    except ReportYearError as error:
        print(f"エラー: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    report = build_report(plan, year)
    try:
        if fmt == "xlsx":
            from .io.report_xlsx import write_report_xlsx

            write_report_xlsx(report, ns.output)
            done = "Excel"
        else:
            from .ui.report.pdf import ensure_gui_application, write_report_pdf

            if not ensure_gui_application():
                print("エラー: PDF を作成できません(Qt の描画機能を初期化できません)", file=sys.stderr)
                return EXIT_UNEXPECTED

            done = f"PDF、{write_report_pdf(report, ns.output)} ページ"
    except SaveError as error:
        print(f"エラー: 報告書を「{ns.output}」に書き込めません: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"{report.title}({done}、指標 {len(report.rows)})を {ns.output} に出力しました")
    _print_warnings(plan.load_warnings)
    return EXIT_WARNINGS if plan.load_warnings else EXIT_OK


# --- diff ----------------------------------------------------------------------------------------------------------
def _load_for_diff(path: str):
    if path.lower().endswith(".json"):
        from .io.source import load_source

        return load_source(path)
    from .io.workbook import load_plan

    return load_plan(path)


def _diff(ns: argparse.Namespace) -> int:
    """Exit 0 when the plans are the same, 1 when they differ, 2 when a file is refused (as ``diff`` does)."""
    if ns.format in ("xlsx", "pdf") and not ns.output:
        print(f"エラー: --format {ns.format} では -o で出力先のファイルを指定してください"
              f"(例: -o 新旧対照表.{ns.format})", file=sys.stderr)
        return EXIT_BAD_INPUT
    from .core.compare import compare_plans

    old, new = _load_for_diff(ns.old), _load_for_diff(ns.new)
    _warned([(ns.old, old), (ns.new, new)])  # diff's exit code says whether the plans differ
    differences = compare_plans(old, new, computed=ns.computed)
    old_name, new_name = Path(ns.old).name, Path(ns.new).name
    if ns.format == "text":
        from .io.compare_export import to_text

        text = to_text(differences, old_name, new_name)
        if ns.output:
            Path(ns.output).write_text(text, encoding="utf-8")
        else:
            _write_stdout(text, "text")
    elif ns.format in ("csv", "json"):
        from .io.compare_export import write_table

        text = write_table(differences, ns.format, ns.output)
        if text is not None:
            _write_stdout(text, ns.format)
    elif ns.format == "xlsx":
        from .io.compare_xlsx import write_comparison_xlsx

        write_comparison_xlsx(differences, ns.output, old_name, new_name, new.title)
    else:
        try:
            from .ui.compare_pdf import write_comparison_pdf
        except ImportError as exc:
            print(f"エラー: PDF を作成できません(Qt を読み込めません): {exc}", file=sys.stderr)
            return EXIT_UNEXPECTED
        write_comparison_pdf(differences, ns.output, old_name, new_name, new.title)
    return EXIT_WARNINGS if differences else EXIT_OK


# --- update ----------------------------------------------------------------------------------------------------------
def _update(ns: argparse.Namespace) -> int:
    """Apply the CSV's figures; all rows are checked first, and the workbook is written only if every one is fine."""
    from .core.values import FigureError
    from .io.errors import SaveError, SaveLockedError
    from .io.update import UpdateError, figure_lines, findings_before, new_findings, plan_changes, read_figures_csv
    from .io.workbook import load_plan, save_plan

    source, target = Path(ns.plan), Path(ns.output or ns.plan)
    refusal = _update_target_refusal(source, target, bool(ns.output))
    if refusal:
        print(f"エラー: {refusal}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        rows = read_figures_csv(ns.figures)
    except UpdateError as error:
        print(f"エラー: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    lock, notices = _lock_for_update(target)
    if lock is None:
        print(f"エラー: {notices[0]}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        plan = load_plan(source)  # read under the lock: nobody can save over it between reading and writing
        changes, problems = plan_changes(plan, rows)
        if problems:
            print(f"エラー: CSV「{Path(ns.figures).name}」の {len(problems)} 行を反映できません。"
                  f"計画ブックは書き換えていません:", file=sys.stderr)
            for problem in problems:
                print(f"  {problem}", file=sys.stderr)
            return EXIT_BAD_INPUT
        warnings = [*plan.load_warnings, *notices]
        unchanged = len(rows) - len(changes)
        if not changes and target == source:
            print(f"変更する数値はありません(変更なし {unchanged} 件)。{target} は書き換えていません")
            _print_warnings(warnings)
            return EXIT_WARNINGS if warnings else EXIT_OK
        before = findings_before(plan)
        plan.set_figures(changes)  # validated again as a whole (the rows were validated one by one)
        warnings += new_findings(plan, before, figure_lines(plan, rows))
        try:
            warnings += save_plan(plan, target)
        except SaveLockedError:
            print(f"エラー: 「{target}」に保存できません。ほかのプログラム(Excel など)で開かれているか、読み取り専用です。"
                  f"閉じてからもう一度実行するか、-o で別のファイルに保存してください", file=sys.stderr)
            return EXIT_BAD_INPUT
        except SaveError as error:
            print(f"エラー: 保存できませんでした(元のファイルはそのままです): {error}", file=sys.stderr)
            return EXIT_BAD_INPUT
        if changes:
            print(f"{len(changes)} 件の数値を更新しました(変更なし {unchanged} 件)→ {target}")
        else:  # -o asks for the file: it is written even when no figure changes
            print(f"変更する数値はありません(変更なし {unchanged} 件)。計画をそのまま {target} に保存しました")
        _print_warnings(warnings)
        return EXIT_WARNINGS if warnings else EXIT_OK
    except FigureError as error:
        print(f"エラー: 数値を反映できません。計画ブックは書き換えていません: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    finally:
        lock.release()
        lock.deleteLater()


def _update_target_refusal(source: Path, target: Path, elsewhere: bool) -> str:
    """Why ``update`` will not write ``target`` (empty: it will). The plan is saved as an .xlsx workbook only."""
    if target.suffix.lower() == ".xlsx":
        return ""
    if elsewhere:
        return f"-o の保存先「{target.name}」は .xlsx にしてください(計画は Excel ブック .xlsx として保存します)"
    if source.suffix.lower() == ".xlsm":
        return f"マクロ有効ブック「{source.name}」には上書きしません(マクロは保存されません)。-o OUT.xlsx で保存先を指定してください"
    return f"更新する計画「{source.name}」が .xlsx ブックではありません(使い方: {PROG} update PLAN.xlsx FIGURES.csv [-o OUT.xlsx])"


def _lock_for_update(target: Path):
    """(the PlanLock of ``target``, notices) — or (None, [why not]) when someone else edits it.

    The same lock the window takes when it opens the workbook, so neither writes over the other's work.
    """
    try:
        from PySide6.QtCore import QCoreApplication

        from .ui import safety_strings as SS
        from .ui.file_lock import PlanLock
    except ImportError as exc:
        return None, [f"編集中かどうかを確かめられないため更新できません(Qt を読み込めません: {exc})"]
    if QCoreApplication.instance() is None:  # the lock's heartbeat timer needs one (no window, no display)
        _qt_core.append(QCoreApplication([PROG]))
    lock = PlanLock(target)
    result = lock.acquire()
    if result.held:
        lock.deleteLater()
        return None, [
            f"「{target.name}」は {result.holder_text} が編集中のため更新できません。"
            f"編集が終わってからもう一度実行するか、-o で別のファイルに保存してください"
        ]
    if result.ok:
        return lock, []
    return lock, [SS.LOCK_UNAVAILABLE]


_qt_core: list = []  # the QCoreApplication of an `update` run, kept for the rest of the process


def _import_window_modules():
    """The window's modules, imported with the cycle collector paused, then frozen out of its view (gc.freeze).

    Qt's, numpy's, openpyxl's and the app's modules leave some 80,000 objects the collector tracks, all living as
    long as the process, and it walked every one at each full collection. From here to the drawn window with the
    sample open that was 50–75 ms of collections (gc.callbacks, 2 cores; 20–48 ms of it the first full collection,
    while the plan was read), a tenth of the start-up; with them frozen, 4–5 ms. Frozen, they are left out of every
    later collection too, which shortens those a save of a large plan makes; what the plan and the window allocate
    is collected as usual. This is the application's start, never a library call: a process that has already
    imported the window (a test run) is left as it is.
    """
    if "kawasaki_planner.ui.app" in sys.modules:
        from .ui import app

        return app
    gc.disable()
    try:
        from .ui import app
    finally:
        gc.freeze()
        gc.enable()
    return app


# --- the window ----------------------------------------------------------------------------------------------------
def _run_gui(ns: argparse.Namespace) -> int:
    if ns.self_test:
        from .selftest import run_self_test

        return run_self_test()
    try:
        app = _import_window_modules()
    except ImportError as exc:
        print(f"画面を起動できません(Qtを読み込めません): {exc}", file=sys.stderr)
        return EXIT_UNEXPECTED
    if ns.screenshot:
        if not ns.plan:
            print("エラー: --screenshot には計画ブックを指定してください", file=sys.stderr)
            return EXIT_BAD_INPUT
        return app.take_screenshot(ns.plan, ns.screenshot, ns.tab)
    return app.run_gui(ns.plan)
