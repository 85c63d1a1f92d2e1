"""What goes into the station's PyInstaller bundle, and what never may (issue 12 item 1).

Used by packaging/suqiu-station.spec (to build a lean bundle) and by tests/build (to check
the built one).  No PyInstaller import here, so the tests can import it without building.

PyInstaller's PySide6 hooks collect every plugin of each Qt module the app touches, and then
every library those plugins link: the virtual keyboard plugin drags in Qml and Quick, the
Wayland and EGLFS platforms their own Qt libraries, the GTK platform theme GTK 3 and cairo,
the print plugin libcups with Kerberos and GnuTLS.  The station is a Widgets app on X11
(XWayland on a Wayland desktop) and Windows, so:

* Qt libraries and PySide6 bindings: only those in ``ALLOWED_QT`` (what station_app imports,
  plus DBus that QtGui links and XcbQpa that the xcb platform plugin links).  Anything else
  (WebEngine, Qml/Quick, 3D, Multimedia, Network, Svg, Charts, Pdf, ...) is *forbidden*:
  :func:`forbidden` names it, the spec leaves it out and tests/build fails if it is there.
* Qt plugins: only those in ``KEEP_PLUGINS``.
* Qt's own translations: Chinese and English only (the app's two languages).
* System libraries of the Linux desktop (X11, xcb, fontconfig, freetype, GLib, D-Bus,
  libcups, libstdc++, ...): not bundled when a package of
  packaging/linux/station-runtime-packages.txt ships them; the .deb depends on those
  packages, so they come from the system and match its other libraries (a bundled
  libstdc++ older than the system's breaks Mesa's GL driver; a bundled fontconfig may not
  read the system's /etc/fonts).  Libraries the Python runtime needs at its own version
  (libsqlite3 with FTS5 trigram, OpenSSL 3, libffi) stay bundled.
* Then every bundled library that nothing kept links any more is dropped (:func:`orphans`).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import PurePath, PurePosixPath

# Qt modules the station may ship: station_app imports QtCore, QtGui, QtWidgets and
# QtPrintSupport (tests/build/test_bundle_contents.py checks that against the code).
APP_QT = frozenset({"Core", "Gui", "Widgets", "PrintSupport"})
ALLOWED_QT = APP_QT | {"DBus", "XcbQpa"}

# plugin folder → plugins kept (file name without "lib" and extension); others are dropped
KEEP_PLUGINS: dict[str, frozenset[str]] = {
    "platforms": frozenset({"qxcb", "qoffscreen", "qwindows"}),   # X11 / selftest / Windows
    "xcbglintegrations": frozenset({"qxcb-glx-integration", "qxcb-egl-integration"}),
    "platforminputcontexts": frozenset({"composeplatforminputcontextplugin",
                                        "ibusplatforminputcontextplugin"}),   # Chinese IMEs
    "imageformats": frozenset({"qjpeg", "qgif", "qico"}),   # photos of documents (PNG is built in)
    "printsupport": frozenset({"cupsprintersupport"}),      # receipts on Linux printers
    "styles": frozenset({"qmodernwindowsstyle", "qwindowsvistastyle"}),   # Windows look
}

QT_TRANSLATIONS = re.compile(r"^(qt|qtbase)_(zh_CN|en)\.qm$")

# Qt library or binding file name → Qt module name ("libQt6WebEngineCore.so.6" → WebEngineCore,
# "QtWebEngineCore.abi3.so" / "QtWebEngineCore.pyd" → WebEngineCore)
_QT_LIB = re.compile(r"^(?:lib)?Qt6([A-Za-z0-9_-]+?)(?:\.so(?:\.[0-9.]+)?|\.dll)$")
_QT_BINDING = re.compile(r"^Qt([A-Za-z0-9]+)\.(?:abi3\.so|pyd|pyi)$")


def qt_module_of(name: str, parent: str = "") -> str | None:
    """The Qt module a file in the bundle belongs to, or None when it is no Qt library or
    PySide6 binding (a binding counts only inside a ``PySide6`` folder)."""
    m = _QT_LIB.match(name)
    if m:
        return m.group(1)
    m = _QT_BINDING.match(name)
    if m and parent == "PySide6":
        return m.group(1)
    return None


def _plugin_of(dest: str) -> tuple[str, str] | None:
    """(plugin folder, plugin name) of a destination path inside PySide6's plugins, else None."""
    parts = PurePosixPath(dest.replace("\\", "/")).parts
    if "PySide6" not in parts or "plugins" not in parts:
        return None
    i = parts.index("plugins")
    if len(parts) != i + 3:
        return None
    stem = parts[-1]
    stem = stem[3:] if stem.startswith("lib") else stem
    stem = re.sub(r"\.(so|dll|dylib)$", "", stem)
    return parts[i + 1], stem


