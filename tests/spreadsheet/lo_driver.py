#!/usr/bin/python3
"""Make LibreOffice Calc do to a workbook what a person does, through LibreOffice's own scripting (UNO).

Run by Debian's /usr/bin/python3, which has python3-uno (the project's venv has no ``uno``); the
tests start it as a subprocess. It never touches the workbook with anything but LibreOffice:

    lo_driver.py IN.xlsx OUT.xlsx '[{"do": "type", "sheet": "2 権利擁護", "cell": "G6", "text": "105"}]'

starts ``soffice --headless --invisible --norestore`` with a private user profile, listening on a
named pipe only (a local socket: nothing on the network), loads IN, performs the actions in order,
stores the result as OUT in 'Calc MS Excel 2007 XML' and quits, killing soffice if it does not.
With ``--connect PIPE`` it uses an soffice already listening on that pipe and leaves it running
(the tests keep one per module, started with this module's start_soffice). The whole run is
bounded by ``--timeout`` seconds: a watchdog ends the soffice it started and exits with 3.

Actions (rows and cells as the user sees them: 1-based rows, A1 coordinates):
    {"do": "resave"}                                           no change
    {"do": "type", "sheet": S, "cell": "G6", "text": "105"}    typed as at the keyboard (XCell.setFormula)
    {"do": "write", "sheet": S, "cell": "H6", "text": "a\nb"}  a text typed with Alt+Enter line breaks (setString)
    {"do": "insert_rows", "sheet": S, "before": 8, "count": 1} blank rows above row 8
    {"do": "clear", "sheet": S, "cell": "G6"}                  the Delete key: contents go, formats stay
    {"do": "rename_sheet", "sheet": S, "to": NEW}
    {"do": "add_sheet", "sheet": NEW, "note": TEXT, "cell": "A1"}  a sheet of the planner's own, at the end
    {"do": "comment", "sheet": S, "cell": "A6", "text": TEXT}  a cell comment (annotation)

Prints one JSON line on success: {"ok": true, "seconds": ...}. Errors go to stderr, exit code 1.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

FILTER = "Calc MS Excel 2007 XML"
# com.sun.star.sheet.CellFlags: what the Delete key removes (VALUE | DATETIME | STRING | FORMULA).
DELETE_KEY_FLAGS = 1 | 2 | 4 | 16


def soffice_command(pipe: str, profile: Path) -> list[str]:
    """soffice headless, private profile, accepting UNO connections on a named pipe only."""
    return [
        shutil.which("soffice") or "soffice",
        "--headless", "--invisible", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
        f"-env:UserInstallation={profile.as_uri()}",
        f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
    ]


def start_soffice(pipe: str, profile: Path) -> subprocess.Popen:
    # Its own process group: soffice is a script that starts oosplash and soffice.bin, all ended together.
    return subprocess.Popen(soffice_command(pipe, profile), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


def stop_soffice(process: subprocess.Popen, grace: float = 10.0) -> None:
    """Wait up to ``grace`` seconds for soffice to quit, then end what is left of its process group."""
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=grace)
    # Then the group soffice was started in (oosplash, soffice.bin): asked first, so that oosplash reaps
    # soffice.bin, then killed. Only this group, by its id.
    for sig, wait in ((signal.SIGTERM, 5), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)
        except (ProcessLookupError, PermissionError):
            break
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=wait)
    process.wait(timeout=10)


def connect(pipe: str, deadline: float):
    """The remote ComponentContext, retried until soffice listens or the deadline passes."""
    import uno
    from com.sun.star.connection import NoConnectException

    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def props(**values):
    from com.sun.star.beans import PropertyValue

    out = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name = name
        prop.Value = value
        out.append(prop)
    return tuple(out)


def sheet_of(doc, name: str):
    sheets = doc.getSheets()
    if not sheets.hasByName(name):
        raise KeyError(f"no sheet {name!r}; the workbook has {list(sheets.getElementNames())}")
    return sheets.getByName(name)


def perform(doc, action: dict) -> None:
    kind = action["do"]
    if kind == "resave":
        return
    if kind == "add_sheet":
        sheets = doc.getSheets()
        sheets.insertNewByName(action["sheet"], sheets.getCount())
        sheet = sheets.getByName(action["sheet"])
        sheet.getCellRangeByName(action.get("cell", "A1")).setString(action["note"])
        return
    sheet = sheet_of(doc, action["sheet"])
    if kind == "type":
        # setFormula reads the text as the input line does: "105" is a number, "0.150" too, "=1+1" a formula.
        sheet.getCellRangeByName(action["cell"]).setFormula(action["text"])
    elif kind == "write":
        sheet.getCellRangeByName(action["cell"]).setString(action["text"])
    elif kind == "insert_rows":
        sheet.getRows().insertByIndex(int(action["before"]) - 1, int(action.get("count", 1)))
    elif kind == "clear":
        sheet.getCellRangeByName(action["cell"]).clearContents(DELETE_KEY_FLAGS)
    elif kind == "rename_sheet":
        sheet.setName(action["to"])
    elif kind == "comment":
        cell = sheet.getCellRangeByName(action["cell"])
        sheet.getAnnotations().insertNew(cell.getCellAddress(), action["text"])
    elif kind == "sort":
        sort_range(sheet.getCellRangeByName(action["range"]), int(action.get("column", 0)), bool(action.get("ascending", True)))
    else:
        raise ValueError(f"unknown action {kind!r}")


def sort_range(cells, column: int, ascending: bool) -> None:
    """Data → Sort on a range, by one of its columns (0 = the first), as a planner sorts a table's rows."""
    import uno
    from com.sun.star.table import TableSortField

    field = TableSortField()
    field.Field = column
    field.IsAscending = ascending
    descriptor = []
    for prop in cells.createSortDescriptor():
        if prop.Name == "SortFields":
            prop.Value = uno.Any("[]com.sun.star.table.TableSortField", (field,))
        elif prop.Name == "ContainsHeader":
            prop.Value = False
        descriptor.append(prop)
    uno.invoke(cells, "sort", (tuple(descriptor),))


