import pytest

import concurrency


@pytest.mark.parametrize("model", concurrency.MODELS)
def test_every_task_completes(model: str) -> None:
    result = concurrency.measure(500, model, sleep=0.05)
    assert result["completed"] == 500
    assert result["seconds"] >= 0.05
    assert result["peak_rss_bytes"] > 1 << 20
    assert result["model"] == model


@pytest.mark.parametrize(
    ("count", "model", "message"),
    [
        (-1, "asyncio", "--count must be in 0..10000000"),
        (concurrency.MAX_TASKS + 1, "asyncio", "--count"),
        (concurrency.MAX_THREADS + 1, "threads", "--count must be in 0..30000 for threads"),
        (10, "greenlets", "unknown model"),
    ],
)
def test_bad_arguments(count: int, model: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        concurrency.measure(count, model)
