#!/usr/bin/env bash
# Build the station app for village PCs on Linux: a PyInstaller one-folder bundle and a .deb
# for Debian 12+, Ubuntu 22.04+, UOS and Kylin (docs/BUILD.md; Windows is built there too).
#
#   scripts/package.sh [OUT_DIR]          # default: dist/
#
# Produces OUT_DIR/suqiu-station/ (run OUT_DIR/suqiu-station/suqiu-station; no Python needed)
# and OUT_DIR/suqiu-station_<version>_<arch>.deb (sudo apt install ./suqiu-station_*.deb).
# Steps: setup (as scripts/setup.sh: system packages, .venv with PyInstaller from the
# "build" extra, translations), the icon's PNG sizes, PyInstaller with
# packaging/suqiu-station.spec, a check that no forbidden Qt module is in the bundle
# (scripts/check_bundle.py), the bundle's own selftest in a throw-away data folder, then
# the .deb (scripts/make_deb.py).  Stops at the first failure.  tests/build runs all of it.
# SUQIU_PACKAGE_SKIP_SETUP=1 skips the setup step (the tests set it: setup already ran).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$(realpath -m "${1:-dist}")
WORK="$OUT/.build"

if [ "${SUQIU_PACKAGE_SKIP_SETUP:-}" != 1 ]; then
  scripts/setup.sh
fi
PY=.venv/bin/python
if ! "$PY" -c "import PyInstaller" 2>/dev/null; then
  echo "PyInstaller is not installed in .venv: run scripts/setup.sh (it installs the" \
       "\"build\" extra, pinned in pyproject.toml)" >&2
  exit 1
fi
for tool in dpkg-deb objdump; do
  command -v "$tool" >/dev/null || { echo "$tool not found: install dpkg-dev and binutils" >&2; exit 1; }
done

mkdir -p "$OUT"
start=$(date +%s)
echo "== translations and icons"
"$PY" scripts/build_translations.py >/dev/null
QT_QPA_PLATFORM=offscreen "$PY" scripts/build_guide.py >/dev/null   # the offline help (docs/GUIDE.md)
QT_QPA_PLATFORM=offscreen "$PY" scripts/render_icons.py "$WORK/icons" >/dev/null

echo "== PyInstaller (one folder; a few minutes)"
rm -rf "$OUT/suqiu-station"
SUQIU_ICON="$WORK/icons/suqiu-station.ico" .venv/bin/pyinstaller --noconfirm --log-level WARN \
  --distpath "$OUT" --workpath "$WORK/pyinstaller" packaging/suqiu-station.spec

echo "== checking the bundle"
"$PY" scripts/check_bundle.py "$OUT/suqiu-station"
selftest_data=$(mktemp -d)
trap 'rm -rf "$selftest_data"' EXIT
if ! QT_QPA_PLATFORM=offscreen "$OUT/suqiu-station/suqiu-station" --data-dir "$selftest_data" \
     selftest; then
  echo "the bundle's selftest failed: not packaging it (log: $selftest_data/logs)" >&2
  trap - EXIT
  exit 1
fi

echo "== .deb"
rm -f "$OUT"/suqiu-station_*.deb
deb=$("$PY" scripts/make_deb.py "$OUT/suqiu-station" "$WORK/icons" "$OUT")
echo "bundle: $OUT/suqiu-station ($(du -sh "$OUT/suqiu-station" | cut -f1))"
echo "deb:    $deb ($(du -h "$deb" | cut -f1))"
echo "== done in $(( $(date +%s) - start )) s"
