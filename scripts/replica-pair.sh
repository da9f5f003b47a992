#!/usr/bin/env bash
# A streaming replica of the local PostgreSQL (the primary on 127.0.0.1:5432, as
# scripts/ensure-postgres.sh starts it), made with pg_basebackup and run on another port: the
# primary + replica pair of docs/deployment.md, on one machine.
#
#   scripts/replica-pair.sh start    # base backup (first time), start, wait until it streams
#   scripts/replica-pair.sh status   # replay position and lag
#   scripts/replica-pair.sh stop     # stop it (the data directory stays)
#   scripts/replica-pair.sh destroy  # stop and remove the data directory
#
# Then: DATABASE_REPLICA_URL=postgresql://govbuy_ci:govbuy_ci@127.0.0.1:5433/<database>
set -euo pipefail
PRIMARY_HOST=${GOVBUY_PRIMARY_HOST:-127.0.0.1}
PRIMARY_PORT=${GOVBUY_PRIMARY_PORT:-5432}
ROLE=${GOVBUY_PG_ROLE:-govbuy_ci}
PORT=${GOVBUY_REPLICA_PORT:-5433}
DIR=${GOVBUY_REPLICA_DIR:-/tmp/govbuy-replica-$PORT}
version=$(ls /usr/lib/postgresql | sort -V | tail -1)
BIN=/usr/lib/postgresql/$version/bin
export PGPASSWORD=${PGPASSWORD:-$ROLE}

# PostgreSQL refuses to run as root: as root, run its programs as the postgres user.
as_pg() {
  if [ "$(id -u)" = 0 ]; then
    su postgres -s /bin/bash -c "PGPASSWORD='$PGPASSWORD' $(printf '%q ' "$@")"
  else
    "$@"
  fi
}

replica_sql() { psql -h 127.0.0.1 -p "$PORT" -U "$ROLE" -d postgres -qtAX -c "$1"; }

primary_sql() { psql -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U "$ROLE" -d postgres -v ON_ERROR_STOP=1 -qtAX -c "$1"; }

# The primary must accept replication connections from this machine (Debian's default pg_hba.conf
# of the CI cluster has no such line). Added once, idempotently, then the configuration reloaded.
allow_replication() {
  local hba
  hba=$(primary_sql "SHOW hba_file")
  if [ "$(primary_sql "SELECT count(*) FROM pg_hba_file_rules WHERE 'replication' = ANY(database) AND address = '127.0.0.1'")" = 0 ]; then
    if [ -w "$hba" ]; then
      printf '\n# scripts/replica-pair.sh: streaming replication from this machine\nhost replication %s 127.0.0.1/32 scram-sha-256\n' "$ROLE" >> "$hba"
    else
      echo "cannot write $hba: add 'host replication $ROLE 127.0.0.1/32 scram-sha-256' there" >&2
      exit 1
    fi
    primary_sql "SELECT pg_reload_conf()" >/dev/null
  fi
}

start() {
  allow_replication
  if [ ! -f "$DIR/PG_VERSION" ]; then
    mkdir -p "$DIR"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR"
    chmod 700 "$DIR"
    # -R writes standby.signal and primary_conninfo; -X stream copies the WAL made meanwhile.
    as_pg "$BIN/pg_basebackup" -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U "$ROLE" -D "$DIR" -R -X stream -c fast
    # Debian keeps a cluster's configuration in /etc/postgresql, so the copy has none: a minimal
    # one. A hot standby needs at least the primary's values of these limits.
    {
      echo "port = $PORT"
      echo "listen_addresses = '127.0.0.1'"
      echo "unix_socket_directories = '$DIR'"
      echo "hot_standby = on"
      echo "hot_standby_feedback = on"
      echo "hba_file = '$DIR/pg_hba.conf'"
      for setting in max_connections max_worker_processes max_wal_senders max_prepared_transactions max_locks_per_transaction; do
        echo "$setting = $(primary_sql "SHOW $setting")"
      done
    } > "$DIR/postgresql.conf"
    printf 'local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n' > "$DIR/pg_hba.conf"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR/postgresql.conf" "$DIR/pg_hba.conf"
  fi
  if as_pg "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
    echo "replica already running on port $PORT"
  else
    as_pg "$BIN/pg_ctl" -D "$DIR" -l "$DIR/replica.log" -w start
  fi
  for _ in $(seq 1 30); do
    if [ "$(replica_sql "SELECT pg_is_in_recovery() AND pg_last_wal_receive_lsn() IS NOT NULL" 2>/dev/null)" = t ]; then
      echo "replica streaming on 127.0.0.1:$PORT from $PRIMARY_HOST:$PRIMARY_PORT (data: $DIR)"
      return 0
    fi
    sleep 1
  done
  echo "replica did not start streaming; see $DIR/replica.log" >&2
  exit 1
}

stop() {
  if [ -f "$DIR/PG_VERSION" ] && as_pg "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
    as_pg "$BIN/pg_ctl" -D "$DIR" -m fast -w stop
  fi
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  destroy) stop; rm -rf "$DIR" ;;
  status)
    replica_sql "SELECT 'replay ' || pg_last_wal_replay_lsn() || ', receive ' || pg_last_wal_receive_lsn()
      || ', last replayed transaction ' || coalesce(to_char(pg_last_xact_replay_timestamp(), 'YYYY-MM-DD HH24:MI:SS'), '-')"
    ;;
  *) echo "usage: $0 start|status|stop|destroy" >&2; exit 2 ;;
esac
