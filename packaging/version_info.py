"""Windows version information (file properties → 詳細) for the frozen executable, from pyproject.toml.

``build.spec`` writes :func:`version_file_text` into the build folder and passes that file to PyInstaller's
EXE, which embeds it when building on Windows (elsewhere it is ignored). The text is PyInstaller's version
file format (the repr of ``PyInstaller.utils.win32.versioninfo.VSVersionInfo``); it is generated rather than
kept by hand so the version cannot drift from pyproject.toml. ``python packaging/version_info.py`` prints it.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMPANY = "川崎市"
PRODUCT = "Kawasaki Planner (川崎市社会的養育推進計画 管理ツール)"
DESCRIPTION = "川崎市社会的養育推進計画 管理ツール"
EXE_NAME = "kawasaki-planner.exe"
LANG_CODEPAGE = "041104B0"  # Japanese (0x0411), Unicode (code page 1200 = 0x04B0)


def project_version() -> str:
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]["version"]


def version_tuple(version: str) -> tuple[int, int, int, int]:
    numbers = []
    for part in version.split(".")[:4]:
        digits = "".join(ch for ch in part if ch.isdigit())  # "1rc2" → 1: Windows wants four integers
        numbers.append(int(digits or 0))
    return tuple((*numbers, 0, 0, 0, 0)[:4])


def version_file_text(version: str | None = None) -> str:
    version = version or project_version()
    numbers = version_tuple(version)
    strings = {
        "CompanyName": COMPANY,
        "FileDescription": DESCRIPTION,
        "FileVersion": version,
        "InternalName": "kawasaki-planner",
        "LegalCopyright": f"© {COMPANY}",
        "OriginalFilename": EXE_NAME,
        "ProductName": PRODUCT,
        "ProductVersion": version,
    }
    structs = ",\n".join(f"          StringStruct({key!r}, {value!r})" for key, value in strings.items())
    return f"""# -*- coding: utf-8 -*-
VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={numbers},
    prodvers={numbers},
    mask=0x3f,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0)
  ),
  kids=[
    StringFileInfo([
      StringTable(
        {LANG_CODEPAGE!r},
        [
{structs}
        ])
    ]),
    VarFileInfo([VarStruct('Translation', [0x0411, 1200])])
  ]
)
"""


def write_version_file(path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(version_file_text(), encoding="utf-8")
    return path


if __name__ == "__main__":
    print(version_file_text(), end="")
