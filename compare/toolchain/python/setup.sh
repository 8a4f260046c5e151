#!/usr/bin/env bash
# `make setup` for Python: CPython 3.13 (default and free-threaded) from Debian
# trixie's upstream tarball, then one venv per interpreter. A toolchain that cannot
# be provisioned is reported with the fallback used, never retried forever; the
# harness marks the rows of a fallback. Writes toolchains/python-status.json.
set -Euo pipefail

CACHE=${TRIBENCH_CACHE:-$HOME/.cache/tribench}
HERE=$(cd "$(dirname "$0")" && pwd)
say() { echo "tribench setup: $*"; }

mkdir -p "$CACHE/toolchains"
if ! bash "$HERE/build-cpython.sh"; then
  say "CPython 3.13 could not be provisioned (see the failing stage above); falling back to CPython 3.11 for the Python rows"
fi
venvs_ok=true
bash "$HERE/venvs.sh" || venvs_ok=false

# What each interpreter is, for tribench env and the report header.
status=$CACHE/toolchains/python-status.json
{
  echo "["
  sep=""
  for name in py313 py313t py311; do
    py=$CACHE/venv/$name/bin/python
    if [ -x "$py" ]; then
      "$py" -c 'import json, sys; print(json.dumps({"name": sys.argv[1], "path": sys.executable, "version": sys.version.replace("\n", " "), "gil_enabled": getattr(sys, "_is_gil_enabled", lambda: True)(), "status": "ok"}))' "$name" |
        sed "s/^/$sep/"
    else
      printf '%s{"name": "%s", "status": "missing", "reason": "venv %s was not created (see make setup output)"}\n' "$sep" "$name" "$name"
    fi
    sep=","
  done
  echo "]"
} >"$status"

for exe in python3.13 python3.13t; do
  [ -x "$CACHE/bin/$exe" ] && say "$("$CACHE/bin/$exe" -VV)"
done
if [ -x "$CACHE/bin/python3.13t" ]; then
  say "python3.13t sys._is_gil_enabled() = $("$CACHE/bin/python3.13t" -c 'import sys; print(sys._is_gil_enabled())')"
fi
$venvs_ok || say "some Python venvs are missing; their contenders are reported as unavailable"
exit 0
