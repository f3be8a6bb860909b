#!/usr/bin/env bash
# Backups of the CSE Portal database: PostgreSQL's own tools, custom format.
#
#   scripts/backup.sh backup FILE     pg_dump of DATABASE_URL into FILE (made 0600)
#   scripts/backup.sh restore FILE    pg_restore of FILE into TARGET_DATABASE_URL, which must
#                                     be a new, empty database (created here if it is missing)
#
# The dump holds every table, its constraints and its triggers (the access log's refusal of
# UPDATE, DELETE and TRUNCATE, the immutability of final records, the change history). On
# restore the triggers are created after the rows are loaded, so none of them fires on the
# restored rows, and they are all in force afterwards. The restore is one transaction: it
# lands whole or not at all. A backup holds children's data: keep it encrypted, off this
# machine, for no longer than the authority's retention schedule says.
set -euo pipefail
# shellcheck source=db_url.sh
source "$(dirname "$0")/db_url.sh"
command="${1:?backup or restore}"
file="${2:?the backup file}"
case "$command" in
  backup)
    : "${DATABASE_URL:?set DATABASE_URL to the database to back up}"
    mkdir -p "$(dirname "$file")"
    (umask 077 && pg_dump --format=custom --compress=6 --no-owner --no-privileges \
      --dbname="$DATABASE_URL" --file="$file")
    echo "Backed up to $file ($(du -h "$file" | cut -f1))"
    ;;
  restore)
    : "${TARGET_DATABASE_URL:?set TARGET_DATABASE_URL to a new, empty database}"
    [ -s "$file" ] || { echo "No backup at $file" >&2; exit 2; }
    split_db_url "$TARGET_DATABASE_URL"
    if ! psql "$server" -Atqc "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1; then
      psql "$server" -qc "CREATE DATABASE \"$name\""
    fi
    tables=$(psql "$TARGET_DATABASE_URL" -Atqc \
      "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
    [ "$tables" = 0 ] || { echo "$name is not empty: restore into a new database" >&2; exit 2; }
    pg_restore --exit-on-error --single-transaction --no-owner --no-privileges \
      --dbname="$TARGET_DATABASE_URL" "$file"
    echo "Restored $file into $name"
    ;;
  *) echo "usage: $0 backup|restore FILE" >&2; exit 2 ;;
esac
