#!/usr/bin/env bash
# Create the county server's PostgreSQL role and database (docs/DEPLOY.md, step 2).
# Run as root on the database machine:   packaging/server/setup-postgres.sh
# It runs psql as the postgres user (peer authentication over the local socket); with PGHOST
# set it connects there instead, as PGUSER (an administrator), e.g. for a managed server.
#   SUQIU_DB_NAME   database to create (default suqiu; also used for a restore target)
#   SUQIU_DB_USER   role that owns it and that the server logs in as (default suqiu)
# The role has no password: the server runs as the system user of the same name and logs
# in over the Unix socket with peer authentication (Debian's default pg_hba.conf), so no
# secret exists to leak.  Safe to run again: existing role and database are kept.
# The database is UTF8 with the C.UTF-8 collation: names sort by code point, and an OS
# upgrade that changes glibc's collation rules cannot silently corrupt its indexes.
set -euo pipefail
DB=${SUQIU_DB_NAME:-suqiu}
ROLE=${SUQIU_DB_USER:-suqiu}
case "$DB$ROLE" in *[!a-z0-9_]*) echo "setup-postgres: names may hold a-z, 0-9 and _ only" >&2; exit 1 ;; esac

admin_psql() {
  if [ -n "${PGHOST:-}" ]; then
    psql --no-psqlrc -v ON_ERROR_STOP=1 --quiet "$@"
  else
    runuser -u postgres -- psql --no-psqlrc -v ON_ERROR_STOP=1 --quiet "$@"
  fi
}

admin_psql --dbname=postgres -v role="$ROLE" -v db="$DB" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'role')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('CREATE DATABASE %I OWNER %I ENCODING %L LC_COLLATE %L LC_CTYPE %L TEMPLATE template0',
              :'db', :'role', 'UTF8', 'C.UTF-8', 'C.UTF-8')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'db') \gexec
SELECT format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', :'db', :'role') \gexec
SQL
admin_psql --dbname="$DB" -v role="$ROLE" <<'SQL'
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SELECT format('ALTER SCHEMA public OWNER TO %I', :'role') \gexec
SQL
echo "setup-postgres: database $DB owned by role $ROLE is ready"
