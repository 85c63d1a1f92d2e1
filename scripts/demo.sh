#!/usr/bin/env bash
# The demo: sets up, starts a county server on its embedded SQLite database, makes a demo
# village station (鹿鸣村, 洛党镇, 凤庆县) full of realistic cases, enrolls it with the server,
# syncs once, and opens the app (which keeps syncing automatically).  Data lives in
# ./demo-data (delete it to start again).  Login: demo / demo1234.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
BIN=.venv/bin
HAS_DISPLAY=""
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] || [ "${QT_QPA_PLATFORM:-}" = "offscreen" ]; then
  HAS_DISPLAY=1
fi
if [ -n "$HAS_DISPLAY" ] && [ "${QT_QPA_PLATFORM:-}" != "offscreen" ]; then
  # Qt's own message names libxcb-cursor0 whatever is missing: name the real libraries (and
  # the packages to install) before anything starts
  "$BIN/python" scripts/check_qt_libs.py >/dev/null || exit 1
fi
DEMO=${SUQIU_DEMO_DIR:-$PWD/demo-data}
PORT=${SUQIU_DEMO_PORT:-8731}
SERVER_DB="$DEMO/server/county.db"
STATION="$DEMO/station"
mkdir -p "$DEMO/server"

"$BIN/suqiu-server" init --db "$SERVER_DB" >/dev/null
"$BIN/suqiu-server" serve --db "$SERVER_DB" --blobs "$DEMO/server/blobs" --host 127.0.0.1 --port "$PORT" \
  >"$DEMO/server/server.log" 2>&1 &
SERVER_PID=$!
trap 'kill $SERVER_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
  "$BIN/python" - "$PORT" <<'PY' && break
import socket, sys
s = socket.socket(); s.settimeout(0.2)
sys.exit(0 if s.connect_ex(("127.0.0.1", int(sys.argv[1]))) == 0 else 1)
PY
  sleep 0.2
done
echo "== county server on http://127.0.0.1:$PORT (database $SERVER_DB, log $DEMO/server/server.log)"

if [ ! -f "$STATION/.demo-enrolled" ]; then
  "$BIN/suqiu-station" --data-dir "$STATION" demo
  CODE=$("$BIN/suqiu-server" enroll --db "$SERVER_DB" --division 530921108203 | sed -n 's/^Station enrollment code: //p')
  "$BIN/suqiu-station" --data-dir "$STATION" enroll --server "http://127.0.0.1:$PORT" --code "$CODE"
  touch "$STATION/.demo-enrolled"
fi
"$BIN/suqiu-station" --data-dir "$STATION" sync --quiet || echo "(first sync failed; the app retries by itself)"
"$BIN/suqiu-server" stations --db "$SERVER_DB"

if [ -z "$HAS_DISPLAY" ]; then
  echo "== no display here: running the offscreen self-test instead of opening the window"
  QT_QPA_PLATFORM=offscreen exec "$BIN/suqiu-station" --data-dir "$STATION" selftest
fi
echo "== opening the station app — 登录名 demo，密码 demo1234"
"$BIN/suqiu-station" --data-dir "$STATION" run
