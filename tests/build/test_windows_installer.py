"""The Windows installer script (packaging/windows/suqiu-station.iss), read as Inno Setup reads
it (issue 12 item 1): per user with no administrator rights, the program under
%LOCALAPPDATA%\\Programs, the data under %LOCALAPPDATA%\\suqiu where neither install nor
uninstall touches it.  We cannot run Inno Setup here; docs/BUILD.md says how to build it."""
from __future__ import annotations

import ntpath
import re
import tomllib

import pytest

from .helpers import ROOT

ISS = ROOT / "packaging" / "windows" / "suqiu-station.iss"
# Inno Setup's folder constants for a per-user install, and what they mean on Windows 10/11
USER_AREAS = {"{userpf}": r"C:\Users\clerk\AppData\Local\Programs",
              "{localappdata}": r"C:\Users\clerk\AppData\Local"}
MACHINE_WIDE = ("{pf}", "{pf32}", "{pf64}", "{commonpf}", "{commonpf32}", "{commonpf64}",
                "{autopf}", "{commonappdata}", "{commondesktop}", "{commonprograms}",
                "{commonstartmenu}", "{win}", "{sys}", "HKLM", "HKEY_LOCAL_MACHINE")


def parse_iss(text: str) -> tuple[dict[str, str], dict[str, list[dict[str, str]]], dict[str, str]]:
    """([Setup] directives, other sections' entries as {param: value}, #defines)."""
    setup: dict[str, str] = {}
    sections: dict[str, list[dict[str, str]]] = {}
    defines = dict(re.findall(r'^#define\s+(\w+)\s+"([^"]*)"', text, flags=re.M))
    current = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(";") or line.startswith("#"):
            continue
        m = re.fullmatch(r"\[(\w+)\]", line)
        if m:
            current = m.group(1)
            sections.setdefault(current, [])
            continue
        if current == "Setup":
            key, _, value = line.partition("=")
            setup[key.strip()] = value.strip()
        elif current == "Code":
            sections["Code"].append({"line": line})
        elif current is not None:
            entry = {}
            for part in re.findall(r'(\w+):\s*("(?:[^"]|"")*"|[^;]*)', line):
                entry[part[0]] = part[1].strip().strip('"')
            sections[current].append(entry)
    for key, value in setup.items():
        setup[key] = re.sub(r"\{#(\w+)\}", lambda m: defines[m.group(1)], value)
    return setup, sections, defines


@pytest.fixture(scope="module")
def iss():
    return parse_iss(ISS.read_text(encoding="utf-8"))


def _expand(path: str) -> str:
    for const, real in USER_AREAS.items():
        path = path.replace(const, real)
    return ntpath.normcase(ntpath.normpath(path))


def test_per_user_without_admin(iss):
    setup, _, _ = iss
    assert setup["PrivilegesRequired"] == "lowest"
    # no dialog or command-line switch that turns it into an administrative install
    assert "PrivilegesRequiredOverridesAllowed" not in setup
    assert setup["DefaultDirName"].startswith(("{userpf}", "{localappdata}"))
    text = ISS.read_text(encoding="utf-8")
    assert not [c for c in MACHINE_WIDE if c.lower() in text.lower()]


def test_data_folder_is_the_apps_and_outside_the_program_folder(iss, monkeypatch):
    """What station_app/paths.py gives on Windows (platformdirs, %LOCALAPPDATA%\\suqiu) is
    not inside {app}: uninstalling removes {app}'s files and nothing of the data."""
    import platformdirs.windows

    monkeypatch.setenv("WIN_PD_OVERRIDE_LOCAL_APPDATA", USER_AREAS["{localappdata}"])
    data = platformdirs.windows.Windows("suqiu", appauthor=False).user_data_dir
    data = ntpath.normcase(ntpath.normpath(data.replace("/", "\\")))
    assert data == ntpath.normcase(r"C:\Users\clerk\AppData\Local\suqiu")
    app = _expand(iss[0]["DefaultDirName"])
    assert not (data + "\\").startswith(app + "\\") and not (app + "\\").startswith(data + "\\")
    # station_app really asks platformdirs for that folder
    paths_src = (ROOT / "station_app" / "paths.py").read_text(encoding="utf-8")
    assert 'user_data_dir("suqiu", appauthor=False)' in paths_src


def test_data_is_kept_on_uninstall_and_upgrade(iss):
    _, sections, _ = iss
    assert "UninstallDelete" not in sections
    for entry in sections.get("InstallDelete", []):
        assert entry["Name"].startswith("{app}\\"), entry
    for entry in sections["Files"]:
        assert entry["DestDir"].startswith("{app}"), entry
        assert "uninsneveruninstall" not in entry.get("Flags", "")


def test_files_icon_and_version_match_the_build(iss):
    setup, sections, defines = iss
    version = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    assert defines["AppVersion"] == version
    here = ISS.parent
    source = sections["Files"][0]["Source"]
    # relative to the .iss: ..\..\dist\suqiu-station\* is what the spec's COLLECT writes
    assert (here / source.replace("\\", "/")).parent.resolve() == ROOT / "dist" / "suqiu-station"
    icon = (here / setup["SetupIconFile"].replace("\\", "/")).resolve()
    assert icon == ROOT / "build" / "icons" / "suqiu-station.ico"   # render_icons.py's default
    shortcuts = sections["Icons"]
    assert shortcuts and all(s["Filename"] == r"{app}\suqiu-station.exe" for s in shortcuts)
    assert all(s["Name"].startswith(("{autoprograms}", "{autodesktop}")) for s in shortcuts)


def test_selftest_never_runs_on_the_clerks_data(iss):
    """A fresh data folder gets demo data from selftest: the installer's run of it must use a
    throw-away folder, or the clerk's first start finds a demo station instead of first-run
    setup (the old script ran `selftest` on the real folder)."""
    _, sections, _ = iss
    runs = [e for e in sections.get("Run", []) if "selftest" in e.get("Parameters", "")]
    assert runs == []
    code = "\n".join(e["line"] for e in sections.get("Code", []))
    assert "selftest" in code
    call = code[code.index("Exec("):code.index("ewWaitUntilTerminated")]
    assert "--data-dir" in call and "{tmp}" in call
    assert "ResultCode <> 0" in code                       # a failed selftest is reported


def test_parser_sees_a_machine_wide_script():
    """The checks can fail: the script as it was before this change."""
    old = ("[Setup]\nDefaultDirName={autopf}\\Suqiu\nPrivilegesRequiredOverridesAllowed=dialog\n"
           "[Run]\nFilename: \"{app}\\suqiu-station.exe\"; Parameters: \"selftest\"; "
           "Flags: runhidden\n")
    setup, sections, _ = parse_iss(old)
    assert "PrivilegesRequired" not in setup
    assert setup["PrivilegesRequiredOverridesAllowed"] == "dialog"
    assert not setup["DefaultDirName"].startswith(("{userpf}", "{localappdata}"))
    assert sections["Run"][0]["Parameters"] == "selftest"
