#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL 15 cluster on a free loopback port.
# The cluster lives in a temporary directory and is stopped and removed afterwards, even on
# failure. initdb refuses to run as root, so as root the cluster runs as the postgres user.
# The command sees TEST_DATABASE_URL.
set -euo pipefail
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
dir=$(mktemp -d "${TMPDIR:-/tmp}/coproduce-pg.XXXXXX")
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
cleanup() {
  as_owner "$PGBIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
[ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
as_owner "$PGBIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_owner "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" >/dev/null
"$PGBIN/createdb" -h 127.0.0.1 -p "$port" -U postgres coproduce_test
echo "PostgreSQL 15 running on 127.0.0.1:$port (throwaway cluster in $dir)"
export TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$port/coproduce_test"
set +e
"$@"
status=$?
exit $status
