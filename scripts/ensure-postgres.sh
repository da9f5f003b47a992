#!/usr/bin/env bash
# Start the local PostgreSQL 15 cluster if it is not running and create the CI role and database
# idempotently. The role is a superuser only because the audit tests impersonate a tamperer
# (session_replication_role) to prove the verifier catches edits the triggers would refuse.
set -euo pipefail
ROLE=${GOVBUY_PG_ROLE:-govbuy_ci}
DB=${GOVBUY_PG_DB:-govbuy_ci}
if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)
  [ -n "$version" ] || { echo "PostgreSQL is not installed (apt-get install postgresql-15)." >&2; exit 1; }
  pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || pg_ctlcluster "$version" main start
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
psql_admin() {
  if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1; then
    su postgres -c "psql -v ON_ERROR_STOP=1 -qtAX -c \"$1\""
  else
    psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qtAX -c "$1"
  fi
}
if [ "$(psql_admin "SELECT 1 FROM pg_roles WHERE rolname='$ROLE'")" != 1 ]; then
  psql_admin "CREATE ROLE $ROLE LOGIN SUPERUSER PASSWORD '$ROLE'"
fi
if [ "$(psql_admin "SELECT 1 FROM pg_database WHERE datname='$DB'")" != 1 ]; then
  psql_admin "CREATE DATABASE $DB OWNER $ROLE"
fi
echo "PostgreSQL ready: role $ROLE, database $DB"
