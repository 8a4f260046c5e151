"""The two memory methods: tracemalloc inside the process, and a quiet point for
an outside RSS reading."""

from __future__ import annotations

import gc
import tracemalloc
from typing import IO, Any

import users as userlib
from runtimeinfo import runtime_name

MAX_COUNT = 10_000_000


class CountError(ValueError):
    """A negative or absurd object count."""


def check_count(n: int) -> None:
    """Refuse a negative or absurd object count."""
    if not 0 <= n <= MAX_COUNT:
        raise CountError(f"--count must be in 0..{MAX_COUNT}, got {n}")


def measure_inside(shape: str, n: int) -> dict[str, Any]:
    """Build n users under tracemalloc and report the traced growth after gc."""
    check_count(n)
    make = userlib.factory(shape)
    # One throwaway user first, so lazily built caches (pydantic's validators,
    # the dataclass's shared keys) are not counted as the objects' own.
    userlib.build(make, 1)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        users = userlib.build(make, n)
        gc.collect()
        after, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    total = after - before
    return {
        "runtime": runtime_name(),
        "count": n,
        "shape": shape,
        "method": "inside",
        "bytes_total": total,
        "bytes_per_object": total / n if n else 0.0,
        "checksum": userlib.checksum(users),
        "detail": {"traced_peak_bytes": peak - before, "tracer": "tracemalloc"},
    }


def hold_outside(shape: str, n: int, stdin: IO[str], stdout: IO[str]) -> dict[str, Any]:
    """Build n users, collect garbage, print the ready marker and hold the users
    until stdin reaches EOF; the harness reads RSS meanwhile."""
    check_count(n)
    make = userlib.factory(shape)
    users = userlib.build(make, n)
    gc.collect()
    print("ready", file=stdout, flush=True)
    for _ in stdin:
        pass
    return {
        "runtime": runtime_name(),
        "count": n,
        "shape": shape,
        "method": "outside",
        "checksum": userlib.checksum(users),
    }
