"""A second app instance for the safety tests, in a real child process that the test can kill.

As a script (``python -m tests.ui.safety_helpers COMMAND ...``, repository root as working folder; the data
folder comes from KAWASAKI_PLANNER_DATA_DIR)::

    lock-probe PLAN      try to lock PLAN, print the result as JSON, release and exit
    lock-hold PLAN       lock PLAN, print "ready", then wait (for a kill, or stdin closing)
    autosave-kill PLAN   open PLAN, make EDIT, let the autosave timer write it, print "ready", then wait
    recoveries           print the recoveries this instance would offer (JSON), and exit
    window-hold PLAN     open PLAN in a real main window (create_main_window), print "ready", then wait
    window-edit PLAN     the same, then make EDIT and autosave it through the window's session; "ready", wait

A waiting child also ends when its stdin closes, so a failed test never leaves it running.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EDIT_REF = (2, "意見表明支援を利用可能な児童数", 2025, "actual")
EDIT_VALUE = "987人"
TIMEOUT = 60
OTHER_PID = 424242


# --- test side ------------------------------------------------------------------------------------
def child_env(data_dir: Path) -> dict[str, str]:
    from kawasaki_planner.ui.app_paths import ENV_VAR

    return {**os.environ, ENV_VAR: str(data_dir), "QT_QPA_PLATFORM": "offscreen", "PYTHONIOENCODING": "utf-8"}


def run_child(data_dir: Path, *args: str) -> dict | list:
    """Run a command that exits by itself; its JSON output."""
    done = subprocess.run([sys.executable, "-m", "tests.ui.safety_helpers", *args], cwd=ROOT, env=child_env(data_dir),
                          capture_output=True, text=True, encoding="utf-8", timeout=TIMEOUT)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def start_child(data_dir: Path, *args: str) -> subprocess.Popen:
    """Start a waiting command and return once it printed "ready"."""
    child = subprocess.Popen([sys.executable, "-m", "tests.ui.safety_helpers", *args], cwd=ROOT, env=child_env(data_dir),
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             encoding="utf-8")
    line = child.stdout.readline()
    if line.strip() != "ready":
        kill(child)
        raise AssertionError(f"child did not get ready: {line!r}\n{child.stderr.read()}")
    return child


def fake_foreign_lock(plan_path: Path, *, user: str | None, silent_hours: float) -> None:
    """The files a planner's app on another PC leaves: QLockFile's format, and our owner record."""
    lock_path = plan_path.with_name(f"~${plan_path.name}.lock")
    lock_path.write_text(f"{OTHER_PID}\nkawasaki-planner.exe\nKWS-PC-0042\nother-machine-id\nother-boot-id\n")
    if user is not None:
        owner = plan_path.with_name(f"~${plan_path.name}.owner")
        owner.write_text(json.dumps({"pid": OTHER_PID, "host": "KWS-PC-0042", "user": user, "since": "2025-04-01T09:00:00"}))
        then = time.time() - silent_hours * 3600
        os.utime(owner, (then, then))


def kill(child: subprocess.Popen) -> None:
    """SIGKILL on POSIX, TerminateProcess on Windows: no cleanup code of the child runs."""
    child.kill()
    child.wait(TIMEOUT)
    for stream in (child.stdin, child.stdout, child.stderr):
        stream.close()


# --- child side -------------------------------------------------------------------------------------
def _wait_for_kill() -> None:
    print("ready", flush=True)
    sys.stdin.read()


def main(argv: list[str]) -> int:
    from PySide6.QtCore import QCoreApplication

    from kawasaki_planner.ui.file_lock import PlanLock

    command, *args = argv
    if command.startswith("window-"):
        return _window_child(command, args[0])
    app = QCoreApplication([])
    if command == "lock-probe":
        lock = PlanLock(args[0])
        result = lock.acquire()
        holder = result.holder
        print(json.dumps({"status": result.status, "text": result.holder_text, "pid": holder and holder.pid,
                          "host": holder and holder.host, "user": holder and holder.user}, ensure_ascii=False))
        lock.release()
    elif command == "lock-hold":
        lock = PlanLock(args[0])
        assert lock.acquire().ok
        _wait_for_kill()
    elif command == "autosave-kill":
        from kawasaki_planner.core.plan import FigureRef
        from kawasaki_planner.ui.autosave import Autosaver
        from kawasaki_planner.ui.document import PlanDocument, load_plan_file

        document = PlanDocument(load_plan_file(args[0]), args[0])
        autosaver = Autosaver(document, interval_ms=50)
        autosaver.saved.connect(app.quit)
        autosaver.failed.connect(lambda message: app.exit(1))
        assert document.set_figure(FigureRef(*EDIT_REF), EDIT_VALUE, "edit")
        if app.exec() != 0:
            return 1
        _wait_for_kill()
    elif command == "recoveries":
        from kawasaki_planner.ui.autosave import pending_recoveries

        found = pending_recoveries()
        print(json.dumps([str(r.original) for r in found], ensure_ascii=False))
        for recovery in found:
            recovery.release()
    return 0


def _window_child(command: str, plan: str) -> int:
    from kawasaki_planner import create_main_window
    from kawasaki_planner.core.plan import FigureRef

    window = create_main_window(plan)  # creates the QApplication
    if window.session.lock is None:
        print(f"not locked: {window.last_message}", flush=True)
        return 1
    if command == "window-edit":
        assert window.document.set_figure(FigureRef(*EDIT_REF), EDIT_VALUE, "edit")
        if not window.session.autosaver.save_now():
            print("autosave failed", flush=True)
            return 1
    _wait_for_kill()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
