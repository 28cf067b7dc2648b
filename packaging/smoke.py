"""Smoke-test a frozen Kawasaki Planner folder the way a user's PC would run it, then measure it.

    python packaging/smoke.py [DIST_FOLDER] [--zip OUT.zip]

1. The folder is copied outside the checkout. On Linux, when we may create a mount namespace (root, or
   unprivileged user namespaces), the checkout, the virtual environment and the Python installation are
   hidden behind empty tmpfs mounts while the app runs, so the test proves the folder needs none of them.
   The environment is reduced to what a desktop session has (no PYTHONPATH, no venv).
2. The frozen app runs, offscreen, three times: ``--self-test`` (open the bundled sample, recompute,
   save, reload, compare), ``check`` of the bundled sample, and ``--screenshot`` of the window with the
   sample open (Qt, plugins, fonts and pyqtgraph all load). Each must exit 0 and print nothing on stderr
   except lines matched by ALLOWED_STDERR below.
3. The folder's layout is checked (bundled resources present, excluded components absent), and its size
   and zipped size are printed (and written as JSON next to the zip for the benchmarks).

Exit 0 only if everything held.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = "kawasaki-planner"
SAMPLE = "kawasaki_plan_r8.xlsx"
TIMEOUT = 180
SCREENSHOT_TAB = 4  # 「5 代替養育の見込み」: tables and pyqtgraph charts

# Lines the frozen app may print on stderr without failing the smoke test. Each entry says where it comes
# from; anything else fails, so new warnings are looked at rather than scrolled past.
ALLOWED_STDERR = [
    # Fontconfig on a minimal machine without a cache directory, or with a configuration naming fonts
    # that are not installed. Harmless: Qt falls back to the fonts it finds.
    r"^Fontconfig (warning|error): .*",
    # Qt's offscreen platform (used only by CI and --screenshot) cannot honour window-manager hints.
    r"^This plugin does not support propagateSizeHints\(\)$",
    r"^This plugin does not support raise\(\)$",
    # Qt on a machine without a session bus (CI containers): the accessibility bridge and the input-method
    # helpers ask D-Bus and carry on without it.
    r"^qt\.qpa\.(accessibility|theme|services)\b.*[Dd][Bb]us.*",
    # Running as root (CI containers): Qt warns that XDG_RUNTIME_DIR is missing and uses a temporary one.
    r"^QStandardPaths: XDG_RUNTIME_DIR not set, defaulting to .*",
    r"^QStandardPaths: runtime directory .* is not owned by UID .*",
]

# Must be in the folder: the bundled plan and what the package reads through importlib.resources.
REQUIRED = [
    f"_internal/kawasaki_planner/resources/{SAMPLE}",
    "_internal/kawasaki_planner/resources/plan_template.json",
    "_internal/kawasaki_planner/resources/app.png",
    "_internal/kawasaki_planner/resources/app.ico",
]
# Must not be: what build.spec excludes (a regression would silently grow the folder).
FORBIDDEN = [
    r"(^|/)pandas/",
    r"(^|/)(pytest|_pytest|pygments|hypothesis|tkinter)/",
    r"(^|/)(lib)?Qt6?(Network|Test)\.(abi3\.so|so\.6|dll|pyd)$",
    r"(^|/)(lib)?Qt6?WebEngine",  # the report is drawn with QPainter/QPdfWriter, never a browser engine
    r"libqgtk3",
    r"platformthemes/",
    r"opengl32sw",
    r"translations/(?!qt_ja\.qm$|qtbase_ja\.qm$)[^/]+\.qm$",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dist", nargs="?", default=str(ROOT / "build" / "dist" / APP), help="the frozen folder")
    parser.add_argument("--zip", default=None, help="where to write the zipped folder (default: next to it)")
    parser.add_argument("--screenshot", default=None, help="keep the frozen app's screenshot here")
    args = parser.parse_args(argv)
    keep_shot = args.screenshot

    dist = Path(args.dist).resolve()
    exe = dist / (APP + (".exe" if os.name == "nt" else ""))
    if not exe.is_file():
        print(f"smoke: no frozen app at {exe}", file=sys.stderr)
        return 1
    failures: list[str] = []

    failures += check_layout(dist)
    with tempfile.TemporaryDirectory(prefix="kp-smoke-") as tmp:
        tmp = Path(tmp)
        copy = tmp / APP
        shutil.copytree(dist, copy, symlinks=True)
        runner = Isolation(copy, tmp)
        print(f"smoke: running a copy of the folder; {runner.description}")
        sample = copy / "_internal" / "kawasaki_planner" / "resources" / SAMPLE
        shot = tmp / "work" / "screenshot.png"

        result = runner.run(["--self-test"])
        failures += judge("--self-test", result)
        if result.returncode == 0 and result.stdout.count(": ok") < 3:
            failures.append(f"--self-test: expected three 'ok' lines, got: {result.stdout!r}")

        failures += judge("check", runner.run(["check", str(sample)]))

        report = tmp / "work" / "report.pdf"
        result = runner.run(["report", str(sample), "-o", str(report)])
        failures += judge("report", result)
        if result.returncode == 0 and not (report.is_file() and report.read_bytes().startswith(b"%PDF-")):
            failures.append(f"report: no PDF written at {report}")

        result = runner.run(["--screenshot", str(shot), "--tab", str(SCREENSHOT_TAB), str(sample)])
        failures += judge("--screenshot", result)
        if result.returncode == 0:
            failures += check_png(shot)
            if keep_shot:
                shutil.copy(shot, keep_shot)

    size = folder_size(dist)
    zip_path = Path(args.zip) if args.zip else dist.parent / f"{APP}-{sys.platform}.zip"
    zipped = zip_folder(dist, zip_path)
    print(f"smoke: folder {size / 1e6:.1f} MB, {count_files(dist)} files; zipped {zipped / 1e6:.1f} MB ({zip_path.name})")
    (zip_path.with_suffix(".json")).write_text(
        json.dumps({"folder_bytes": size, "zip_bytes": zipped, "files": count_files(dist), "platform": sys.platform}),
        encoding="utf-8",
    )

    if failures:
        print("smoke: FAILED", file=sys.stderr)
        for failure in failures:
            print(f"  - {failure}", file=sys.stderr)
        return 1
    print("smoke: ok")
    return 0


class Isolation:
    """Runs the copied app with a desktop-like environment, hiding the build machine's Python if it can."""

    def __init__(self, app_dir: Path, tmp: Path):
        self.exe = app_dir / (APP + (".exe" if os.name == "nt" else ""))
        self.home = tmp / "home"
        self.work = tmp / "work"
        self.home.mkdir()
        self.work.mkdir()
        candidates = sorted({p.resolve() for p in (ROOT, Path(sys.prefix), Path(sys.base_prefix)) if p.is_dir()})
        # Hide each tree once (a venv inside the checkout goes with it), never the folder the copy runs from.
        self.hidden = [str(p) for p in candidates if not any(q in p.parents for q in candidates) and p not in tmp.parents]
        self.namespace = sys.platform.startswith("linux") and shutil.which("unshare") is not None and self._probe()
        if self.namespace:
            self.description = "hidden from it (empty tmpfs mounts): " + ", ".join(self.hidden)
        else:
            self.description = "the checkout and Python stay visible (no mount namespace here); environment cleaned"

    def env(self) -> dict[str, str]:
        env = {
            "PATH": os.pathsep.join(p for p in ("/usr/local/bin", "/usr/bin", "/bin") if os.name != "nt"),
            "HOME": str(self.home),
            "LANG": "C.UTF-8" if os.name != "nt" else "",  # present on every Debian; Qt wants UTF-8
            "QT_QPA_PLATFORM": "offscreen",
            "TMPDIR": str(self.work),
        }
        for name in ("SYSTEMROOT", "WINDIR", "USERPROFILE", "APPDATA", "LOCALAPPDATA"):
            if name in os.environ:
                env[name] = os.environ[name]
        if os.name == "nt":
            env["TEMP"] = env["TMP"] = str(self.work)
        return {k: v for k, v in env.items() if v}

    def _probe(self) -> bool:
        try:
            probe = subprocess.run(self._wrap(["true"]), capture_output=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            return False
        return probe.returncode == 0

    def _wrap(self, command: list[str]) -> list[str]:
        mounts = " && ".join(f"mount -t tmpfs -o size=1m kp-hidden {shlex.quote(p)}" for p in self.hidden)
        script = f"{mounts} && exec {shlex.join(command)}" if mounts else f"exec {shlex.join(command)}"
        prefix = ["unshare", "--mount"] if os.geteuid() == 0 else ["unshare", "--mount", "--map-root-user"]
        return [*prefix, "sh", "-c", script]

    def run(self, args: list[str]) -> subprocess.CompletedProcess:
        command = [str(self.exe), *args]
        if self.namespace:
            command = self._wrap(command)
        started = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True, errors="replace", env=self.env(), cwd=self.work, timeout=TIMEOUT)
        print(f"smoke: {' '.join(args[:1])} → exit {result.returncode} in {time.perf_counter() - started:.1f} s")
        log = self.work / "kawasaki-planner-self-test.log"  # windowed Windows build: no stdout (packaging/entry.py)
        if not result.stdout and log.is_file():
            result.stdout = log.read_text(encoding="utf-8", errors="replace")
        for line in result.stdout.splitlines():
            print(f"    | {line}")
        return result


