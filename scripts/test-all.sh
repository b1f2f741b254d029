#!/usr/bin/env bash
# The whole suite: unit and web tests on SQLite, the same on PostgreSQL, browser tests once.
# Fails if any leg fails, if a leg ran no tests, or if any browser test was skipped.
#
# The PostgreSQL leg spends much of its time waiting on the database server, so it runs
# beside the other two (SQLite, then the browser): on two cores the whole suite takes about
# the time of its longest line instead of the sum of all three. Each leg writes its own log,
# printed whole when the leg ends, so the output stays readable.
set -uo pipefail
BIN=.venv/bin
results=build/test-results
mkdir -p "$results"
rm -f "$results"/*.xml "$results"/*.log

run_leg() {  # name, command...: run one leg into its log, then print the log
  local name=$1
  shift
  local started=$SECONDS
  "$@" >"$results/$name.log" 2>&1
  local status=$?
  echo "== $name: finished in $((SECONDS - started)) s (exit $status)"
  cat "$results/$name.log"
  return $status
}

echo "== unit and web tests on PostgreSQL, beside: SQLite, then the browser tests"
run_leg postgresql scripts/with-postgres.sh "$BIN/pytest" tests --ignore=tests/browser -q \
  -p no:cacheprovider --junitxml="$results/postgresql.xml" &
postgres=$!

status=0
run_leg sqlite "$BIN/pytest" tests --ignore=tests/browser -q -p no:cacheprovider \
  --junitxml="$results/sqlite.xml" || status=1
run_leg browser "$BIN/pytest" tests/browser -q -p no:cacheprovider \
  --junitxml="$results/browser.xml" || status=1
wait "$postgres" || status=1

"$BIN/python" scripts/test_summary.py "$results" || status=1
exit $status
