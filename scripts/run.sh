#!/usr/bin/env bash
# `make run`: the web server and the task worker (audit verification, catalog imports, mail) in
# one command. Ctrl-C stops both; so does either of them ending.
set -u
PY=${PY:-.venv/bin/python}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

"$PY" manage.py db_worker --no-reload --interval 1 -v 0 &
worker=$!
# The periodic tasks (govbuy.core.schedule: the daily risk-flag sweep), checked every 5 minutes.
"$PY" manage.py run_schedule --every 300 >/dev/null &
scheduler=$!
stop() {
  trap - EXIT INT TERM
  kill "$worker" "$scheduler" 2>/dev/null
  wait "$worker" "$scheduler" 2>/dev/null
}
trap stop EXIT
trap 'stop; exit 130' INT TERM
echo "Task worker started (process $worker), scheduler (process $scheduler)."
echo "Serving govbuy at http://$HOST:$PORT/  (Ctrl-C stops the server and the worker)"
"$PY" manage.py runserver "$HOST:$PORT"
