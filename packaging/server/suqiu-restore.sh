#!/usr/bin/env bash
# Restore a county server backup (made by suqiu-backup) into a NEW, EMPTY database, put the
# attachment files back, and bring the schema up to the installed version.
# docs/DEPLOY.md, "Restoring", says when and how; in short, with the server stopped:
#
#   SUQIU_DB_NAME=suqiu_restored packaging/server/setup-postgres.sh     # the empty database
#   suqiu-restore /var/backups/suqiu/db/suqiu-<time>.dump \
#       'postgresql+psycopg://suqiu@/suqiu_restored?host=/var/run/postgresql'
#
# Arguments: DUMP (a suqiu-*.dump) and TARGET_URL (the empty database).
# Settings from the environment or SUQIU_ENV_FILE (default /etc/suqiu/server.env):
#   SUQIU_BACKUP_DIR        the backup folder whose blobs/ (and keys/) to restore from
#                           (default: the folder above the dump's db/)
#   SUQIU_RESTORE_BLOBS     where the attachment files go (default SUQIU_SERVER_BLOBS)
#   SUQIU_SERVER_KEYS       the server's keys folder (default /var/lib/suqiu/keys)
#   SUQIU_SERVER_BIN        suqiu-server to migrate with (default /opt/suqiu/.venv/bin/suqiu-server)
#
# Refuses a target that already has tables (it never writes over a database), restores in
# one transaction (a damaged dump leaves the target empty, not half-filled), then runs
# `suqiu-server init` on it.  Keys: the database belongs to the server identity in the keys
# folder and init refuses another; when the keys folder holds no server key, the matching
# keys/suqiu-keys-<time>.tar is unpacked into it first (keys that are there are never
# overwritten); the archive is named at the end.
set -euo pipefail
umask 027

die() { echo "suqiu-restore: ERROR: $*" >&2; exit 1; }
log() { echo "suqiu-restore: $*"; }

[ $# -eq 2 ] || die "usage: suqiu-restore DUMP TARGET_URL"
DUMP=$1
TARGET=$2
ENV_FILE=${SUQIU_ENV_FILE:-/etc/suqiu/server.env}
if [ -r "$ENV_FILE" ]; then
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line%$'\r'}
    case "$line" in ''|'#'*|';'*) continue ;; esac
    key=${line%%=*}; val=${line#*=}
    case "$val" in \"*\") val=${val#\"}; val=${val%\"} ;; \'*\') val=${val#\'}; val=${val%\'} ;; esac
    case "$key" in SUQIU_*|PG*) [ -z "${!key:-}" ] && export "$key=$val" ;; esac
  done < "$ENV_FILE"
fi
SERVER_BIN=${SUQIU_SERVER_BIN:-/opt/suqiu/.venv/bin/suqiu-server}
BACKUP_DIR=${SUQIU_BACKUP_DIR:-$(dirname "$(dirname "$(realpath "$DUMP")")")}
BLOBS=${SUQIU_RESTORE_BLOBS:-${SUQIU_SERVER_BLOBS:-/var/lib/suqiu/blobs}}
KEYS=${SUQIU_SERVER_KEYS:-/var/lib/suqiu/keys}
stamp=$(basename "$DUMP" .dump); stamp=${stamp#suqiu-}
KEYS_TAR="$BACKUP_DIR/keys/suqiu-keys-$stamp.tar"

[ -f "$DUMP" ] || die "no such dump: $DUMP"
case "$TARGET" in
  postgresql*://*|postgres://*) ;;
  *) die "TARGET_URL must be a PostgreSQL URL (the new, empty database)" ;;
esac
[ -x "$SERVER_BIN" ] || die "suqiu-server not found at $SERVER_BIN (set SUQIU_SERVER_BIN)"
PG_URL="postgresql://${TARGET#*://}"

pg_restore --list "$DUMP" > /dev/null || die "$DUMP is not a readable pg_dump archive"
tables=$(psql --no-psqlrc --no-password --tuples-only --no-align --dbname="$PG_URL" \
  --command="SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')") \
  || die "cannot connect to the target database"
[ "$tables" = 0 ] || die "the target database already has $tables table(s): restore only into a new, empty database"

log "restoring $DUMP"
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --no-password \
  --dbname="$PG_URL" "$DUMP" || die "pg_restore failed; the target database was left empty"

if [ -d "$BACKUP_DIR/blobs" ]; then
  log "copying attachment files to $BLOBS"
  mkdir -p "$BLOBS"
  cp -a -n "$BACKUP_DIR/blobs/." "$BLOBS/"
  find "$BLOBS" -name '*.partial' -delete
else
  log "no blobs/ in $BACKUP_DIR: attachment files not restored"
fi

if [ ! -e "$KEYS/server_ed25519.pem" ] && [ -f "$KEYS_TAR" ]; then
  log "no server key in $KEYS: unpacking $KEYS_TAR"
  mkdir -p "$KEYS"
  chmod 0700 "$KEYS"
  tar -C "$KEYS" -xpf "$KEYS_TAR"
fi

log "bringing the schema up to this version (suqiu-server init)"
SUQIU_SERVER_DB="$TARGET" SUQIU_SERVER_BLOBS="$BLOBS" SUQIU_SERVER_KEYS="$KEYS" "$SERVER_BIN" init \
  || die "suqiu-server init failed (a keys folder that is not this database's server's: restore its keys archive)"

if [ -f "$KEYS_TAR" ]; then
  log "the server's keys of that run: $KEYS_TAR"
  log "  (if the keys folder was lost too: tar -C <keys folder> -xpf that file)"
fi
log "done. Point SUQIU_SERVER_DB in $ENV_FILE at the restored database, then start the server."
