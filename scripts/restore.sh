#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an EMPTY PostgreSQL database (DATABASE_URL).
#
#   createdb govbuy_restored
#   DATABASE_URL=postgresql://user:password@host:5432/govbuy_restored scripts/restore.sh /backups/govbuy.dump
#
# It refuses a database that already has tables: restoring over live data would mix two states.
# The restore is one transaction (all or nothing). The audit tables' append-only triggers refuse
# UPDATE/DELETE/TRUNCATE only; pg_restore loads rows with COPY and creates the triggers after the
# data, so the audit trail comes back byte for byte and `manage.py verify_audit` checks it.
set -euo pipefail
: "${DATABASE_URL:?DATABASE_URL must name the empty database to restore into}"
dump=${1:?usage: scripts/restore.sh BACKUP_FILE}
[ -r "$dump" ] || { echo "restore.sh: cannot read $dump" >&2; exit 2; }
case "$DATABASE_URL" in
  postgres://* | postgresql://*) ;;
  *) echo "restore.sh: DATABASE_URL is not a PostgreSQL URL" >&2; exit 2 ;;
esac
tables=$(psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -qtAX -c \
  "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")
if [ "$tables" != 0 ]; then
  echo "restore.sh: the target database already has $tables table(s); restore only into an empty database" >&2
  exit 3
fi
pg_restore --exit-on-error --single-transaction --no-owner --no-privileges --dbname="$DATABASE_URL" "$dump"
echo "restored $dump"
