"""Helpers of the tests: the repository's paths and the smoke document."""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
PYTHON_DIR = HERE.parent
REPO = PYTHON_DIR.parent.parent
JSONPARSE = PYTHON_DIR / "jsonparse.py"
VECTORS = REPO / "jsonbench" / "testdata" / "digest-vectors.json"
CONFORMANCE = REPO / "jsonbench" / "conformance"


def vectors() -> dict[str, Any]:
    """The shared golden digest vectors."""
    with open(VECTORS, encoding="utf-8") as f:
        return json.load(f)


@functools.cache
def _smoke() -> tuple[Path, dict[str, Any]] | str:
    go = shutil.which("go")
    if go is None:
        return "no go on PATH to generate the smoke document"
    cache = os.environ.get("TRIBENCH_CACHE", str(Path.home() / ".cache" / "tribench"))
    done = subprocess.run(
        [go, "run", "./jsonbench/cmd/jsongen", "--profile", "smoke", "--cache", cache],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        return f"jsongen failed: {done.stderr.strip()}"
    line = json.loads(done.stdout)
    return Path(line["path"]), line


def smoke_document() -> tuple[Path, dict[str, Any]]:
    """The smoke profile's document (generated into the cache by the Go generator
    if missing) and the generator's digest line; skips without Go."""
    found = _smoke()
    if isinstance(found, str):
        pytest.skip(found)
    return found