def judge(name: str, result: subprocess.CompletedProcess) -> list[str]:
    failures = []
    if result.returncode != 0:
        failures.append(f"{name}: exit code {result.returncode}")
    unexpected = [line for line in result.stderr.splitlines() if line.strip() and not allowed(line)]
    for line in result.stderr.splitlines():
        print(f"    ! {line}" + ("" if allowed(line) or not line.strip() else "   ← unexpected"))
    if unexpected:
        failures.append(f"{name}: {len(unexpected)} unexpected stderr line(s), first: {unexpected[0]!r}")
    return failures


def allowed(line: str) -> bool:
    return any(re.search(pattern, line.strip()) for pattern in ALLOWED_STDERR)


def check_layout(dist: Path) -> list[str]:
    failures = [f"missing from the folder: {rel}" for rel in REQUIRED if not (dist / rel).is_file()]
    for path in dist.rglob("*"):
        rel = path.relative_to(dist).as_posix()
        for pattern in FORBIDDEN:
            if re.search(pattern, rel):
                failures.append(f"excluded component found in the folder: {rel}")
                break
    return failures


def check_png(path: Path) -> list[str]:
    if not path.is_file():
        return [f"--screenshot wrote no file at {path}"]
    data = path.read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n" or len(data) < 24:
        return ["--screenshot did not write a PNG"]
    width, height = struct.unpack(">II", data[16:24])
    if width < 800 or height < 500 or len(data) < 20_000:
        return [f"--screenshot looks empty: {width}×{height}, {len(data)} bytes"]
    print(f"smoke: screenshot {width}×{height}, {len(data) // 1024} KiB")
    return []


def folder_size(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def count_files(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*") if p.is_file() or p.is_symlink())


def zip_folder(folder: Path, out: Path) -> int:
    """Zip the folder (deflate, level 9); symbolic links (Linux builds) are stored as links, not copies."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(folder.rglob("*")):
            name = (Path(folder.name) / path.relative_to(folder)).as_posix()
            if path.is_symlink():
                info = zipfile.ZipInfo(name)
                info.external_attr = 0o120777 << 16
                archive.writestr(info, os.readlink(path))
            elif path.is_file():
                archive.write(path, name)
    return out.stat().st_size


if __name__ == "__main__":
    raise SystemExit(main())
