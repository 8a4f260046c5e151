"""The concurrent-tasks row: K tasks that each sleep one second and finish, as
asyncio tasks or, for contrast, as OS threads."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

from runtimeinfo import peak_rss, runtime_name

MAX_TASKS = 10_000_000
# This machine allows about 32k threads in all, shared with everything else.
MAX_THREADS = 30_000
MODELS = ("asyncio", "threads")
SLEEP_SECONDS = 1.0


def check(count: int, model: str) -> None:
    """Refuse a negative or absurd count and unknown models."""
    if model not in MODELS:
        raise ValueError(f"unknown model {model!r} (known: {', '.join(MODELS)})")
    limit = MAX_THREADS if model == "threads" else MAX_TASKS
    if not 0 <= count <= limit:
        raise ValueError(f"--count must be in 0..{limit} for {model}, got {count}")


async def _asyncio_tasks(count: int, sleep: float) -> int:
    completed = 0

    async def one() -> None:
        nonlocal completed
        await asyncio.sleep(sleep)
        completed += 1

    async with asyncio.TaskGroup() as group:
        for _ in range(count):
            group.create_task(one())
    return completed


def run_asyncio(count: int, sleep: float) -> int:
    """Run count sleeping asyncio tasks on one event loop; return how many finished."""
    return asyncio.run(_asyncio_tasks(count, sleep))


def run_threads(count: int, sleep: float) -> int:
    """Run count sleeping OS threads; return how many finished."""
    completed = 0
    lock = threading.Lock()

    def one() -> None:
        nonlocal completed
        time.sleep(sleep)
        with lock:
            completed += 1

    threads = [threading.Thread(target=one) for _ in range(count)]
    started = []
    try:
        for t in threads:
            t.start()
            started.append(t)
    finally:
        for t in started:
            t.join()
    return completed


def measure(count: int, model: str = "asyncio", sleep: float = SLEEP_SECONDS) -> dict[str, Any]:
    """Run the row and return its result line."""
    check(count, model)
    run = run_asyncio if model == "asyncio" else run_threads
    start = time.perf_counter()
    completed = run(count, sleep)
    seconds = time.perf_counter() - start
    return {
        "runtime": runtime_name(),
        "count": count,
        "seconds": seconds,
        "peak_rss_bytes": peak_rss(),
        "completed": completed,
        "model": model,
    }
