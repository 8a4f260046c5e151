#!/usr/bin/env bash
# `make setup` for the report's chart library: ECharts, pinned exactly in
# npm/package.json and npm/package-lock.json (integrity hashes), installed with
# `npm ci` into $TRIBENCH_CACHE/npm, never into the repository. report.html
# inlines node_modules/echarts/dist/echarts.min.js from there at export time.
# A second run only checks: the lock file's hash is stamped beside the install,
# and npm runs again only when the lock file changed or the library is missing.
set -Eeuo pipefail

CACHE=${TRIBENCH_CACHE:-$HOME/.cache/tribench}
HERE=$(cd "$(dirname "$0")" && pwd)
DEST=$CACHE/npm
LIB=$DEST/node_modules/echarts/dist/echarts.min.js
say() { echo "tribench setup: $*"; }

want=$(sed -n 's/.*"echarts": *"\([^"]*\)".*/\1/p' "$HERE/npm/package.json")
stamp=$(sha256sum "$HERE/npm/package-lock.json" | cut -d' ' -f1)

installed() {
  [ -s "$LIB" ] && [ "$(cat "$DEST/.lock-sha256" 2>/dev/null)" = "$stamp" ] &&
    grep -q "\"version\": *\"$want\"" "$DEST/node_modules/echarts/package.json"
}

if ! installed; then
  if ! command -v npm >/dev/null; then
    say "npm not found: report.html will hold its tables without charts (install Node.js with npm, then make setup)"
    exit 1
  fi
  say "installing ECharts $want from npm into $DEST"
  mkdir -p "$DEST"
  cp "$HERE/npm/package.json" "$HERE/npm/package-lock.json" "$DEST/"
  (cd "$DEST" && timeout 600 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
  echo "$stamp" >"$DEST/.lock-sha256"
  installed || { say "ECharts $want did not install as $LIB"; exit 1; }
fi
say "ECharts $want present ($LIB)"
