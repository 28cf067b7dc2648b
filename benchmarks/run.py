"""Kawasaki Planner benchmarks: prints a table and writes benchmarks/results.md.

    .venv/bin/python benchmarks/run.py            (about 10 minutes on 2 cores; --quick for a rough pass)

Every figure is the median of repeated runs; where there is a natural baseline it is measured in the same run
and the figure is also given as a ratio to it. GUI figures run offscreen (QT_QPA_PLATFORM=offscreen) in child
processes of this script, so each start-up is a fresh interpreter. Nothing here is a test: no figure fails a
build; budgets are reported as met or not, with a profile where one is not.

Parts (``--only``): ``startup`` and ``io`` on the published sample (start-up against a bare window, opening against
pandas.read_excel — pandas is a baseline here, the app does not use it); ``edits`` and ``large`` on the realistic
plan of benchmarks/plans.py (600 indicators over the 策定要領's 12 items, R2–R16), which carries the budgets for
opening, saving, editing, scrolling and filtering; ``stress`` on 10,000 synthetic indicators, reported without
budgets (does the window keep painting while it opens and saves); ``frozen``; ``profiles``. Workbooks are read and
written only through load_plan/save_plan and the window, so the figures survive changes to the io layer.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import cProfile
import io
import json
import os
import platform
import pstats
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from plans import REALISTIC_INDICATORS, make_realistic_plan, make_stress_plan  # benchmarks/plans.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "kawasaki_plan_r8.xlsx"
RESULTS = ROOT / "benchmarks" / "results.md"
FROZEN = ROOT / "build" / "dist" / "kawasaki-planner"
STRESS_INDICATORS = 10_000
REALISTIC = f"Realistic plan ({REALISTIC_INDICATORS} indicators, R2–R16)"
STRESS = f"Stress plan ({STRESS_INDICATORS:,} indicators)"
OPEN_BUDGET = 1.0  # seconds, load_plan of the realistic plan
SAVE_BUDGET = 2.0  # seconds, save_plan (written, read back and compared) of the realistic plan
EDIT_BUDGET = 0.016  # seconds, median edit → forecast → table and chart repainted: one frame at 60 Hz
STALL_MS = 50.0  # a scroll or filter step slower than this is a visible hitch
PAINT_WAIT = 2.0  # seconds a step waits for its repaint before it counts as not repainted
CHILD_TIMEOUT = 600
STAGE_LIMIT = 90.0  # seconds one stage of a window child may take before it stops and reports
STRESS_CHILD_TIMEOUT = 1500


# --- statistics and records ---------------------------------------------------------------------------


def median(values):
    return statistics.median(values) if values else float("nan")


def percentile(values, q):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


@dataclass
class Row:
    name: str
    value: str
    baseline: str = ""
    ratio: str = ""
    budget: str = ""
    met: bool | None = None
    note: str = ""


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    profiles: list[tuple[str, str]] = field(default_factory=list)

    def add(self, row: Row) -> None:
        self.rows.append(row)
        mark = {True: "met", False: "NOT MET", None: ""}[row.met]
        print(f"  {row.name:<72} {row.value:>10} {row.ratio:>6} {row.budget:>16} {mark}", flush=True)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - started, result


# --- the machine --------------------------------------------------------------------------------------


def machine() -> list[str]:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        kib = int(Path("/proc/meminfo").read_text().split("\n")[0].split()[1])
        memory = f"{kib / 1024 / 1024:.1f} GiB RAM"
    os_name = platform.platform()
    with contextlib.suppress(OSError):
        pretty = re.search(r'^PRETTY_NAME="?([^"\n]+)', Path("/etc/os-release").read_text(), re.M)
        os_name = f"{pretty.group(1)} ({platform.release()})" if pretty else os_name
    from importlib.metadata import PackageNotFoundError, version

    versions = []
    for distribution in ("PySide6-Essentials", "pyqtgraph", "openpyxl", "lxml", "defusedxml", "pandas", "numpy", "pyinstaller"):
        with contextlib.suppress(PackageNotFoundError):
            versions.append(f"{distribution} {version(distribution)}")
    return [
        f"Code: commit {code_version()}",
        f"{os_name}; {cpu}; {os.cpu_count()} logical CPUs; {memory}",
        f"Python {platform.python_version()} ({platform.python_implementation()}); " + ", ".join(versions),
        "Qt platform: offscreen (no display); GUI figures in fresh child processes",
    ]


def code_version() -> str:
    """The commit measured (and whether the working tree differed from it)."""
    try:
        return subprocess.run(
            ["git", "describe", "--always", "--dirty", "--abbrev=12"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"


# --- child processes (GUI work) -------------------------------------------------------------------------


_BYTECODE: list[str] = []


def _bytecode_cache() -> str:
    """One folder of compiled bytecode for every child of this run, removed at exit.

    Users start compiled code: the frozen folder ships it, and Python caches it beside an installed package. A
    machine with PYTHONDONTWRITEBYTECODE set would instead have every child compile the app's ~150 modules again
    (about 0.25 s of each start-up, which the baseline's site-packages never pay), so children write and read
    their bytecode here, the app's and the baseline's alike; the first (uncounted) child of each kind fills it.
    """
    if not _BYTECODE:
        folder = tempfile.mkdtemp(prefix="kp-bench-bytecode-")
        atexit.register(shutil.rmtree, folder, True)
        _BYTECODE.append(folder)
    return _BYTECODE[0]


def _child_env(folder: Path) -> dict[str, str]:
    """A fresh user profile per child: settings, app data (recovery, logs) and the XDG folders in ``folder``, so a
    child never finds what an earlier one left (its lock, an autosave to recover, a recent-files list)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(folder / "home"), KAWASAKI_PLANNER_DATA_DIR=str(folder / "data"),
               PYTHONPYCACHEPREFIX=_bytecode_cache())
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    for name, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "share"), ("XDG_CACHE_HOME", "cache")):
        env[name] = str(folder / sub)
    for sub in ("home", "data", "config", "share", "cache"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    return env


def _child(kind: str, args: tuple[str, ...], timeout: float) -> tuple[str, bool]:
    """Run one child in its own temporary profile; a plan argument is copied there first (the window locks the
    file it opens, so the checkout's sample is never opened by the GUI). (stdout, timed out)."""
    with tempfile.TemporaryDirectory(prefix="kp-bench-child-") as tmp:
        folder = Path(tmp)
        args = tuple(str(shutil.copy(a, folder / Path(a).name)) if a.endswith(".xlsx") else a for a in args)
        env = _child_env(folder)
        env["KP_BENCH_T0"] = repr(time.time())
        command = [sys.executable, str(Path(__file__).resolve()), "--child", kind, *args]
        try:
            result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=timeout)
        except subprocess.TimeoutExpired as expired:
            out = expired.stdout.decode() if isinstance(expired.stdout, bytes) else expired.stdout or ""
            return out, True
        if result.returncode != 0:
            raise RuntimeError(f"child {kind} failed ({result.returncode}):\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
        return result.stdout, False


def run_child(kind: str, *args: str) -> dict:
    stdout, timed_out = _child(kind, args, CHILD_TIMEOUT)
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    if timed_out or not lines:
        raise RuntimeError(f"child {kind} gave no figures{' (timed out)' if timed_out else ''}:\n{stdout[-2000:]}")
    return json.loads(lines[-1])


def run_child_partial(kind: str, *args: str, timeout: float) -> dict:
    """Like run_child, but a child that runs out of time still yields the figures it printed."""
    stdout, timed_out = _child(kind, args, timeout)
    merged: dict = {"timed_out": timed_out}
    for line in stdout.splitlines():
        if line.startswith("{"):
            merged.update(json.loads(line))
    return merged


def _peak_rss_mib() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: Linux carries ru_maxrss over fork and exec,
    so a child would report at least the parent's size at the time it was started."""
    with contextlib.suppress(OSError, StopIteration, ValueError):
        status = Path("/proc/self/status").read_text()
        return int(next(line for line in status.splitlines() if line.startswith("VmHWM:")).split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _report_and_exit(payload: dict) -> None:
    payload["peak_rss_mib"] = _peak_rss_mib()
    print(json.dumps(payload), flush=True)
    os._exit(0)  # skip teardown: the figure is time to the drawn window, not to exit


class _FirstPaint:
    """Reports once a window matching ``ready`` has painted, after one more turn of the event loop."""

    def __init__(self, ready):
        from PySide6.QtCore import QEvent, QObject

        self.ready = ready
        self.done = False
        outer = self

        class Filter(QObject):
            def eventFilter(self, obj, event):
                if event.type() == QEvent.Type.Paint and not outer.done:
                    window = obj.window() if hasattr(obj, "window") else None
                    if window is not None and outer.ready(window):
                        outer.done = True
                        from PySide6.QtCore import QTimer

                        QTimer.singleShot(0, outer.report)
                return False

        self.filter = Filter()

    def report(self):
        from PySide6.QtWidgets import QApplication

        QApplication.processEvents()
        _report_and_exit({"seconds": time.time() - float(os.environ["KP_BENCH_T0"])})


def _smoke_module():
    """packaging/smoke.py, for the one routine both zip the frozen folder with."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("kp_smoke", ROOT / "packaging" / "smoke.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def child_startup_bare() -> None:
    """A bare PySide6 + pyqtgraph window (table + plot), shown and painted: the start-up baseline."""
    import pyqtgraph as pg
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QMainWindow, QSplitter, QTableWidget, QTableWidgetItem

    app = QApplication(sys.argv[:1])
    watcher = _FirstPaint(lambda window: isinstance(window, QMainWindow))
    app.installEventFilter(watcher.filter)
    window = QMainWindow()
    table = QTableWidget(27, 13)
    for row in range(27):
        for column in range(13):
            table.setItem(row, column, QTableWidgetItem(f"{row * 1000 + column:,}"))
    plot = pg.PlotWidget()
    plot.plot([2024, 2025, 2026, 2027, 2028, 2029], [341, 345, 348, 350, 352, 355], symbol="o")
    splitter = QSplitter(Qt.Orientation.Vertical)
    splitter.addWidget(table)
    splitter.addWidget(plot)
    window.setCentralWidget(splitter)
    window.resize(1366, 768)
    window.show()
    app.exec()


def child_startup_app(path: str) -> None:
    """The real command line (``kawasaki-planner PLAN.xlsx``) until the window has painted with the plan open."""
    from PySide6.QtWidgets import QApplication

    original_exec = QApplication.exec
    name = Path(path).name

    def ready(window) -> bool:
        document = getattr(window, "document", None)
        return document is not None and document.path is not None and Path(document.path).name == name

    def exec_with_watch(*_args):  # QApplication.exec is static; the app calls it on the instance
        app = QApplication.instance()
        watcher = _FirstPaint(ready)
        app.installEventFilter(watcher.filter)
        app._kp_watcher = watcher
        return original_exec()

    QApplication.exec = exec_with_watch
    from kawasaki_planner.cli import main

    main([path])
    print("{}", flush=True)  # the window closed without a paint: the parent reports a failure
    sys.exit(1)


class _Paints:
    """Counts paint events of the given widgets."""

    def __init__(self, widgets):
        from PySide6.QtCore import QEvent, QObject

        self.seen: set[int] = set()
        self.ids = {id(w): w for w in widgets}
        outer = self

        class Filter(QObject):
            def eventFilter(self, obj, event):
                if event.type() == QEvent.Type.Paint and id(obj) in outer.ids:
                    outer.seen.add(id(obj))
                return False

        self.filter = Filter()
        for widget in widgets:
            widget.installEventFilter(self.filter)

    def wait_all(self, app, timeout: float = 5.0) -> bool:
        deadline = time.perf_counter() + timeout
        while len(self.seen) < len(self.ids):
            app.processEvents()
            if time.perf_counter() > deadline:
                return False
        return True


def _settle(app, seconds: float = 0.05) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()


def child_edits(path: str, count: str, which: str = "population", profile: str = "") -> None:
    """Edit a forecast input repeatedly; time each edit until the table and the chart have repainted.

    ``population``: the first editable 児童人口 cell ±1 (a light edit that moves one curve).
    ``rate``: 措置率 見込み of the forecast's first year (R7 in the realistic plan) between 0.150% and 0.144%, which
    changes every derived cell of both tables and all three charts: the heaviest single edit section 5 has.
    ``profile`` non-empty: run under cProfile and print its cumulative table instead of the times."""
    from PySide6.QtCore import Qt

    from kawasaki_planner.core.plan import forecast_ref
    from kawasaki_planner.ui.app import create_main_window, ensure_app

    app = ensure_app()
    window = create_main_window(path)
    window.show()
    tab = window.forecast_tab
    window.tabs.setCurrentWidget(tab)
    _settle(app, 0.3)
    model = tab.forecast_model
    if which == "rate":
        index = model.index_of(forecast_ref("rate", window.plan.first_forecast_year, "plan"))
        texts = ["0.150%", "0.144%"]
    else:
        index = next(
            model.index(r, c)
            for r in range(model.rowCount())
            for c in range(1, model.columnCount())
            if model.flags(model.index(r, c)) & Qt.ItemFlag.ItemIsEditable and not tab.forecast_table.isColumnHidden(c)
        )
        base = int(window.plan.figure(model.ref(index)).number)
        texts = [f"{base + 1:,}", f"{base + 2:,}"]
    tab.forecast_table.scrollTo(index)  # the edited cell in view, as when the planner types it
    _settle(app, 0.1)
    ref = model.ref(index)
    table_viewport = tab.forecast_table.viewport()
    chart_viewport = tab.population_chart.plot.viewport()
    profiler = cProfile.Profile() if profile else None
    times, timeouts = [], 0
    for i in range(int(count)):
        paints = _Paints([table_viewport, chart_viewport])
        if profiler:
            profiler.enable()
        started = time.perf_counter()
        if not model.setData(index, texts[i % 2], Qt.ItemDataRole.EditRole):
            raise RuntimeError("the edit was refused")
        ok = paints.wait_all(app, PAINT_WAIT)
        times.append(time.perf_counter() - started)
        if profiler:
            profiler.disable()
        timeouts += not ok
        for widget in (table_viewport, chart_viewport):
            widget.removeEventFilter(paints.filter)
        _settle(app, 0.002)
    payload = {"edit_seconds": times, "timeouts": timeouts, "ref": f"{ref.row} {ref.year} {ref.kind}"}
    if profiler:
        payload["profile"] = _profile_text(profiler, top=28)
    _report_and_exit(payload)


def _profile_text(profiler, top: int = 18, sort: str = "cumulative") -> str:
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream).strip_dirs().sort_stats(sort)
    stats.print_stats(top)
    text = stream.getvalue()
    start = text.find("   ncalls")
    header = next((line.strip() for line in text.splitlines() if "function calls" in line), "")
    return f"{header}\n" + text[start:].rstrip()


def _step_until_painted(app, view, action) -> tuple[float, bool]:
    """(seconds from ``action`` until the view's viewport has painted, whether it painted).

    A step that repaints nothing (the view already showed what it asked for) is timed to the end of the first pass
    of the event loop after it, instead of to the end of PAINT_WAIT."""
    paints = _Paints([view.viewport()])
    started = time.perf_counter()
    action()
    app.processEvents()
    first_pass = time.perf_counter() - started
    painted = paints.wait_all(app, PAINT_WAIT)
    elapsed = time.perf_counter() - started if painted else first_pass
    view.viewport().removeEventFilter(paints.filter)
    return elapsed, painted


def _heartbeat_gaps(app, work) -> tuple[float, float]:
    """Run ``work`` inside the event loop with a 10 ms heartbeat; (duration, longest gap between beats)."""
    from PySide6.QtCore import QEventLoop, QTimer

    gaps, last = [], [time.perf_counter()]

    def beat():
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    heartbeat = QTimer()
    heartbeat.setInterval(10)
    heartbeat.timeout.connect(beat)
    loop = QEventLoop()
    span = {}

    def run():
        span["start"] = time.perf_counter()
        work()
        span["end"] = time.perf_counter()
        QTimer.singleShot(100, loop.quit)

    heartbeat.start()
    QTimer.singleShot(30, run)
    loop.exec()
    heartbeat.stop()
    return span["end"] - span["start"], max(gaps, default=0.0)


def _emit(out: dict) -> None:
    """Print the figures so far: a stage that never ends still leaves the earlier ones to the parent."""
    print(json.dumps({**out, "peak_rss_mib": _peak_rss_mib()}), flush=True)


def _steps(app, view, action, count: int, limit: float) -> tuple[list[float], int]:
    """Times of up to ``count`` steps (until ``limit`` seconds in all), and how many of them painted nothing."""
    times: list[float] = []
    unpainted = 0
    while len(times) < count and sum(times) < limit:
        elapsed, painted = _step_until_painted(app, view, action)
        times.append(elapsed)
        unpainted += not painted
    return times, unpainted


def _page_down(bar):
    """A page further down; back to the top from the bottom (a table of a few pages is paged through again)."""
    return lambda: bar.setValue(0 if bar.value() >= bar.maximum() else bar.value() + bar.pageStep())


def _filter_steps(overview) -> list[tuple[str, object]]:
    """What a planner does with 進捗一覧's filters: type a word and refine it, clear it, pick sections and statuses.
    Every step changes what the table shows."""
    text, sections, statuses = overview.text_filter, overview.section_filter, overview.status_filter
    steps: list[tuple[str, object]] = [
        (f"text 「{t}」", lambda t=t: text.setText(t)) for t in ("里親", "里親等委託率", "", "研修", "研修の受講者数", "", "児童相談所", "")
    ]
    for i in dict.fromkeys((1, sections.count() // 2, sections.count() - 1, 0)):
        steps.append((f"section {sections.itemText(i)}", lambda i=i: sections.setCurrentIndex(i)))
    for i in (1, 2, 0):
        steps.append((f"status {statuses.itemText(i)}", lambda i=i: statuses.setCurrentIndex(i)))
    return steps


def child_window(path: str, pages: str, mode: str) -> None:
    """A large plan in the window.

    ``realistic``: build the window with the plan, page through its largest section table and 進捗一覧, use the
    overview's filters, then save and open through the window (with 進捗一覧 shown); ``stress``: build the window,
    show 進捗一覧, save and open through the window. Each stage stops after STAGE_LIMIT seconds and reports how many
    steps it did."""
    from kawasaki_planner.ui.app import create_main_window, ensure_app

    app = ensure_app()
    out: dict = {}
    out["window_open_seconds"], window = timed(create_main_window, path)
    _emit(out)
    out["window_show_seconds"], _ = timed(lambda: (window.show(), _settle(app, 0.3)))
    _emit(out)
    overview = window.overview_tab
    if mode == "realistic":
        largest = max((s for s in window.plan.sections if s.indicators), key=lambda s: len(s.indicators))
        tab = window.section_tabs[largest.number]
        out["section"] = largest.display_name
        out["tab_switch_seconds"], _ = _step_until_painted(app, tab.table, lambda: window.tabs.setCurrentWidget(tab))
        out["section_rows"] = tab.table.model().rowCount()
        out["section_scroll_seconds"], out["section_scroll_unpainted"] = _steps(
            app, tab.table, _page_down(tab.table.verticalScrollBar()), int(pages), STAGE_LIMIT
        )
        _emit(out)
        out["overview_switch_seconds"], _ = _step_until_painted(app, overview.table, lambda: window.tabs.setCurrentWidget(overview))
        out["overview_rows"] = overview.proxy.rowCount()
        out["overview_scroll_seconds"], out["overview_scroll_unpainted"] = _steps(
            app, overview.table, _page_down(overview.table.verticalScrollBar()), int(pages), STAGE_LIMIT
        )
        _emit(out)
        out["filter_seconds"], out["filter_rows"], out["filter_steps"], out["filter_unpainted"] = [], [], [], 0
        for label, action in _filter_steps(overview):
            if sum(out["filter_seconds"]) > STAGE_LIMIT:
                break
            elapsed, painted = _step_until_painted(app, overview.table, action)
            out["filter_seconds"].append(elapsed)
            out["filter_rows"].append(overview.proxy.rowCount())
            out["filter_steps"].append(label)
            out["filter_unpainted"] += not painted
        out["peak_rss_after_open_mib"] = _peak_rss_mib()
        _emit(out)
    else:
        window.tabs.setCurrentWidget(overview)
        _settle(app, 0.3)

    copy = Path(tempfile.mkdtemp(prefix="kp-bench-")) / "saved.xlsx"
    out["gui_save_seconds"], out["gui_save_longest_gap"] = _heartbeat_gaps(app, lambda: window.save_as(copy))
    _emit(out)
    if out["window_open_seconds"] < 30:  # beyond that, opening again through the window only repeats the build
        out["gui_open_seconds"], out["gui_open_longest_gap"] = _heartbeat_gaps(app, lambda: window.load(copy))
    shutil.rmtree(copy.parent, ignore_errors=True)
    window.document.undo_stack.setClean()
    _report_and_exit(out)


def child_memory_app(path: str) -> None:
    """Peak memory with a plan open and drawn (the start-up child reports it too; this one also settles)."""
    from kawasaki_planner.ui.app import create_main_window, ensure_app

    app = ensure_app()
    window = create_main_window(path)
    window.show()
    _settle(app, 0.3)
    _report_and_exit({})


CHILDREN = {
    "startup-bare": child_startup_bare,
    "startup-app": child_startup_app,
    "edits": child_edits,
    "window": child_window,
    "memory-app": child_memory_app,
}


# --- measurements -----------------------------------------------------------------------------------------


def bench_startup(report: Report, repeat: int) -> dict:
    print("start-up (child processes, offscreen)…", flush=True)
    bare, app = [], []
    run_child("startup-bare")
    run_child("startup-app", str(SAMPLE))  # warm the file cache and bytecode for both
    for _ in range(repeat):
        bare.append(run_child("startup-bare"))
        app.append(run_child("startup-app", str(SAMPLE)))
    bare_s, app_s = median([r["seconds"] for r in bare]), median([r["seconds"] for r in app])
    bare_m, app_m = median([r["peak_rss_mib"] for r in bare]), median([r["peak_rss_mib"] for r in app])
    report.add(
        Row(
            "Start-up to the drawn window, sample open",
            ms(app_s),
            f"bare window {ms(bare_s)}",
            f"{app_s / bare_s:.2f}×",
            "≤ 1.3×",
            app_s / bare_s <= 1.3,
            f"median of {repeat}; process start → first paint (offscreen), alternating with the baseline",
        )
    )
    report.add(
        Row(
            "Peak memory, sample open and drawn",
            f"{app_m:.0f} MiB",
            f"bare window {bare_m:.0f} MiB",
            f"{app_m / bare_m:.2f}×",
            "≤ 1.5×",
            app_m / bare_m <= 1.5,
            "peak RSS (VmHWM) at the first paint",
        )
    )
    return {"bare_seconds": bare_s, "app_seconds": app_s, "bare_mib": bare_m, "app_mib": app_m}


def bench_sample_io(report: Report, repeat: int) -> dict:
    print("opening and saving the sample (in process)…", flush=True)
    import pandas as pd

    from kawasaki_planner.io.workbook import load_plan, save_plan

    pandas_open, app_open, pandas_save, app_save = [], [], [], []
    plan = load_plan(SAMPLE)
    frames = pd.read_excel(SAMPLE, sheet_name=None)
    with tempfile.TemporaryDirectory() as tmp:
        target, pandas_target = Path(tmp) / "saved.xlsx", Path(tmp) / "pandas.xlsx"
        for i in range(repeat + 1):  # the first round warms imports and caches and is not counted
            t_pd, _ = timed(pd.read_excel, SAMPLE, None)
            t_app, plan = timed(load_plan, SAMPLE)
            t_pd_save, _ = timed(_pandas_save, frames, pandas_target)
            t_app_save, _ = timed(save_plan, plan, target)
            if i:
                pandas_open.append(t_pd)
                app_open.append(t_app)
                pandas_save.append(t_pd_save)
                app_save.append(t_app_save)
    o, p = median(app_open), median(pandas_open)
    report.add(
        Row(
            "Open the sample (load_plan)",
            ms(o),
            f"pandas.read_excel {ms(p)}",
            f"{o / p:.2f}×",
            "≤ 1.0×",
            o / p <= 1.0,
            f"median of {repeat}; read_excel(path, sheet_name=None) on the same file, interleaved",
        )
    )
    s, ps = median(app_save), median(pandas_save)
    report.add(
        Row(
            "Save the sample (save_plan)",
            ms(s),
            f"pandas to_excel {ms(ps)}",
            f"{s / ps:.2f}×",
            "",
            None,
            "baseline: the sheets read by pandas written back with DataFrame.to_excel (openpyxl)",
        )
    )
    return {"open": o, "pandas_open": p, "save": s, "pandas_save": ps}


def _pandas_save(frames, path):
    import pandas as pd

    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame in frames.items():
            frame.to_excel(writer, sheet_name=name[:31], index=False)


_WORKBOOKS: dict[str, tuple[Path, object, float]] = {}


def bench_workbook(kind: str) -> tuple[Path, object, float]:
    """(workbook, plan, seconds to generate) for ``realistic`` or ``stress``: generated once per run and saved with
    save_plan into a temporary folder that goes when the run ends."""
    if kind not in _WORKBOOKS:
        from kawasaki_planner.io.workbook import save_plan

        generated, plan = timed(make_realistic_plan if kind == "realistic" else lambda: make_stress_plan(STRESS_INDICATORS))
        folder = Path(tempfile.mkdtemp(prefix=f"kp-bench-{kind}-"))
        atexit.register(shutil.rmtree, folder, True)
        path = folder / f"{kind}_plan.xlsx"
        save_plan(plan, path, backups=0)
        _WORKBOOKS[kind] = (path, plan, generated)
    return _WORKBOOKS[kind]


def _figure_count(plan) -> int:
    return sum(len(i.plan) + len(i.actual) for s in plan.sections for i in s.indicators) + len(plan.forecast_inputs.cells)


def bench_edits(report: Report, count: int) -> dict:
    path, _, _ = bench_workbook("realistic")
    out = {}
    for which, name in (("population", f"{REALISTIC}: edit 児童人口 → forecast → table and chart repainted"),
                        ("rate", f"{REALISTIC}: heaviest edit, 措置率 R7 (every derived cell and chart changes)")):
        print(f"{name} ({count} edits)…", flush=True)
        result = run_child("edits", str(path), str(count), which)
        times = result["edit_seconds"]
        med, p95 = median(times), percentile(times, 95)
        report.add(
            Row(
                name,
                f"{med * 1000:.1f} ms",
                "",
                "",
                f"median ≤ {EDIT_BUDGET * 1000:.0f} ms",
                med <= EDIT_BUDGET,
                f"p95 {p95 * 1000:.1f} ms, max {max(times) * 1000:.1f} ms over {len(times)} edits of {result['ref']}"
                + (f"; {result['timeouts']} did not repaint within {PAINT_WAIT:.0f} s" if result["timeouts"] else ""),
            )
        )
        out[which] = {"median": med, "p95": p95, "max": max(times), "path": str(path)}
    return out


def _io_rows(report: Report, label: str, plan, repeat: int, budgets: bool) -> dict:
    """load_plan and save_plan of ``plan``, ``repeat`` times each; with budgets, after one uncounted round (the
    stress plan's seconds-long figures need no warming, and skipping it keeps the run short)."""
    from kawasaki_planner.io.workbook import load_plan, save_plan

    saves, opens = [], []
    warm = 1 if budgets else 0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan.xlsx"
        for i in range(repeat + warm):
            saved = timed(save_plan, plan, path)[0]
            opened = timed(load_plan, path)[0]
            if i >= warm:
                saves.append(saved)
                opens.append(opened)
        size = path.stat().st_size
    o, s = median(opens), median(saves)
    how = f"median of {repeat}, max {ms(max(opens))}"
    report.add(Row(f"{label}: open (load_plan)", ms(o), "", "", f"≤ {OPEN_BUDGET:g} s" if budgets else "",
                   o <= OPEN_BUDGET if budgets else None, how))
    report.add(
        Row(
            f"{label}: save (save_plan: write, read back, compare)",
            ms(s),
            "",
            "",
            f"≤ {SAVE_BUDGET:g} s" if budgets else "",
            s <= SAVE_BUDGET if budgets else None,
            f"median of {repeat}, max {ms(max(saves))}; {_figure_count(plan):,} figures, workbook {size / 1e6:.2f} MB",
        )
    )
    return {"open": o, "save": s, "size": size}


def _through_window_rows(report: Report, label: str, gui: dict, missing: str) -> None:
    for op in ("save", "open"):
        if f"gui_{op}_seconds" not in gui:
            report.add(Row(f"{label}: {op} through the window", "—", "", "", "", None, missing))
            continue
        report.add(
            Row(
                f"{label}: {op} through the window",
                ms(gui[f"gui_{op}_seconds"]),
                "",
                "",
                "",
                None,
                f"longest event-loop stall {ms(gui[f'gui_{op}_longest_gap'])} (10 ms heartbeat), 進捗一覧 shown",
            )
        )


def _steps_row(report: Report, name: str, times: list[float], how: str, missing: str) -> None:
    if not times:
        report.add(Row(name, "—", "", "", f"no step > {STALL_MS:.0f} ms", False, missing))
        return
    worst = max(times)
    report.add(Row(name, ms(median(times)), "", "", f"no step > {STALL_MS:.0f} ms", worst * 1000 <= STALL_MS,
                   f"{how}; p95 {ms(percentile(times, 95))}, max {ms(worst)}"))


def bench_large(report: Report, repeat: int, pages: int) -> dict:
    """The realistic plan: the one the budgets are for."""
    print(f"realistic plan ({REALISTIC_INDICATORS} indicators, R2–R16)…", flush=True)
    path, plan, generated = bench_workbook("realistic")
    out = _io_rows(report, REALISTIC, plan, repeat, budgets=True)
    gui = run_child_partial("window", str(path), str(pages), "realistic", timeout=CHILD_TIMEOUT)
    missing = "not reached: the child ran out of time" if gui.get("timed_out") else "not reached"
    if "window_open_seconds" in gui:
        report.add(
            Row(
                f"{REALISTIC}: window built with the plan",
                ms(gui["window_open_seconds"]),
                "",
                "",
                "",
                None,
                f"create_main_window(path) incl. reading; first show and paint {ms(gui.get('window_show_seconds', float('nan')))}; "
                f"plan generated in {ms(generated)}",
            )
        )
    for key, label, rows_key, switch in (
        ("section_scroll", "section table", "section_rows", "tab_switch_seconds"),
        ("overview_scroll", "進捗一覧", "overview_rows", "overview_switch_seconds"),
    ):
        times = gui.get(f"{key}_seconds") or []
        where = f" of 「{gui['section']}」" if key == "section_scroll" and "section" in gui else ""
        unpainted = gui.get(f"{key}_unpainted", 0)
        how = (f"{len(times)} page steps through the {gui.get(rows_key, 0):,} rows{where} (from the bottom back to the top)"
               + (f", {unpainted} repainted nothing" if unpainted else "")
               + f"; switching to the tab {ms(gui.get(switch, float('nan')))}")
        _steps_row(report, f"{REALISTIC}: scroll a page ({label})", times, how, missing)
    times = gui.get("filter_seconds") or []
    unpainted = gui.get("filter_unpainted", 0)
    how = (f"{len(times)} filter changes: text typed, refined and cleared, 3 sections, 2 statuses "
           f"(rows shown {min(gui.get('filter_rows') or [0])}–{max(gui.get('filter_rows') or [0])})"
           + (f", {unpainted} repainted nothing" if unpainted else ""))
    if times:
        how += f"; slowest: {gui['filter_steps'][times.index(max(times))]}"
    _steps_row(report, f"{REALISTIC}: filter 進捗一覧", times, how, missing)
    if "peak_rss_mib" in gui:
        report.add(Row(f"{REALISTIC}: peak memory in the window", f"{gui['peak_rss_mib']:.0f} MiB", "", "", "", None, "peak RSS"))
    _through_window_rows(report, REALISTIC, gui, missing)
    return {**out, **gui}


def bench_stress(report: Report, repeat: int) -> dict:
    """The 10,000-indicator plan: no planner has one; it shows the window stays responsive far beyond real plans."""
    print(f"stress plan of {STRESS_INDICATORS:,} synthetic indicators…", flush=True)
    path, plan, generated = bench_workbook("stress")
    out = _io_rows(report, STRESS, plan, repeat, budgets=False)
    gui = run_child_partial("window", str(path), "0", "stress", timeout=STRESS_CHILD_TIMEOUT)
    missing = "not reached: the child ran out of time" if gui.get("timed_out") else "not reached"
    if "window_open_seconds" in gui:
        report.add(Row(f"{STRESS}: window built with the plan", ms(gui["window_open_seconds"]), "", "", "", None,
                       f"create_main_window(path) incl. reading; plan generated in {ms(generated)}"))
    if "peak_rss_mib" in gui:
        report.add(Row(f"{STRESS}: peak memory in the window", f"{gui['peak_rss_mib']:.0f} MiB", "", "", "", None, "peak RSS"))
    _through_window_rows(report, STRESS, gui, missing)
    return {**out, **gui}


def bench_frozen(report: Report, repeat: int, frozen: Path) -> dict:
    exe = frozen / "kawasaki-planner"
    if not exe.is_file():
        print(f"frozen folder not found at {frozen}: run packaging/build_and_smoke.sh first", flush=True)
        report.details.append(f"Frozen figures skipped: no folder at `{frozen.relative_to(ROOT)}`.")
        return {}
    print("frozen folder…", flush=True)
    size = sum(p.lstat().st_size for p in frozen.rglob("*") if p.is_file() and not p.is_symlink())
    with tempfile.TemporaryDirectory() as tmp:
        zipped = _smoke_module().zip_folder(frozen, Path(tmp) / "folder.zip")
        report.add(Row("Frozen folder size", f"{size / 1e6:.1f} MB", "", "", "≤ 200 MB", size <= 200e6, "Linux build of build.spec"))
        report.add(Row("Frozen folder zipped", f"{zipped / 1e6:.1f} MB", "", "", "≤ 80 MB", zipped <= 80e6, "deflate level 9"))

        sample = frozen / "_internal" / "kawasaki_planner" / "resources" / SAMPLE.name
        env = _child_env(Path(tmp))
        frozen_cmd = [str(exe), "--screenshot", str(Path(tmp) / "f.png"), "--tab", "1", str(sample)]
        venv_cmd = [sys.executable, "-m", "kawasaki_planner", "--screenshot", str(Path(tmp) / "v.png"), "--tab", "1", str(SAMPLE)]
        frozen_t, venv_t = [], []
        for i in range(repeat + 1):
            t_f = timed(lambda: subprocess.run(frozen_cmd, env=env, capture_output=True, check=True))[0]
            t_v = timed(lambda: subprocess.run(venv_cmd, env=env, capture_output=True, check=True))[0]
            if i:
                frozen_t.append(t_f)
                venv_t.append(t_v)
        f, v = median(frozen_t), median(venv_t)
        report.add(
            Row(
                "Frozen start-up (open sample, draw, screenshot, exit)",
                ms(f),
                f"same from the venv {ms(v)}",
                f"{f / v:.2f}×",
                "",
                None,
                f"median of {repeat}; `--screenshot OUT.png --tab 1 SAMPLE`, process start → exit",
            )
        )
    return {"size": size, "zipped": zipped, "frozen_startup": f, "venv_startup": v}


# --- profiles ---------------------------------------------------------------------------------------------


def profile_imports(module: str, top: int = 14) -> str:
    """python -X importtime: the slowest imports (cumulative) when importing ``module`` fresh."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        capture_output=True,
        text=True,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
    )
    entries = []
    for line in result.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if match:
            entries.append((int(match.group(2)), len(match.group(3)) // 2, match.group(4)))
    total = next((c for c, depth, name in entries if name == module), 0)
    lines = [f"cumulative µs  depth  module   (importing {module}; total {total / 1000:.0f} ms)"]
    for cumulative, depth, name in sorted(entries, reverse=True)[:top]:
        lines.append(f"{cumulative:>13,}  {depth:>5}  {name}")
    heavy = [name for _, _, name in entries if name.split(".")[0] in {"pandas", "openpyxl", "numpy", "pyqtgraph"}]
    roots = sorted({name.split(".")[0] for name in heavy})
    lines.append(f"heavy packages imported: {', '.join(roots) or 'none'}")
    return "\n".join(lines)


def profile_call(label: str, function, *args, top: int = 18) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    function(*args)
    profiler.disable()
    return f"{label}: " + _profile_text(profiler, top)


def gather_profiles(report: Report, results: dict) -> None:
    print("profiles…", flush=True)
    title = "Imports at start-up: `python -X importtime -c 'import kawasaki_planner.ui.app'`"
    report.profiles.append((title, profile_imports("kawasaki_planner.ui.app")))
    report.profiles.append(("Baseline imports: `import pyqtgraph` (brings PySide6 and numpy)", profile_imports("pyqtgraph", top=6)))
    code = (
        "import cProfile,pstats,sys,os;from kawasaki_planner.ui.app import ensure_app, create_main_window;"
        "app=ensure_app();pr=cProfile.Profile();pr.enable();w=create_main_window(sys.argv[1]);w.show();app.processEvents();"
        "pr.disable();pstats.Stats(pr).strip_dirs().sort_stats('cumulative').print_stats(22)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(SAMPLE)], capture_output=True, text=True, env=dict(os.environ, QT_QPA_PLATFORM="offscreen")
    ).stdout
    start = out.find("   ncalls")
    header = next((line.strip() for line in out.splitlines() if "function calls" in line), "")
    report.profiles.append(("Building the window with the sample (cProfile, cumulative)", f"{header}\n{out[start:].rstrip()}"))
    from kawasaki_planner.io.workbook import load_plan, save_plan

    path, plan, _ = bench_workbook("realistic")
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "realistic.xlsx"
        save_plan(plan, target)  # warm
        report.profiles.append((f"Saving the realistic plan (cProfile; budget {ms(SAVE_BUDGET)})",
                                profile_call("save_plan", save_plan, plan, target)))
    report.profiles.append((f"Opening the realistic plan (cProfile; budget {ms(OPEN_BUDGET)})", profile_call("load_plan", load_plan, path)))
    edits = results.get("edits") or {}
    for which, name in (("population", "児童人口"), ("rate", "措置率 R7")):
        if which in edits and edits[which]["median"] > EDIT_BUDGET:
            profiled = run_child("edits", str(path), "60", which, "profile")
            report.profiles.append((f"Editing {name} in the realistic plan, 60 edits (cProfile, cumulative; budget median "
                                    f"{EDIT_BUDGET * 1000:.0f} ms, unprofiled {edits[which]['median'] * 1000:.1f} ms)",
                                    profiled["profile"]))


# --- output ------------------------------------------------------------------------------------------------


def kept_findings() -> str:
    """The hand-written "## Findings" section of the previous results.md, kept across runs (review it after one)."""
    if not RESULTS.is_file():
        return ""
    text = RESULTS.read_text(encoding="utf-8")
    match = re.search(r"^## Findings\n.*?(?=^## |\Z)", text, re.M | re.S)
    return match.group(0) if match else ""


def write_results(report: Report, machine_lines: list[str], argv: list[str], started: float) -> None:
    lines = [
        "# Benchmarks",
        "",
        "Measured by `benchmarks/run.py` (see the README's Benchmarks section); regenerate rather than edit.",
        "",
        "## Machine",
        "",
        *[f"- {line}" for line in machine_lines],
        f"- Run: `{' '.join(['python benchmarks/run.py', *argv])}`, {time.strftime('%Y-%m-%d')}, took {ms(time.perf_counter() - started)}",
        "",
        "## Figures",
        "",
        "| Figure | Median | Baseline (same run) | Ratio | Budget | Met | How |",
        "|---|---:|---|---:|---|---|---|",
    ]
    for row in report.rows:
        met = {True: "yes", False: "**no**", None: ""}[row.met]
        lines.append(f"| {row.name} | {row.value} | {row.baseline} | {row.ratio} | {row.budget} | {met} | {row.note} |")
    if report.details:
        lines += ["", *report.details]
    findings = kept_findings()
    if findings:
        lines += ["", findings.rstrip()]
    lines += ["", "## Profiles", ""]
    for title, text in report.profiles:
        lines += [f"### {title}", "", "```", text, "```", ""]
    RESULTS.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        CHILDREN[argv[1]](*argv[2:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (a rough pass, not for results.md)")
    parser.add_argument("--frozen", default=str(FROZEN), help="the frozen folder (default: build/dist/kawasaki-planner)")
    parser.add_argument("--only", nargs="*", default=None, help="startup io edits large stress frozen profiles")
    parser.add_argument("--no-write", action="store_true", help="print only; leave results.md alone")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    repeat = 5 if args.quick else 15
    started = time.perf_counter()
    machine_lines = machine()
    print("\n".join(machine_lines))
    report = Report()
    results: dict = {}
    wanted = set(args.only or ["startup", "io", "edits", "large", "stress", "frozen", "profiles"])
    if "startup" in wanted:
        results["startup"] = bench_startup(report, repeat)
    if "io" in wanted:
        results["io"] = bench_sample_io(report, repeat)
    if "edits" in wanted:
        results["edits"] = bench_edits(report, 100 if args.quick else 300)
    if "large" in wanted:
        results["large"] = bench_large(report, 2 if args.quick else 5, 20 if args.quick else 60)
    if "stress" in wanted:
        results["stress"] = bench_stress(report, 1 if args.quick else 3)
    if "frozen" in wanted:
        results["frozen"] = bench_frozen(report, 3 if args.quick else 7, Path(args.frozen))
    if "profiles" in wanted:
        gather_profiles(report, results)
    finished = code_version()
    if finished != machine_lines[0].removeprefix("Code: commit "):
        machine_lines[0] += f" — **the code changed during the run (now {finished}): figures mix versions; run again**"
    if not args.no_write:
        write_results(report, machine_lines, argv, started)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
