"""The rules of the station's build, checked without building (fast; tests/build/test_bundle.py
builds for real): what may be in the bundle, the .deb's Depends, the icon, the menu entry."""
from __future__ import annotations

import ast
import configparser
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import ROOT, load_script

bf = load_script("bundle_filter", "packaging/bundle_filter.py")
make_deb = load_script("make_deb", "scripts/make_deb.py")
check_bundle = load_script("check_bundle", "scripts/check_bundle.py")


def _qt_imports(*packages: str) -> set[str]:
    found = set()
    for pkg in packages:
        for path in (ROOT / pkg).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = []
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module] + ([f"{node.module}.{a.name}" for a in node.names]
                                             if node.module == "PySide6" else [])
                for n in names:
                    if n.startswith("PySide6.Qt"):
                        found.add(n.split(".")[1][2:])
    return found


def test_the_bundle_allows_exactly_the_qt_the_station_imports():
    """A new ``from PySide6.QtX import`` in the app must be allowed here too, or the spec
    would leave QtX out and the bundle would fail where the source runs."""
    assert _qt_imports("station_app", "petition_core") == set(bf.APP_QT)


@pytest.mark.parametrize("path", [
    "_internal/PySide6/Qt/lib/libQt6WebEngineCore.so.6",
    "_internal/PySide6/QtWebEngineWidgets.abi3.so",
    "_internal/PySide6/Qt/lib/libQt6Qml.so.6",
    "_internal/PySide6/Qt/lib/libQt6Quick.so.6",
    "_internal/PySide6/Qt/lib/libQt63DCore.so.6",
    "_internal/PySide6/Qt/lib/libQt6Multimedia.so.6",
    "_internal/PySide6/Qt/lib/libQt6FFmpegStub-ssl.so.3",
    "_internal/PySide6/Qt/lib/libQt6Network.so.6",
    "_internal/PySide6/QtSvg.abi3.so",
    "_internal/PySide6/Qt/lib/libQt6VirtualKeyboard.so.6",
    "_internal/PySide6/Qt/lib/libQt6WaylandClient.so.6",
    "_internal/PySide6/Qt/plugins/platformthemes/libqgtk3.so",
    "_internal/PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so",
    "_internal/PySide6/Qt/plugins/platforms/libqwayland.so",
    "PySide6/Qt6WebEngineCore.dll",                     # a Windows bundle
    "PySide6/plugins/platforms/qdirect2d.dll",
])
def test_forbidden_names_what_the_station_does_not_use(path):
    assert bf.forbidden([path]) != {}


@pytest.mark.parametrize("path", [
    "_internal/PySide6/Qt/lib/libQt6Core.so.6",
    "_internal/PySide6/QtWidgets.abi3.so",
    "_internal/PySide6/Qt/lib/libQt6PrintSupport.so.6",
    "_internal/PySide6/Qt/lib/libQt6DBus.so.6",
    "_internal/PySide6/Qt/lib/libQt6XcbQpa.so.6",
    "_internal/PySide6/Qt/plugins/platforms/libqxcb.so",
    "_internal/PySide6/Qt/plugins/platforms/libqoffscreen.so",
    "_internal/PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so",
    "_internal/PySide6/Qt/plugins/printsupport/libcupsprintersupport.so",
    "_internal/PySide6/Qt/plugins/imageformats/libqjpeg.so",
    "PySide6/plugins/platforms/qwindows.dll",
    "PySide6/Qt6Widgets.dll",
    "_internal/libQtSomethingElse.so",                   # not a Qt 6 library at all
    "_internal/petition_core/resources/styles/station.qss",
])
def test_forbidden_allows_what_the_station_needs(path):
    assert bf.forbidden([path]) == {}


def test_check_bundle_fails_on_a_bundle_with_webengine(tmp_path, capsys):
    """scripts/check_bundle.py (package.sh's gate) on a fake bundle: exit 1, names it."""
    lib = tmp_path / "_internal" / "PySide6" / "Qt" / "lib"
    lib.mkdir(parents=True)
    (lib / "libQt6Core.so.6").write_bytes(b"x" * 10)
    assert check_bundle.main([str(tmp_path)]) == 0
    (lib / "libQt6WebEngineCore.so.6").write_bytes(b"x" * 10)
    assert check_bundle.main([str(tmp_path)]) == 1
    assert "WebEngineCore" in capsys.readouterr().err


def test_every_other_installed_pyside_module_is_excluded():
    import PySide6

    names = [p.name for p in Path(PySide6.__file__).parent.iterdir()]
    excluded = bf.excluded_pyside_modules(names)
    assert {"PySide6.QtNetwork", "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtSvg",
            "PySide6.Qt3DCore", "PySide6.QtMultimedia", "PySide6.QtCharts"} <= set(excluded)
    assert not {f"PySide6.Qt{m}" for m in bf.ALLOWED_QT} & set(excluded)


def test_plugins_and_translations_kept():
    assert bf.keep_plugin("PySide6/Qt/plugins/platforms/libqxcb.so")
    assert not bf.keep_plugin("PySide6/Qt/plugins/platforms/libqeglfs.so")
    assert not bf.keep_plugin("PySide6/Qt/plugins/tls/libqopensslbackend.so")
    assert bf.keep_plugin("petition_core/resources/plugins/x/y")   # not Qt's: untouched
    assert bf.keep_translation("PySide6/Qt/translations/qtbase_zh_CN.qm")
    assert bf.keep_translation("PySide6/Qt/translations/qt_en.qm")
    assert not bf.keep_translation("PySide6/Qt/translations/qtbase_de.qm")
    assert bf.keep_translation("petition_core/resources/translations/suqiu_en.qm")