def keep_plugin(dest: str) -> bool:
    plugin = _plugin_of(dest)
    if plugin is None:
        return True
    folder, name = plugin
    return name in KEEP_PLUGINS.get(folder, frozenset())


def keep_translation(dest: str) -> bool:
    parts = PurePosixPath(dest.replace("\\", "/")).parts
    if "PySide6" in parts and "translations" in parts and parts[-1].endswith(".qm"):
        return bool(QT_TRANSLATIONS.match(parts[-1]))
    return True


def forbidden(paths: Iterable[str | PurePath]) -> dict[str, list[str]]:
    """Qt module → the files of it in ``paths`` (relative paths of a bundle), for every Qt
    module not in ``ALLOWED_QT``, and every Qt plugin not in ``KEEP_PLUGINS``."""
    found: dict[str, list[str]] = {}
    for p in paths:
        path = PurePosixPath(str(p).replace("\\", "/"))
        module = qt_module_of(path.name, path.parent.name)
        if module is not None and module not in ALLOWED_QT:
            found.setdefault(module, []).append(str(path))
        elif not keep_plugin(str(path)) and path.suffix in (".so", ".dll", ".dylib"):
            found.setdefault("plugin:" + path.parent.name, []).append(str(path))
    return found


def excluded_pyside_modules(installed: Iterable[str]) -> list[str]:
    """``PySide6.QtX`` names to give PyInstaller's ``excludes``: every installed binding
    whose Qt module is not allowed."""
    out = []
    for name in installed:
        module = qt_module_of(name, "PySide6")
        if module is not None and module not in ALLOWED_QT:
            out.append(f"PySide6.Qt{module}")
    return sorted(set(out))


def orphans(binaries: dict[str, list[str]], roots: Iterable[str]) -> set[str]:
    """Bundled libraries that nothing reachable from ``roots`` links.

    ``binaries`` maps each bundled binary's file name to the sonames / DLL names it links;
    ``roots`` are the binaries that are loaded for their own sake (Python extension
    modules, kept Qt plugins, the Python library).  Returns the names of the others that
    no root reaches through the bundle."""
    reached: set[str] = set()
    todo = [r for r in roots if r in binaries]
    while todo:
        name = todo.pop()
        if name in reached:
            continue
        reached.add(name)
        todo.extend(n for n in binaries.get(name, ()) if n in binaries and n not in reached)
    return set(binaries) - reached


def system_libraries_to_drop(sources: dict[str, str], packages: Iterable[str],
                             owner_of: Callable[[list[str]], dict[str, str]]) -> set[str]:
    """Bundled file names whose source file (``sources``: name → absolute path on the build
    machine) belongs to one of ``packages`` (``owner_of``: paths → package, dpkg's view)."""
    wanted = set(packages)
    owners = owner_of(list(sources.values()))
    return {name for name, src in sources.items() if owners.get(src) in wanted}


def read_package_list(text: str) -> list[str]:
    """Package names of packaging/linux/station-runtime-packages.txt ("#" starts a comment)."""
    return [w for w in (line.split("#", 1)[0].strip() for line in text.splitlines()) if w]
