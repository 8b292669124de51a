#!/usr/bin/env bash
# `npm test`: the static checks (tsc, eslint, prettier) and the mocha suite, side by side.
#
# On CI's 2 cores the checks are mostly eslint's type-aware pass and mocha is mostly stack
# evaluations under the mocks; run one after the other they took about 64 s, side by side about
# 45 s. Mocha prints as it runs (its closing "N passing" line is the suite's verdict); each check
# prints its output only when it fails, after mocha, so a failure is the last thing on screen.
set -u
cd "$(dirname "$0")/.."
bin=node_modules/.bin
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

"$bin/tsc" --noEmit -p . >"$logs/tsc" 2>&1 &
tsc=$!
"$bin/eslint" . >"$logs/eslint" 2>&1 &
eslint=$!
"$bin/prettier" --check . >"$logs/prettier" 2>&1 &
prettier=$!

"$bin/mocha"
status=$?

for check in tsc eslint prettier; do
  wait "${!check}"
  rc=$?
  if [ "$rc" -ne 0 ]; then
    echo
    echo "== $check failed (exit $rc):"
    cat "$logs/$check"
    status=1
  fi
done
exit "$status"
