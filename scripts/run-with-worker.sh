#!/usr/bin/env bash
# `make run`: the web server, with one job worker (`coproduce worker`) beside it that makes
# the reports people ask for on the web. Stopping the server (Ctrl+C) stops the worker too;
# a report it was making goes back on the queue and is finished on the next start.
# Usage: scripts/run-with-worker.sh BIN_DIR HOST PORT
set -uo pipefail
bin=$1 host=$2 port=$3
"$bin/coproduce" worker &
worker=$!
stop_worker() {
  kill -TERM "$worker" 2>/dev/null
  wait "$worker" 2>/dev/null
}
trap stop_worker EXIT
trap 'exit 130' INT TERM
"$bin/coproduce" run --host "$host" --port "$port"