def test_orphans_are_libraries_nothing_kept_links():
    links = {
        "QtWidgets.abi3.so": ["libQt6Widgets.so.6"],
        "libQt6Widgets.so.6": ["libQt6Gui.so.6", "libstdc++.so.6"],
        "libQt6Gui.so.6": ["libQt6Core.so.6"],
        "libQt6Core.so.6": ["libicuuc.so.73"],
        "libicuuc.so.73": [],
        "libgtk-3.so.0": ["libcairo.so.2"],          # linked only by a dropped GTK theme
        "libcairo.so.2": [],
    }
    assert bf.orphans(links, ["QtWidgets.abi3.so"]) == {"libgtk-3.so.0", "libcairo.so.2"}


def test_system_libraries_of_listed_packages_are_dropped():
    sources = {"libX11.so.6": "/lib/x86_64-linux-gnu/libX11.so.6",
               "libsqlite3.so.0": "/lib/x86_64-linux-gnu/libsqlite3.so.0"}
    owners = {"/lib/x86_64-linux-gnu/libX11.so.6": "libx11-6",
              "/lib/x86_64-linux-gnu/libsqlite3.so.0": "libsqlite3-0"}
    dropped = bf.system_libraries_to_drop(sources, ["libx11-6", "libxcb1"],
                                          lambda paths: {p: owners[p] for p in paths})
    assert dropped == {"libX11.so.6"}


# ---- the .deb's Depends -------------------------------------------------------------------

def test_depends_lists_the_runtime_packages_with_renamed_alternatives_and_floors():
    pkgs = make_deb.read_packages()
    deps = make_deb.depends(pkgs, "2.35", "3.4.29")
    assert len(deps) == len(pkgs) + 1                      # + libc6; libstdc++6 is in the list
    assert "libglib2.0-0 | libglib2.0-0t64" in deps
    assert "libcups2 | libcups2t64" in deps
    assert deps[-1] == "libc6 (>= 2.35)"
    assert "libstdc++6 (>= 11)" in deps
    assert deps[0].startswith("fonts-noto-cjk | ")


def test_symbol_floor_reads_objdump_output():
    outs = ["0000 DF *UND* 0000 (GLIBC_2.2.5) memcpy\n0000 DF *UND* (GLIBC_2.34) pthread_x\n",
            "0000 DF *UND* 0000 (GLIBCXX_3.4.29) _ZNSt\n0000 DF *UND* (GLIBC_2.4) y\n"]
    assert make_deb.symbol_floor(outs) == ("2.34", "3.4.29")
    assert make_deb.symbol_floor([""]) == (None, None)
    with pytest.raises(SystemExit):
        make_deb.depends([], None, "3.4.99")               # a newer GCC than the table knows


# ---- icon and menu entry ------------------------------------------------------------------

def test_icon_renders_to_every_size_and_an_ico(tmp_path):
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "render_icons.py"), str(tmp_path)],
                       capture_output=True, text=True, timeout=120,
                       env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    assert r.returncode == 0, r.stderr
    from PySide6.QtGui import QImage

    for size in (16, 24, 32, 48, 64, 128, 256):
        png = tmp_path / "hicolor" / f"{size}x{size}" / "apps" / "suqiu-station.png"
        image = QImage(str(png))
        assert (image.width(), image.height()) == (size, size)
        assert image.pixelColor(size // 2, size // 2).alpha() == 255     # drawn, not empty
        assert image.pixelColor(0, 0).alpha() == 0                       # rounded corner
    ico = (tmp_path / "suqiu-station.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", ico)
    assert (reserved, kind, count) == (0, 1, 7)
    for i in range(count):
        w, h, _, _, planes, bpp, length, offset = struct.unpack_from("<BBBBHHII", ico, 6 + 16 * i)
        assert ico[offset:offset + 8] == b"\x89PNG\r\n\x1a\n" and planes == 1 and bpp == 32
        assert offset + length <= len(ico)
    assert (tmp_path / "hicolor" / "scalable" / "apps" / "suqiu-station.svg").is_file()


def test_desktop_entry_names_the_installed_command_and_icon():
    cp = configparser.ConfigParser(interpolation=None)
    cp.optionxform = str   # keep the case of keys
    cp.read(ROOT / "packaging" / "linux" / "suqiu-station.desktop", encoding="utf-8")
    entry = cp["Desktop Entry"]
    assert entry["Exec"].split()[0] == make_deb.PACKAGE == entry["TryExec"]
    assert entry["Icon"] == "suqiu-station"
    assert entry["Name[zh_CN]"] == "诉求通"
    # the window's WM_CLASS class is the Qt application name (station_app/app.py)
    assert entry["StartupWMClass"] == "suqiu"
    app_src = (ROOT / "station_app" / "app.py").read_text(encoding="utf-8")
    assert 'setApplicationName("suqiu")' in app_src


def test_package_sh_fails_loudly_without_pyinstaller(tmp_path):
    """No PyInstaller in the venv: scripts/package.sh stops at once and says what to do
    (a PyInstaller package that cannot be imported stands in for a missing one)."""
    fake = tmp_path / "shadow" / "PyInstaller"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise ImportError('no PyInstaller here')\n")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "SUQIU_PACKAGE_SKIP_SETUP": "1",
           "PYTHONPATH": str(fake.parent)}
    r = subprocess.run(["bash", str(ROOT / "scripts" / "package.sh"), str(tmp_path / "out")],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 1
    assert "PyInstaller is not installed" in r.stderr and "scripts/setup.sh" in r.stderr
    assert not (tmp_path / "out" / "suqiu-station").exists()
