"""Real spreadsheet programs for the round-trip tests: one headless LibreOffice per test module, Gnumeric's ssconvert.

LibreOffice is driven through its own scripting (UNO) by lo_driver.py under Debian's /usr/bin/python3
(python3-uno); scripts/setup.sh installs both programs. Without them the tests are skipped, unless
the environment variable CI is set: then a missing program fails them, so CI can never skip them silently.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from tests.spreadsheet import lo_driver

DRIVER = Path(lo_driver.__file__).resolve()
SYSTEM_PYTHON = "/usr/bin/python3"
RUN_TIMEOUT = 120  # seconds for one LibreOffice run: load, act, store
INSTALL_HINT = "run scripts/setup.sh (installs libreoffice-calc-nogui, python3-uno and gnumeric)"


def on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require(missing: str | None) -> None:
    """Skip with the reason on a developer's machine; fail on CI, where the program must be there."""
    if missing is None:
        return
    if on_ci():
        pytest.fail(f"{missing}, and CI is set: these tests must run on CI ({INSTALL_HINT})", pytrace=False)
    pytest.skip(f"{missing}: {INSTALL_HINT}")


def libreoffice_missing() -> str | None:
    if shutil.which("soffice") is None:
        return "LibreOffice (soffice) is not installed"
    if not os.access(SYSTEM_PYTHON, os.X_OK):
        return f"{SYSTEM_PYTHON} is not installed"
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], env=system_python_env(), capture_output=True, timeout=60)
    if probe.returncode != 0:
        return f"python3-uno is not installed ({SYSTEM_PYTHON} cannot import uno)"
    return None


def system_python_env() -> dict[str, str]:
    """The environment for Debian's python3: nothing of the venv's Python settings."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP")}


class LibreOfficeError(AssertionError):
    pass


class LibreOffice:
    """One headless soffice (private profile, named pipe) and a small client that runs lo_driver.py against it."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.process: subprocess.Popen | None = None
        self.pipe = ""
        self.runs: list[float] = []

    def start(self) -> None:
        self.pipe = f"kp_lo_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        profile = self.workdir / f"profile-{self.pipe}"
        self.process = lo_driver.start_soffice(self.pipe, profile)

    def stop(self) -> None:
        if self.process is None:
            return
        process, self.process = self.process, None
        lo_driver.stop_soffice(process, grace=0)  # SIGTERM to its process group, then SIGKILL

    def edit(self, source: Path, target: Path, actions: list[dict]) -> Path:
        """Open ``source`` in LibreOffice, perform ``actions`` (see lo_driver.py), store ``target`` as .xlsx."""
        if self.process is None or self.process.poll() is not None:
            self.stop()
            self.start()
        command = [SYSTEM_PYTHON, str(DRIVER), "--connect", self.pipe, "--timeout", str(RUN_TIMEOUT - 10),
                   str(source), str(target), json.dumps(actions, ensure_ascii=False)]
        started = time.monotonic()
        try:
            result = subprocess.run(command, env=system_python_env(), capture_output=True, text=True, timeout=RUN_TIMEOUT)
        except subprocess.TimeoutExpired as error:
            self.stop()  # a hung soffice is not used again: the next run starts a fresh one
            raise LibreOfficeError(f"LibreOffice did not finish within {RUN_TIMEOUT} s: {actions}") from error
        finally:
            self.runs.append(time.monotonic() - started)
        if result.returncode != 0:
            self.stop()
            raise LibreOfficeError(f"lo_driver failed ({result.returncode}): {result.stderr.strip()}\nactions: {actions}")
        if not target.is_file():
            raise LibreOfficeError(f"LibreOffice stored nothing at {target}")
        return target

    def convert(self, source: Path, target: Path) -> Path:
        """``soffice --headless --convert-to xlsx``: a plain re-save by a separate soffice with its own profile."""
        with tempfile.TemporaryDirectory(prefix="kp-lo-convert-", dir=self.workdir) as scratch:
            scratch = Path(scratch)
            command = [shutil.which("soffice") or "soffice", "--headless", "--invisible", "--norestore", "--nologo",
                       f"-env:UserInstallation={(scratch / 'profile').as_uri()}",
                       "--convert-to", f"xlsx:{lo_driver.FILTER}", "--outdir", str(scratch / "out"), str(source)]
            run_bounded(command, "soffice --convert-to")
            produced = scratch / "out" / (source.stem + ".xlsx")
            if not produced.is_file():
                raise LibreOfficeError(f"soffice --convert-to produced nothing for {source}")
            shutil.move(produced, target)
        return target


def run_bounded(command: list[str], what: str) -> subprocess.CompletedProcess:
    """Run a program in its own process group; on timeout end the whole group."""
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    try:
        out, err = process.communicate(timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired as error:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise LibreOfficeError(f"{what} did not finish within {RUN_TIMEOUT} s") from error
    if process.returncode != 0:
        raise LibreOfficeError(f"{what} failed ({process.returncode}): {err.strip()}")
    return subprocess.CompletedProcess(command, process.returncode, out, err)


@pytest.fixture(scope="module")
def libreoffice(tmp_path_factory):
    """A running headless LibreOffice for the module, and a client: .edit(src, dst, actions), .convert(src, dst)."""
    require(libreoffice_missing())
    office = LibreOffice(tmp_path_factory.mktemp("libreoffice"))
    office.start()
    try:
        yield office
    finally:
        office.stop()


@pytest.fixture(scope="module")
def ssconvert():
    """Gnumeric's ssconvert: ssconvert(src, dst) re-saves a workbook as .xlsx."""
    require(None if shutil.which("ssconvert") else "Gnumeric's ssconvert is not installed")

    def convert(source: Path, target: Path) -> Path:
        run_bounded([shutil.which("ssconvert") or "ssconvert", str(source), str(target)], "ssconvert")
        if not target.is_file():
            raise LibreOfficeError(f"ssconvert produced nothing for {source}")
        return target

    return convert


@pytest.fixture
def app_workbook(tmp_path: Path, sample_path: Path) -> Path:
    """The workbook as the app saves it: the sample loaded and saved by save_plan."""
    from kawasaki_planner.io.workbook import load_plan, save_plan

    target = tmp_path / "saved_by_app.xlsx"
    save_plan(load_plan(sample_path), target)
    return target
