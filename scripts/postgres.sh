#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: `start` prints the export lines, `stop DIR` ends it.
#
#   eval "$(scripts/postgres.sh start)"     # sets QUALCARTO_TEST_PG and QUALCARTO_PG_DIR
#   ...run the tests...
#   scripts/postgres.sh stop "$QUALCARTO_PG_DIR"
#
# The cluster lives in a fresh temporary folder, listens on 127.0.0.1 only, on a free port,
# trusts local connections (it holds nothing but test data) and is deleted by `stop`.
# PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user.
set -euo pipefail

die() { echo "postgres.sh: $*" >&2; exit 1; }

pg_bin() {
  # Debian keeps the server programs out of PATH, one folder per major version.
  local name=$1 found
  if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return; fi
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$found" ] && [ -x "$found/$name" ] || die "no $name found; install PostgreSQL (apt-get install postgresql)"
  echo "$found/$name"
}

as_owner() {
  # Run a server program as the cluster's owner: `postgres` when we are root, else ourselves.
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
  local dir port user=qualcarto db=qualcarto_test
  dir=$(mktemp -d "${TMPDIR:-/tmp}/qualcarto-pg.XXXXXX")
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || die "running as root needs the 'postgres' user (apt-get install postgresql creates it)"
    chown postgres: "$dir"
  fi
  as_owner "$(pg_bin initdb)" -D "$dir/data" -U "$user" --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || die "initdb failed, see $dir/initdb.log"
  port=$(free_port)
  as_owner "$(pg_bin pg_ctl)" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c fsync=off -c max_connections=100" \
    start >/dev/null || die "the server did not start, see $dir/server.log"
  as_owner "$(pg_bin createdb)" -h 127.0.0.1 -p "$port" -U "$user" "$db" || die "createdb failed"
  echo "export QUALCARTO_PG_DIR=$dir"
  echo "export QUALCARTO_TEST_PG=postgresql+psycopg://$user@127.0.0.1:$port/$db"
}

stop() {
  local dir=${1:-${QUALCARTO_PG_DIR:-}}
  [ -n "$dir" ] && [ -d "$dir/data" ] || die "usage: postgres.sh stop DIR (the QUALCARTO_PG_DIR that start printed)"
  as_owner "$(pg_bin pg_ctl)" -D "$dir/data" -m fast -w stop >/dev/null || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) die "usage: postgres.sh start | postgres.sh stop DIR" ;;
esac
