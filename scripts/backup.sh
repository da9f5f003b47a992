#!/usr/bin/env bash
# Back up the PostgreSQL database named by DATABASE_URL into one custom-format file (pg_dump -Fc).
#
#   DATABASE_URL=postgresql://user:password@host:5432/govbuy scripts/backup.sh /backups/govbuy-$(date +%F).dump
#
# The dump is written next to the target under a temporary name and renamed only once pg_dump
# has finished and pg_restore can read its table of contents, so a file with the target's name
# is always a complete backup. Restore with scripts/restore.sh (docs/operations.md).
set -euo pipefail
: "${DATABASE_URL:?DATABASE_URL must name the database to back up}"
out=${1:?usage: scripts/backup.sh OUTPUT_FILE}
case "$DATABASE_URL" in
  postgres://* | postgresql://*) ;;
  *) echo "backup.sh: DATABASE_URL is not a PostgreSQL URL" >&2; exit 2 ;;
esac
dir=$(dirname -- "$out")
mkdir -p -- "$dir"
tmp=$(mktemp "$dir/.$(basename -- "$out").XXXXXX")
trap 'rm -f -- "$tmp"' EXIT
# --no-owner/--no-privileges: the copy is restored by whichever role runs restore.sh.
pg_dump --format=custom --compress=6 --no-owner --no-privileges --dbname="$DATABASE_URL" --file="$tmp"
pg_restore --list "$tmp" >/dev/null
chmod 600 "$tmp"
mv -f -- "$tmp" "$out"
trap - EXIT
echo "backup written: $out ($(stat -c %s "$out") bytes, sha256 $(sha256sum "$out" | cut -c1-16)…)"
