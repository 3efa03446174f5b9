#!/usr/bin/env bash
# Mutation testing (StrykerJS) over nodes/shared/ and the TimePay bulk paths (stryker.config.json),
# one file per Stryker run so that a stopped run resumes where it was: see scripts/mutate.js.
#   npm run mutate                           every file, then the scores
#   npm run mutate -- --only nodes/shared/redact.ts
#   npm run mutate -- --score                the scores recorded so far
# Stryker 10 needs Node 22.18 or later, so it runs on the Node 24 that the e2e suite uses. Heavy on
# a 2-core machine: run it under the shared lock, e.g. flock /tmp/crm-dialer-heavy.lock npm run mutate
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
PATH="$("$root/scripts/node24.sh"):$PATH"
cd "$root"
exec node scripts/mutate.js "$@"
