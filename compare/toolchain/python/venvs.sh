#!/usr/bin/env bash
# Creates one virtual environment per interpreter from the pinned requirements:
# py313 and py311 from requirements.txt, py313t (free-threaded) from
# requirements-ft.txt, wheels only. Each lives under a folder keyed by the
# interpreter's version and the requirements' hash, with a stable symlink
# $TRIBENCH_CACHE/venv/<name>; a complete one is reused.
set -Eeuo pipefail

CACHE=${TRIBENCH_CACHE:-$HOME/.cache/tribench}
HERE=$(cd "$(dirname "$0")" && pwd)
say() { echo "tribench setup: $*"; }

python311() {
  local p
  for p in "$(pyenv root 2>/dev/null)/versions/3.11.7/bin/python3" "$(command -v python3.11 || true)"; do
    [ -n "$p" ] && [ -x "$p" ] && { echo "$p"; return; }
  done
  return 1
}

# venv NAME INTERPRETER REQUIREMENTS [PIP FLAGS...]
venv() {
  local name=$1 python=$2 reqs=$3
  shift 3
  local version key dir
  version=$("$python" -c 'import sys; print(sys.version.split()[0] + ("t" if not getattr(sys, "_is_gil_enabled", lambda: True)() else ""))')
  key=$( (echo "$version"; cat "$reqs") | sha256sum | cut -c1-10)
  dir=$CACHE/venvs/$name-$version-$key
  mkdir -p "$CACHE/venv"
  if [ -f "$dir/.complete" ]; then
    ln -sfn "$dir" "$CACHE/venv/$name"
    say "venv $name (CPython $version) cached"
    return
  fi
  rm -rf "$dir"
  "$python" -m venv "$dir"
  if ! timeout 900 "$dir/bin/python" -m pip install -q --disable-pip-version-check "$@" -r "$reqs"; then
    rm -rf "$dir"
    say "venv $name (CPython $version) skipped: its pinned packages could not be installed (see above)"
    return 1
  fi
  touch "$dir/.complete"
  ln -sfn "$dir" "$CACHE/venv/$name"
  say "venv $name (CPython $version) ready"
}

status=0
if [ -x "$CACHE/bin/python3.13" ]; then
  venv py313 "$CACHE/bin/python3.13" "$HERE/requirements.txt" || status=1
else
  say "no CPython 3.13 in the cache: the py313 venv is skipped"
fi
if [ -x "$CACHE/bin/python3.13t" ]; then
  # Wheels only: where one is missing, pip fails fast and the venv is skipped.
  venv py313t "$CACHE/bin/python3.13t" "$HERE/requirements-ft.txt" --only-binary :all: || status=1
else
  say "no free-threaded CPython 3.13t in the cache: the py313t venv is skipped"
fi
if p=$(python311); then
  venv py311 "$p" "$HERE/requirements.txt" || status=1
else
  say "no CPython 3.11 found: the py311 venv is skipped"
  status=1
fi
exit $status
