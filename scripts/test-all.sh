#!/usr/bin/env bash
# The whole suite: unit and web tests on SQLite, the same on PostgreSQL, browser tests once.
# Fails if any leg fails, if a leg ran no tests, or if any browser test was skipped.
set -uo pipefail
BIN=.venv/bin
results=build/test-results
mkdir -p "$results"
rm -f "$results"/*.xml
status=0
echo "== 1/3 unit and web tests on SQLite"
"$BIN/pytest" tests --ignore=tests/browser -q -p no:cacheprovider --junitxml="$results/sqlite.xml" || status=1
echo "== 2/3 unit and web tests on PostgreSQL"
scripts/with-postgres.sh "$BIN/pytest" tests --ignore=tests/browser -q -p no:cacheprovider --junitxml="$results/postgresql.xml" || status=1
echo "== 3/3 browser tests in headless Chromium (SQLite)"
"$BIN/pytest" tests/browser -q -p no:cacheprovider --junitxml="$results/browser.xml" || status=1
"$BIN/python" scripts/test_summary.py "$results" || status=1
exit $status
