#!/usr/bin/env bash
# `make lint-python` and `make test-python`: every Python folder of the repository
# (a */python/pyproject.toml), so a new workload is covered by adding its folder.
# Each folder names the venvs its tests run on in pyproject.toml:
#   [tool.tribench]
#   interpreters = ["py313", "py311", "py313t"]
# Usage: check.sh lint | test
set -Eeuo pipefail

CACHE=${TRIBENCH_CACHE:-$HOME/.cache/tribench}
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
VENV=$CACHE/venv
mode=${1:?usage: check.sh lint|test}

cd "$ROOT"
mapfile -t dirs < <(ls -d */python/pyproject.toml | xargs -n1 dirname)
[ ${#dirs[@]} -gt 0 ] || { echo "no */python/pyproject.toml found" >&2; exit 1; }

case $mode in
lint)
  "$VENV/py313/bin/ruff" check "${dirs[@]}"
  "$VENV/py313/bin/ruff" format --check "${dirs[@]}"
  ;;
test)
  for d in "${dirs[@]}"; do
    interpreters=$("$VENV/py313/bin/python" -c '
import sys, tomllib
with open(sys.argv[1], "rb") as f:
    conf = tomllib.load(f)
names = conf.get("tool", {}).get("tribench", {}).get("interpreters")
if not names:
    sys.exit(f"{sys.argv[1]}: [tool.tribench] interpreters is missing")
print(" ".join(names))' "$d/pyproject.toml")
    for v in $interpreters; do
      if [ ! -x "$VENV/$v/bin/python" ]; then
        echo "pytest on $v in $d: the $v venv is missing (see make setup's output)" >&2
        exit 1
      fi
      echo "pytest on $v in $d:"
      (cd "$d" && "$VENV/$v/bin/python" -m pytest -p no:cacheprovider)
    done
  done
  ;;
*)
  echo "usage: check.sh lint|test" >&2
  exit 2
  ;;
esac
