"""The CPU-bound row: T tasks each summing i*i for i < N, on a thread pool (the
article's ThreadPoolExecutor) or a process pool."""

from __future__ import annotations

import multiprocessing
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from runtimeinfo import gil_enabled, runtime_name

MAX_TASKS = 1024
MAX_WORKERS = 1024
MAX_N = 1_000_000_000
POOLS = ("threads", "processes")
MASK64 = (1 << 64) - 1


def sum_squares(n: int) -> int:
    """The article's task: sum(i*i for i < n), exact."""
    return sum(i * i for i in range(n))


def check(tasks: int, n: int, workers: int, repeat: int, pool: str) -> None:
    """Refuse counts out of range and unknown pools."""
    if not 1 <= tasks <= MAX_TASKS:
        raise ValueError(f"--tasks must be in 1..{MAX_TASKS}, got {tasks}")
    if not 0 <= n <= MAX_N:
        raise ValueError(f"--n must be in 0..{MAX_N}, got {n}")
    if not 1 <= workers <= MAX_WORKERS:
        raise ValueError(f"--workers must be in 1..{MAX_WORKERS}, got {workers}")
    if repeat < 1:
        raise ValueError(f"--repeat must be at least 1, got {repeat}")
    if pool not in POOLS:
        raise ValueError(f"unknown pool {pool!r} (known: {', '.join(POOLS)})")


def _timed_threads(tasks: int, n: int, workers: int, repeat: int) -> tuple[int, list[float]]:
    seconds = []
    total = 0
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for _ in range(repeat):
            start = time.perf_counter()
            total = sum(pool.map(sum_squares, [n] * tasks))
            seconds.append(time.perf_counter() - start)
    return total, seconds


def _timed_processes(tasks: int, n: int, workers: int, repeat: int) -> tuple[int, list[float]]:
    # multiprocessing.Pool starts all its workers up front, so the timing
    # holds the work and the pickling of its results, not process start-up.
    seconds = []
    total = 0
    with multiprocessing.Pool(processes=workers) as pool:
        for _ in range(repeat):
            start = time.perf_counter()
            total = sum(pool.map(sum_squares, [n] * tasks, chunksize=1))
            seconds.append(time.perf_counter() - start)
    return total, seconds


def measure(
    tasks: int, n: int, workers: int, repeat: int = 1, pool: str = "threads"
) -> dict[str, Any]:
    """Run the row and return its result line; the checksum is the total mod 2^64."""
    check(tasks, n, workers, repeat, pool)
    run = _timed_threads if pool == "threads" else _timed_processes
    total, seconds = run(tasks, n, workers, repeat)
    return {
        "runtime": runtime_name(),
        "tasks": tasks,
        "n": n,
        "workers": workers,
        "seconds": seconds[0] if repeat == 1 else seconds,
        "checksum": total & MASK64,
        "pool": pool,
        "gil": gil_enabled(),
    }
