#!/usr/bin/env bash
# The load test's database, made afresh: `fresh_db.sh postgres://…/name`. Every load run starts
# from the same data, so that it is not slowed by the children, referrals and edits of the runs
# before it, and two runs can be compared. Only a database this script made is dropped: it
# carries MARK as its comment. Any other database of that name is left alone (exit 2).
set -euo pipefail
url="${1:?usage: fresh_db.sh postgres://…/name}"
# shellcheck source=../db_url.sh
source "$(dirname "$0")/../db_url.sh"
split_db_url "$url"
MARK="cse-portal load test database (scripts/load/fresh_db.sh remakes it at every run)"
comment=$(psql "$server" -v ON_ERROR_STOP=1 -Atqc "SELECT coalesce(shobj_description(oid, 'pg_database'), '-')
  FROM pg_database WHERE datname = '$name'")
if [[ -n "$comment" && "$comment" != "$MARK" ]]; then
  echo "The database $name was not made by the load test: it is left alone." >&2
  echo "Name another in LOAD_DATABASE_URL (a new one is made), or drop it yourself." >&2
  exit 2
fi
if [[ -n "$comment" ]]; then
  psql "$server" -v ON_ERROR_STOP=1 -qc "DROP DATABASE \"$name\" WITH (FORCE)"
fi
psql "$server" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE \"$name\""
psql "$server" -v ON_ERROR_STOP=1 -qc "COMMENT ON DATABASE \"$name\" IS '$MARK'"
