"""Figures from a CSV in the tidy export's contract, checked against a plan (`kawasaki-planner update`).

The CSV is the export's own (:mod:`.tidy`), edited in Excel or written by another tool::

    section,indicator,fiscal_year,kind,value,unit,text

``section``, ``indicator`` (the label as the export prints it; in section 5 ``fc.printed_label``),
``fiscal_year`` (the Western year the fiscal year starts) and ``kind`` (plan / actual) name the figure; ``text``
is the new figure as a person types it (「1,000人」「0.144%」「1回以上」「-」), read exactly as the window reads
typed input (``Plan.prepare``); without ``text``, ``value`` (a plain number: ``0.144`` for 0.144 %) in the row's
``unit`` replaces the number and keeps the figure's printed dressing (以上, a note such as 試行実施).

Accepted: UTF-8 with or without BOM, Excel's Japanese 「CSV」 (cp932 / Shift_JIS), UTF-16 with BOM (Excel's
「Unicode テキスト」, tab-separated); CRLF or LF; columns in any order; extra columns ignored; empty lines (and
Excel's lines of bare commas) skipped. A text the export prefixed with ``'`` (so Excel never runs it as a
formula) is read without the quote.

:func:`plan_changes` checks every row before anything is changed and says what is wrong with each refused
row, naming its line (「3行目: 指標「…」は節2にありません」). Rows for computed figures (section 5's derived rows,
which the export includes) are accepted only while they agree with the plan's current computation, so an
export read back unchanged is a no-op. Once applied, :func:`new_findings` names the unlikely figures the update
brought (warnings, as ``check`` gives them). No Qt here.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..core import forecast as fc
from ..core.plan import FORECAST_SECTION, KINDS, FigureRef, Plan
from ..core.plausibility import plan_findings
from ..core.values import UNIT_SYNONYMS, Figure, FigureError, conform, normalize_text, parse_figure
from .book_source import BookSource
from .cells import FORMULA_STARTS
from .findings import located

KEY_COLUMNS = ("section", "indicator", "fiscal_year", "kind")
VALUE_COLUMNS = ("text", "value")
ALL_COLUMNS = (*KEY_COLUMNS, "value", "unit", "text")
MAX_BYTES = 50 * 1024 * 1024  # a plan of 10,000 indicators exports to about 15 MB

_PLAIN_NUMBER = re.compile(r"^(?P<sign>[-+]?)(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?$")


class UpdateError(ValueError):
    """The CSV as a whole cannot be read (encoding, columns, size); ``str()`` is a Japanese message."""


@dataclass(frozen=True)
class Row:
    """One data line of the CSV, as written (surrounding spaces removed, the export's formula quote undone)."""

    line: int  # the line of the file where the row starts (the header is line 1)
    section: str
    indicator: str
    fiscal_year: str
    kind: str
    value: str = ""
    unit: str = ""
    text: str = ""


# --- reading -------------------------------------------------------------------------------------------
def read_figures_csv(path: str | Path) -> list[Row]:
    """The data rows of the CSV at ``path``; raises UpdateError (Japanese) or OSError."""
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise UpdateError(f"CSV「{path.name}」が大きすぎます({size // (1024 * 1024)} MB、上限 {MAX_BYTES // (1024 * 1024)} MB)")
    return parse_figures_csv(path.read_bytes(), path.name)


def parse_figures_csv(data: bytes, name: str = "CSV") -> list[Row]:
    text = _decode(data, name)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        while header is not None and not any(cell.strip() for cell in header):
            header = next(reader, None)
        if header is None:
            raise UpdateError(f"CSV「{name}」にデータがありません(見出しの行もありません)")
        columns = _columns(header, name)
        rows: list[Row] = []
        start = reader.line_num + 1
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            values = {column: _cell(cells, index) for column, index in columns.items()}
            rows.append(Row(line=line, **values))
    except csv.Error as exc:
        raise UpdateError(f"CSV「{name}」の {reader.line_num}行目を読めません: {exc}") from exc
    return rows


def _decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    elif data.startswith(b"\xef\xbb\xbf"):
        encodings = ("utf-8-sig",)
    else:
        encodings = ("utf-8", "cp932")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "cp932" and any("\ue000" <= ch <= "\uf8ff" for ch in text):
            break  # cp932 decodes almost any bytes; private-use characters mean it was something else
        return text
    raise UpdateError(
        f"CSV「{name}」の文字コードを判別できません。UTF-8 か、Excel の「CSV (コンマ区切り)」(Shift_JIS)で保存してください"
    )


def _columns(header: list[str], name: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        column = normalize_text(cell.replace("\ufeff", "")).lower()
        if column not in ALL_COLUMNS:
            continue  # extra columns (a note, a check mark) are the user's own
        if column in found:
            raise UpdateError(f"CSV「{name}」の見出しに列「{column}」が2つあります")
        found[column] = index
    missing = [c for c in KEY_COLUMNS if c not in found]
    if not any(c in found for c in VALUE_COLUMNS):
        missing.append("text または value")
    if missing:
        raise UpdateError(
            f"CSV「{name}」に必要な列がありません: {', '.join(missing)}"
            f"(1行目の見出しに section, indicator, fiscal_year, kind と、text または value(と unit)が必要です。"
            f"見出しは export の出力と同じ英語の列名です)"
        )
    return found


def _cell(cells: list[str], index: int) -> str:
    text = cells[index].strip() if index < len(cells) else ""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]  # the export's guard against Excel formulas (tidy._neutralise), undone
    return text


# --- checking --------------------------------------------------------------------------------------------
def plan_changes(plan: Plan, rows: list[Row]) -> tuple[list[tuple[FigureRef, Figure]], list[str]]:
    """(the figures that would change, in CSV order; the problems, one Japanese line per refused row).

    Nothing may be applied when ``problems`` is not empty. Rows that give a figure its current value are
    neither a change nor a problem; neither are rows of computed figures that agree with the computation.
    """
    labels = _Labels(plan)
    changes: list[tuple[FigureRef, Figure]] = []
    problems: list[str] = []
    seen: dict[FigureRef, int] = {}
    for row in rows:
        try:
            ref = labels.ref(row)
            earlier = seen.get(ref)
            if earlier is not None:
                raise _Refused(f"{earlier}行目と同じ数値({plan.figure_name(ref)})を重ねて指定しています")
            seen[ref] = row.line
            figure = _figure(plan, ref, row)
        except _Refused as refused:
            problems.append(f"{row.line}行目: {refused}")
            continue
        if figure is not None:
            changes.append((ref, figure))
    return changes, problems


def figure_lines(plan: Plan, rows: list[Row]) -> dict[FigureRef, int]:
    """The CSV line that names each figure (a row that names none is left out)."""
    labels = _Labels(plan)
    lines: dict[FigureRef, int] = {}
    for row in rows:
        try:
            lines.setdefault(labels.ref(row), row.line)
        except _Refused:
            continue
    return lines


def findings_before(plan: Plan) -> set[tuple[FigureRef, str]]:
    """The plan's findings as loaded (said with the load's warnings), to tell the ones an update brings."""
    return {(ref, finding.message) for ref, finding in plan_findings(plan)}


def new_findings(plan: Plan, before: set[tuple[FigureRef, str]], lines: dict[FigureRef, int]) -> list[str]:
    """What the applied figures made unlikely (a 措置率 above 1 %, shares not adding up …), each at its cell: a
    figure from the CSV names its line, a figure computed from them is marked 「計算値」. These are warnings, as in ``check``:
    the planner may know better (impossible figures were refused before anything was applied)."""
    source = plan.source if isinstance(plan.source, BookSource) else None
    out = []
    for ref, finding in plan_findings(plan):
        if (ref, finding.message) in before:
            continue
        text = str(located(plan, source, ref, finding))
        line = lines.get(ref)
        out.append(f"{line}行目: {text}" if line is not None else f"計算値: {text}")
    return out


class _Refused(Exception):
    pass


class _Labels:
    """Section numbers and printed labels → the plan's rows (indicator id, or section 5's row key)."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.rows: dict[int, dict[str, str]] = {}
        for section in plan.sections:
            rows: dict[str, str] = {}
            if section.number == FORECAST_SECTION:
                rows.update({fc.printed_label(spec): spec.key for spec in (*fc.FORECAST_ROWS, *fc.AGE_ROWS)})
            rows.update({indicator.label: indicator.id for indicator in section.indicators})
            self.rows[section.number] = rows
        self.folded = {n: {normalize_text(label): label for label in rows} for n, rows in self.rows.items()}

    def ref(self, row: Row) -> FigureRef:
        section = self._section(row.section)
        rows = self.rows[section]
        label = row.indicator if row.indicator in rows else self.folded[section].get(normalize_text(row.indicator))
        if label is None:
            if not row.indicator:
                raise _Refused("indicator(指標名)が空です")
            close = difflib.get_close_matches(row.indicator, list(rows), n=1, cutoff=0.6)
            hint = f"(「{close[0]}」のことですか?)" if close else ""
            raise _Refused(f"指標「{row.indicator}」は節{section}にありません{hint}")
        year = self._year(row.fiscal_year)
        kind = row.kind.strip().lower()
        if kind not in KINDS:
            raise _Refused(f"kind「{row.kind}」は plan(目標・見込み)か actual(実績)で指定してください")
        return FigureRef(section, rows[label], year, kind)

    def _section(self, text: str) -> int:
        folded = normalize_text(text)
        if not folded:
            raise _Refused("section(節の番号)が空です")
        if not folded.isdigit():
            raise _Refused(f"section「{text}」は節の番号(2〜7 の数字)として読めません")
        number = int(folded)
        if number not in self.rows:
            numbers = ", ".join(str(n) for n, rows in self.rows.items() if rows)
            raise _Refused(f"節{number}はこの計画にありません(数値のある節は {numbers})")
        return number

    def _year(self, text: str) -> int:
        folded = normalize_text(text)
        years = self.plan.years
        if not folded:
            raise _Refused("fiscal_year(年度)が空です")
        if not folded.isdigit():
            raise _Refused(f"fiscal_year「{text}」は年度(年度が始まる西暦の年、例: 2026)として読めません")
        year = int(folded)
        if year not in years:
            raise _Refused(f"{year}年度はこの計画の年度({years[0]}〜{years[-1]})にありません")
        return year


def _figure(plan: Plan, ref: FigureRef, row: Row) -> Figure | None:
    """The figure the row asks for at ``ref``; None when it is the plan's figure already."""
    unit, print_unit = plan.row_unit(ref)
    if row.unit:
        given = _unit(row.unit)
        if given != unit:
            expected = f"「{unit}」" if unit else "なし"
            raise _Refused(f"unit「{row.unit}」は{plan.figure_name(ref)}の単位({expected})と異なります")
    if not row.text and not row.value:
        raise _Refused("text と value がどちらも空です(新しい数値をどちらかに書いてください)")
    current = plan.figure(ref)
    number = _number(row.value) if row.value else None
    if row.text:
        figure = _target(plan, ref, row.text)
        if number is not None and figure.number != number[0]:
            # Edited in one column only: which one the planner meant cannot be guessed.
            raise _Refused(
                f"text「{row.text}」と value「{row.value}」が食い違っています"
                f"(片方だけを直したときは、もう片方を空にしてください)"
            )
    else:
        value, decimals = number
        base = current if current.has_value else Figure(unit=unit, unit_printed=print_unit and bool(unit))
        figure = _target(plan, ref, base.with_number(value, decimals))
    if not plan.is_input(ref):
        # The export lists computed figures too: one that agrees with the computation changes nothing. By number:
        # Excel saves 「0.160%」 as 「0.16%」.
        if figure.number is not None and figure.number == current.number:
            return None
        raise _Refused(f"{plan.figure_name(ref)}は計算で求める値のため更新できません(入力値から再計算されます)")
    return None if figure == current else figure


def _target(plan: Plan, ref: FigureRef, value: str | Figure) -> Figure:
    """``value`` as the figure it would become at ``ref``, read exactly as typed input is (Plan.prepare)."""
    if not plan.is_input(ref):
        unit, print_unit = plan.row_unit(ref)
        try:
            return conform(value if isinstance(value, Figure) else parse_figure(value), unit, print_unit)
        except FigureError as error:
            raise _Refused(f"{plan.figure_name(ref)}は計算で求める値のため更新できません(入力値から再計算されます)") from error
    try:
        return plan.prepare(ref, value)
    except FigureError as error:
        raise _Refused(f"{plan.figure_name(ref)}: {error}") from error


def _unit(text: str) -> str:
    folded = normalize_text(text)
    for variant, unit in UNIT_SYNONYMS.items():
        folded = folded.replace(variant, unit)
    return folded


def _number(text: str) -> tuple[Decimal, int]:
    """A plain number as the export writes it (``0.144``, ``241047``; Excel's ``241,047`` too) and its decimals."""
    folded = normalize_text(text).replace(" ", "")
    match = _PLAIN_NUMBER.match(folded)
    if not match:
        raise _Refused(f"value「{text}」は数値として読めません(半角の数字で書いてください。例: 241047、0.144)")
    digits = match.group("int").replace(",", "") + ("." + match.group("frac") if match.group("frac") else "")
    try:
        number = Decimal(digits)
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only digits
        raise _Refused(f"value「{text}」は数値として読めません") from exc
    if match.group("sign") == "-":
        number = -number
    return number, len(match.group("frac") or "")


__all__ = ["Row", "UpdateError", "parse_figures_csv", "plan_changes", "read_figures_csv"]