def edit(ctx, source: Path, target: Path, actions: list[dict]) -> None:
    import uno

    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(str(source.resolve())), "_blank", 0, props(Hidden=True))
    if doc is None:
        raise RuntimeError(f"LibreOffice could not open {source}")
    try:
        for action in actions:
            perform(doc, action)
        doc.storeToURL(uno.systemPathToFileUrl(str(target.resolve())), props(FilterName=FILTER, Overwrite=True))
    finally:
        doc.close(True)


def terminate(ctx) -> None:
    """Ask soffice to quit; the bridge may be disposed under the call, which is the quit succeeding."""
    try:
        ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx).terminate()
    except Exception as error:  # DisposedException / RuntimeException as the bridge goes; stop_soffice makes sure
        print(f"lo_driver: terminate: {type(error).__name__}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("actions", nargs="?", default='[{"do": "resave"}]', help="a JSON list of actions")
    parser.add_argument("--connect", metavar="PIPE", help="use the soffice listening on this pipe and leave it running")
    parser.add_argument("--timeout", type=float, default=110.0, help="seconds for the whole run")
    args = parser.parse_args(argv)

    actions = json.loads(args.actions)
    if not isinstance(actions, list) or not all(isinstance(a, dict) and "do" in a for a in actions):
        parser.error('actions must be a JSON list of objects with "do"')

    started = time.monotonic()
    deadline = started + args.timeout
    process = None
    profile = None
    pipe = args.connect
    if pipe is None:
        profile = Path(tempfile.mkdtemp(prefix="kp-lo-profile-"))
        pipe = f"kp_lo_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        process = start_soffice(pipe, profile)

    def watchdog() -> None:
        print(f"lo_driver: LibreOffice did not finish within {args.timeout:.0f} s", file=sys.stderr, flush=True)
        if process is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
        if profile is not None:
            shutil.rmtree(profile, ignore_errors=True)
        os._exit(3)

    timer = threading.Timer(args.timeout, watchdog)
    timer.daemon = True
    timer.start()
    ctx = None
    try:
        ctx = connect(pipe, deadline)
        edit(ctx, args.source, args.target, actions)
    except Exception as error:
        print(f"lo_driver: {type(error).__name__}: {error}", file=sys.stderr, flush=True)
        return 1
    finally:
        if process is not None:
            if ctx is not None:
                terminate(ctx)
            stop_soffice(process)
        timer.cancel()
        if profile is not None:
            shutil.rmtree(profile, ignore_errors=True)
    print(json.dumps({"ok": True, "seconds": round(time.monotonic() - started, 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
