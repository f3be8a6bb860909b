# Sourced by the scripts that make a database (backup.sh's restore, load/fresh_db.sh):
# `split_db_url postgres://…/name` sets `name`, the database's name (letters, digits and
# underscores only, or the script stops), and `server`, the same server's `postgres` database.
split_db_url() {
  name="${1##*/}"; name="${name%%\?*}"
  [[ "$name" =~ ^[A-Za-z0-9_]+$ ]] || { echo "Unusual database name: $name" >&2; exit 2; }
  server="${1%/*}/postgres"
}
