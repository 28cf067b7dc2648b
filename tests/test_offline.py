"""The app runs on offline city PCs: the core must never open an internet connection.

Two proofs: at run time, every way Python resolves or connects is trapped while the core loads, edits,
saves, re-loads and exports the plan; statically, no module of the package imports a network library.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "kawasaki_planner"
SOURCE = ROOT / "sample_data" / "plan_source.json"
SAMPLE = ROOT / "sample_data" / "kawasaki_plan_r8.xlsx"

_LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "", None}


class NetworkAttempt(AssertionError):
    pass


def _host(kind: str, args: tuple) -> object:
    """The host a trapped call is about; None for an AF_UNIX socket path (always local)."""
    if kind.startswith("socket."):  # method: (self, address, ...)
        address = args[1]
        return None if isinstance(address, (str, bytes)) else address[0]
    if kind == "create_connection":  # (address, ...)
        return args[0][0]
    return args[0]  # getaddrinfo / gethostbyname*: (host, ...)


@pytest.fixture
def no_network(monkeypatch):
    """Record and refuse any non-local resolve or connect; yields the list of attempts."""
    attempts: list[tuple[str, object]] = []

    def trap(kind, real):
        def wrapper(*args, **kwargs):
            host = _host(kind, args)
            if host in _LOCAL_HOSTS:
                return real(*args, **kwargs)
            attempts.append((kind, host))
            raise NetworkAttempt(f"{kind}({host!r}) attempted while offline")

        return wrapper

    for name in ("connect", "connect_ex", "sendto"):
        monkeypatch.setattr(socket.socket, name, trap(f"socket.{name}", getattr(socket.socket, name)))
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex"):
        monkeypatch.setattr(socket, name, trap(name, getattr(socket, name)))
    yield attempts
    assert attempts == [], f"network use while offline: {attempts}"


def test_the_trap_is_real(no_network):
    with pytest.raises(NetworkAttempt):
        socket.create_connection(("example.com", 80), timeout=0.01)
    with pytest.raises(NetworkAttempt):
        socket.getaddrinfo("example.com", 443)
    assert [kind for kind, _ in no_network] == ["create_connection", "getaddrinfo"]
    no_network.clear()


def test_load_edit_save_reload_and_export_stay_offline(no_network, tmp_path):
    from kawasaki_planner.core.plan import FigureRef
    from kawasaki_planner.io import tidy
    from kawasaki_planner.io.source import load_source
    from kawasaki_planner.io.workbook import load_plan, save_plan

    plan = load_source(SOURCE)
    ref = FigureRef(2, "意見表明支援を利用可能な児童数", 2025, "actual")
    plan.set_figure(ref, "990人")

    path = tmp_path / "計画.xlsx"
    save_plan(plan, path)
    save_plan(plan, path)  # the second save exercises the replace-and-backup path
    reloaded = load_plan(path)
    assert reloaded.figure(ref) == plan.figure(ref)

    csv_text = tidy.to_csv(reloaded)
    assert "990" in csv_text
    assert json.loads(tidy.to_json(reloaded))
    tidy.write_export(reloaded, "csv", str(tmp_path / "export.csv"))


def test_published_workbook_and_cli_commands_stay_offline(no_network):
    from kawasaki_planner.cli import main
    from kawasaki_planner.io.workbook import load_plan

    load_plan(SAMPLE)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        for command in ("check", "export", "forecast"):
            assert main([command, str(SAMPLE)]) == 0, command


# --- Static: nothing in the package can reach the network, even on a code path no test runs. ---

_NETWORK_MODULES = (
    "socket", "ssl", "urllib.request", "urllib3", "http.client", "http.server", "requests", "httpx", "aiohttp",
    "ftplib", "smtplib", "poplib", "imaplib", "telnetlib", "xmlrpc", "websocket", "websockets",
    "PySide6.QtNetwork", "PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets", "PyQt5.QtNetwork",
)
_NETWORK_NAMES = ("QtNetwork", "QNetworkAccessManager", "QTcpSocket", "QWebEngine", "urlopen")


def _imported_modules(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
            for alias in node.names:
                yield node.lineno, f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Call) and _is_dynamic_import(node):
            yield node.lineno, node.args[0].value


def _is_dynamic_import(call: ast.Call) -> bool:
    name = getattr(call.func, "attr", getattr(call.func, "id", ""))
    first = call.args[0] if call.args else None
    return name in ("import_module", "__import__") and isinstance(first, ast.Constant) and isinstance(first.value, str)


def _is_network(module: str) -> bool:
    return any(module == bad or module.startswith(bad + ".") for bad in _NETWORK_MODULES)


def test_no_module_of_the_package_imports_a_network_library():
    sources = sorted(PACKAGE.rglob("*.py"))
    assert len(sources) > 10, "the scan must actually see the package"
    found = []
    for path in sources:
        text = path.read_text(encoding="utf-8")
        found += [
            f"{path.relative_to(ROOT)}:{line}: import {module}"
            for line, module in _imported_modules(ast.parse(text))
            if _is_network(module)
        ]
        found += [
            f"{path.relative_to(ROOT)}:{number}: {name}"
            for number, line in enumerate(text.splitlines(), 1)
            for name in _NETWORK_NAMES
            if name in line
        ]
    assert found == []


@pytest.mark.parametrize(
    "snippet",
    ["import socket", "from urllib.request import urlopen", "from PySide6.QtNetwork import QNetworkAccessManager",
     "import http.client as h", "importlib.import_module('requests')"],
)
def test_the_static_scan_would_catch(snippet):
    assert any(_is_network(module) for _, module in _imported_modules(ast.parse(snippet)))
