"""UserStore: ids, pages, and atomic check-and-insert under threads."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from userapi import DuplicateEmailError, User, UserStore


def run_together(count: int, work: Callable[[int], object]) -> list[object]:
    """Runs work(0..count-1) on count threads released at once; returns results or errors."""
    barrier = threading.Barrier(count)

    def task(i: int) -> object:
        barrier.wait()
        try:
            return work(i)
        except DuplicateEmailError as exc:
            return exc

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(task, range(count)))


def test_seed_and_next_ids() -> None:
    store = UserStore()
    assert store.page(0, 10) == [
        User(id=1, name="Alice", email="alice@example.com"),
        User(id=2, name="Bob", email="bob@example.com"),
    ]
    assert store.create("Carol", "carol@example.com").id == 3
    assert store.create("Dave", "dave@example.com").id == 4
    assert len(store) == 4


def test_get() -> None:
    store = UserStore()
    assert store.get(1) == User(id=1, name="Alice", email="alice@example.com")
    for missing in (0, -1, 3, 2**63 - 1):
        assert store.get(missing) is None


def test_duplicate_is_exact() -> None:
    store = UserStore()
    with pytest.raises(DuplicateEmailError):
        store.create("Alice Again", "alice@example.com")
    assert store.create("Upper", "Alice@example.com").id == 3
    assert len(store) == 3


@pytest.mark.parametrize(
    ("skip", "limit", "want"),
    [(0, 10, [1, 2, 3, 4, 5]), (1, 2, [2, 3]), (4, 10, [5]), (5, 1, []), (2**63 - 1, 1000, [])],
)
def test_page(skip: int, limit: int, want: list[int]) -> None:
    store = UserStore()
    for i in range(3):
        store.create(f"User {i}", f"u{i}@example.com")
    assert [u.id for u in store.page(skip, limit)] == want


def test_concurrent_distinct_emails_get_distinct_ids() -> None:
    store = UserStore()
    n = 32
    created = run_together(n, lambda i: store.create(f"User {i}", f"user{i}@example.com"))
    assert all(isinstance(user, User) for user in created)
    assert sorted(user.id for user in created) == list(range(3, 3 + n))  # type: ignore[union-attr]
    assert [u.id for u in store.page(0, 1000)] == list(range(1, 3 + n))
    for user in created:
        assert store.get(user.id) == user  # type: ignore[union-attr]


def test_concurrent_same_email_exactly_one_wins() -> None:
    store = UserStore()
    k = 32
    outcomes = run_together(k, lambda i: store.create(f"Racer {i}", "race@example.com"))
    winners = [o for o in outcomes if isinstance(o, User)]
    assert len(winners) == 1
    assert sum(isinstance(o, DuplicateEmailError) for o in outcomes) == k - 1
    assert winners[0].id == 3
    assert len(store) == 3
