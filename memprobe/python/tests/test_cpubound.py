import pytest

import cpubound


def exact(n: int) -> int:
    return (n - 1) * n * (2 * n - 1) // 6 if n else 0


@pytest.mark.parametrize("n", [0, 1, 4, 1000, 12345])
def test_sum_squares(n: int) -> None:
    assert cpubound.sum_squares(n) == exact(n)


@pytest.mark.parametrize("pool", cpubound.POOLS)
@pytest.mark.parametrize(("tasks", "workers"), [(1, 1), (8, 2), (3, 5)])
def test_measure_checksum_is_total_mod_2_64(pool: str, tasks: int, workers: int) -> None:
    result = cpubound.measure(tasks, 20_000, workers, pool=pool)
    assert result["checksum"] == (tasks * exact(20_000)) % 2**64
    assert result["pool"] == pool
    assert result["seconds"] > 0


def test_checksum_wraps(monkeypatch: pytest.MonkeyPatch) -> None:
    # Go and Kotlin add in wrapping 64-bit arithmetic; Python reduces its exact total.
    monkeypatch.setattr(cpubound, "sum_squares", lambda n: 2**63 + n)
    result = cpubound.measure(3, 5, 2)
    assert result["checksum"] == (3 * (2**63 + 5)) % 2**64
    assert result["checksum"] < 2**64


def test_repeat_reports_every_repetition() -> None:
    result = cpubound.measure(2, 100, 2, repeat=3)
    assert isinstance(result["seconds"], list)
    assert len(result["seconds"]) == 3


@pytest.mark.parametrize(
    ("tasks", "n", "workers", "repeat", "pool", "message"),
    [
        (0, 10, 1, 1, "threads", "--tasks"),
        (cpubound.MAX_TASKS + 1, 10, 1, 1, "threads", "--tasks"),
        (1, -1, 1, 1, "threads", "--n"),
        (1, cpubound.MAX_N + 1, 1, 1, "threads", "--n"),
        (1, 10, 0, 1, "threads", "--workers"),
        (1, 10, 1, 0, "threads", "--repeat"),
        (1, 10, 1, 1, "fibres", "unknown pool"),
    ],
)
def test_bad_arguments(
    tasks: int, n: int, workers: int, repeat: int, pool: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        cpubound.measure(tasks, n, workers, repeat, pool)
