#!/usr/bin/env bash
# `npm test`: the static checks (tsc, eslint, prettier) and the mocha suite, side by side.
#
# On CI's 2 cores mocha is mostly stack evaluations under the mocks and the static checks are
# mostly type-checking. tsc and eslint's type-aware rules run in one process over one TypeScript
# program (scripts/staticChecks.ts), so the ~800,000 lines of @pulumi/aws declarations are read
# and checked once, not twice. Mocha prints as it runs (its closing "N passing" line is the
# suite's verdict); each check prints its output only when it fails, after mocha, so a failure is
# the last thing on screen.
set -u
cd "$(dirname "$0")/.."
bin=node_modules/.bin
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

node -r sucrase/register/ts scripts/staticChecks.ts >"$logs/typescript" 2>&1 &
typescript=$!
"$bin/prettier" --check . >"$logs/prettier" 2>&1 &
prettier=$!

"$bin/mocha"
status=$?

for check in typescript prettier; do
  wait "${!check}"
  rc=$?
  if [ "$rc" -ne 0 ]; then
    echo
    echo "== $check checks failed (exit $rc):"
    cat "$logs/$check"
    status=1
  fi
done
exit "$status"
