#!/usr/bin/env bash
# Mutation testing (StrykerJS) over nodes/shared/ and the TimePay bulk paths: see stryker.config.json.
# Stryker 10 needs Node 22.18 or later, so it runs on the Node 24 that the e2e suite uses. Heavy on
# a 2-core machine: run it under the shared lock, e.g. flock /tmp/crm-dialer-heavy.lock npm run mutate
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
PATH="$("$root/scripts/node24.sh"):$PATH"
cd "$root"
exec node node_modules/@stryker-mutator/core/bin/stryker.js run "$@"
