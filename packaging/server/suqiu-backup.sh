#!/usr/bin/env bash
# Back up the county server: database (pg_dump, custom format), attachment files and the
# server's keys folder, with rotation.  Installed as /usr/local/sbin/suqiu-backup and run
# nightly by suqiu-backup.timer as the suqiu user (docs/DEPLOY.md); safe to run by hand.
#
# Settings, from the environment or else from SUQIU_ENV_FILE (default /etc/suqiu/server.env):
#   SUQIU_SERVER_DB      the server's database URL (postgresql+psycopg://...; required)
#   SUQIU_SERVER_BLOBS   attachment folder (default /var/lib/suqiu/blobs)
#   SUQIU_SERVER_KEYS    the server's keys folder (optional; backed up when it exists)
#   SUQIU_BACKUP_DIR     where backups go (default /var/backups/suqiu)
#   SUQIU_BACKUP_KEEP    dumps to keep, newest first (default 14)
#
# Layout of SUQIU_BACKUP_DIR:
#   db/suqiu-<UTC time>.dump        one per run; the newest SUQIU_BACKUP_KEEP are kept
#   keys/suqiu-keys-<UTC time>.tar  the keys folder at that run (rotated with the dumps)
#   blobs/ab/abcd...                every complete attachment ever stored (content-addressed
#                                   and never changed, so new files are added, none rewritten)
# Order matters: the dump is taken first, the attachment files after, so every attachment
# the dump refers to is already complete on disk when it is copied.
# A dump is written to a .partial file, checked with pg_restore --list, and only then
# renamed: a failed or cut run never counts as a generation and never pushes a good one out.
# Exit status 0 when everything was backed up; anything else fails the systemd unit.
set -euo pipefail
umask 077

ENV_FILE=${SUQIU_ENV_FILE:-/etc/suqiu/server.env}
log() { echo "suqiu-backup: $*"; }
die() { echo "suqiu-backup: ERROR: $*" >&2; exit 1; }

# KEY=VALUE lines of a systemd EnvironmentFile; never sourced as shell (a URL may hold & or ;)
load_env_file() {
  local line key val
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line%$'\r'}
    case "$line" in ''|'#'*|';'*) continue ;; esac
    key=${line%%=*}
    val=${line#*=}
    case "$val" in \"*\") val=${val#\"}; val=${val%\"} ;; \'*\') val=${val#\'}; val=${val%\'} ;; esac
    case "$key" in
      SUQIU_*|PG*) [ -z "${!key:-}" ] && export "$key=$val" ;;
    esac
  done < "$1"
  return 0
}
if [ -r "$ENV_FILE" ]; then load_env_file "$ENV_FILE"; fi

DB_URL=${SUQIU_SERVER_DB:-}
BLOBS=${SUQIU_SERVER_BLOBS:-/var/lib/suqiu/blobs}
KEYS=${SUQIU_SERVER_KEYS:-}
DEST=${SUQIU_BACKUP_DIR:-/var/backups/suqiu}
KEEP=${SUQIU_BACKUP_KEEP:-14}

[ -n "$DB_URL" ] || die "SUQIU_SERVER_DB is not set (and not in $ENV_FILE)"
case "$DB_URL" in
  postgresql*://*|postgres://*) ;;
  *) die "SUQIU_SERVER_DB is not a PostgreSQL URL; this script backs up PostgreSQL only" ;;
esac
case "$KEEP" in ''|*[!0-9]*|0) die "SUQIU_BACKUP_KEEP must be a whole number of at least 1" ;; esac
command -v pg_dump >/dev/null || die "pg_dump not found (apt install postgresql-client)"
# SQLAlchemy's driver suffix means nothing to libpq: postgresql+psycopg:// → postgresql://
PG_URL="postgresql://${DB_URL#*://}"

mkdir -p "$DEST/db" "$DEST/keys" "$DEST/blobs"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
n=0
# two runs in one second keep both; "_n" sorts after the bare stamp ("-n" sorted before
# it, so the newest dump sorted as older and rotation removed it)
while [ -e "$DEST/db/suqiu-$stamp.dump" ]; do
  n=$((n + 1)); stamp="$(date -u +%Y%m%dT%H%M%SZ)_$n"
done
dump="$DEST/db/suqiu-$stamp.dump"
rm -f "$DEST"/db/*.partial

log "dumping the database to $dump"
pg_dump --format=custom --compress=6 --no-password --file="$dump.partial" --dbname="$PG_URL" \
  || { rm -f "$dump.partial"; die "pg_dump failed"; }
pg_restore --list "$dump.partial" > /dev/null \
  || { rm -f "$dump.partial"; die "the dump does not read back (pg_restore --list)"; }
mv "$dump.partial" "$dump"

copied=0
if [ -d "$BLOBS" ]; then
  log "copying new attachment files from $BLOBS"
  while IFS= read -r -d '' f; do
    rel=${f#"$BLOBS"/}
    if [ ! -e "$DEST/blobs/$rel" ]; then
      mkdir -p "$(dirname "$DEST/blobs/$rel")"
      cp -p "$f" "$DEST/blobs/$rel.partial" && mv "$DEST/blobs/$rel.partial" "$DEST/blobs/$rel"
      copied=$((copied + 1))
    fi
  done < <(find "$BLOBS" -type f ! -name '*.part' ! -name '*.partial' -print0)
else
  log "no attachment folder at $BLOBS (nothing uploaded yet?)"
fi

if [ -n "$KEYS" ]; then
  [ -d "$KEYS" ] || die "SUQIU_SERVER_KEYS=$KEYS is not a folder"
  tar -C "$KEYS" -cf "$DEST/keys/suqiu-keys-$stamp.tar.partial" .
  mv "$DEST/keys/suqiu-keys-$stamp.tar.partial" "$DEST/keys/suqiu-keys-$stamp.tar"
fi

# rotation: keep the newest $KEEP dumps (names sort by time) and the keys of the same runs
mapfile -t dumps < <(find "$DEST/db" -maxdepth 1 -name 'suqiu-*.dump' -printf '%f\n' | sort -r)
removed=0
for old in "${dumps[@]:$KEEP}"; do
  rm -f "$DEST/db/$old"
  removed=$((removed + 1))
done
# a keys archive goes with its run's dump
find "$DEST/keys" -maxdepth 1 -name 'suqiu-keys-*.tar' -printf '%f\n' | while read -r k; do
  s=${k#suqiu-keys-}; s=${s%.tar}
  [ -e "$DEST/db/suqiu-$s.dump" ] || rm -f "$DEST/keys/$k"
done

size=$(du -h "$dump" | cut -f1)
log "done: $dump ($size), $copied new attachment file(s), $removed old dump(s) removed," \
    "$(( ${#dumps[@]} - removed )) kept"
