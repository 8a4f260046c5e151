import threading
import time

import pytest
from fastapi.testclient import TestClient

import userapi


@pytest.fixture
def client() -> TestClient:
    return TestClient(userapi.create_app())


def assert_error(resp, status: int) -> None:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error", "timestamp"}
    assert body["error"]
    assert isinstance(body["timestamp"], int)
    assert abs(body["timestamp"] - time.time()) < 5
    assert resp.headers["content-type"].startswith("application/json")


def create(client: TestClient, name: str, email: str):
    return client.post("/users", json={"name": name, "email": email})


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0", 0),
        ("010", 10),
        ("9223372036854775807", 9223372036854775807),
        ("9223372036854775808", None),
        ("", None),
        ("+1", None),
        (" 1", None),
        ("1_0", None),
        ("\u0661", None),
        ("1.0", None),
    ],
)
def test_parse_decimal(raw: str, expected: int | None) -> None:
    assert userapi.parse_decimal(raw) == expected


def test_seed_users_and_pages(client: TestClient) -> None:
    assert client.get("/users?skip=0&limit=2").json() == [
        {"id": 1, "name": "Alice", "email": "alice@example.com"},
        {"id": 2, "name": "Bob", "email": "bob@example.com"},
    ]
    for i in range(9):
        assert create(client, f"User {i}", f"u{i}@example.com").status_code == 201
    assert len(client.get("/users?limit=010").json()) == 10
    assert client.get("/users?skip=9223372036854775807").json() == []
    for bad in ["skip=-1", "limit=0", "limit=1001", "skip=%2B1", "skip=+1", "limit=1_0", "skip="]:
        assert_error(client.get(f"/users?{bad}"), 400)


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("Al", 201),
        ("A", 422),
        ("\U0001f600", 422),  # one code point, two UTF-16 units
        ("\U0001f600" * 50, 201),
        ("\U0001f600" * 51, 422),
        ("e\u0301", 201),  # two code points, one grapheme
        ("\u00e9", 422),  # one code point, two bytes
    ],
)
def test_name_counts_code_points(client: TestClient, name: str, status: int) -> None:
    resp = create(client, name, f"n{len(name)}-{ord(name[0])}@example.com")
    assert resp.status_code == status, resp.text


@pytest.mark.parametrize(
    "email", ["j\u00f6rg@example.com", "a@example.com\n", "a+b@example.com", "a@localhost"]
)
def test_email_pattern_is_ascii_and_whole(client: TestClient, email: str) -> None:
    assert_error(create(client, "Name", email), 422)


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b'{"name": "A", "email": "alice@example.com"}', 422),  # 422 before 409
        (b'[{"name": "Al"}]', 400),  # not an object: 400 before 422
        (b'{"name": "Al", "email": "x@y.io"', 400),
        (b'{"name": "Bad \xff", "email": "u@y.io"}', 400),  # invalid UTF-8
        (b'{"name": 1, "email": "t@y.io"}', 422),  # strict types
        (b'{"Name": "Al", "email": "c@y.io"}', 422),  # keys are case-sensitive
        (b'{"name": "x", "name": "Last Wins", "email": "lw@y.io"}', 201),
        (b'{"name": "Alice Two", "email": "alice@example.com"}', 409),
    ],
)
def test_precedence_and_parsing(client: TestClient, body: bytes, status: int) -> None:
    resp = client.post("/users", content=body)
    assert resp.status_code == status, resp.text


def test_body_size_limit(client: TestClient) -> None:
    obj = b'{"name": "Exactly One MiB", "email": "mib@example.com"}'
    exact = obj + b" " * (userapi.MAX_BODY_BYTES - len(obj))
    assert client.post("/users", content=exact).status_code == 201
    assert_error(client.post("/users", content=exact + b" "), 413)


def test_routing_errors(client: TestClient) -> None:
    assert_error(client.get("/users/", follow_redirects=False), 404)
    assert_error(client.get("/nope"), 404)
    resp = client.delete("/users")
    assert_error(resp, 405)
    assert {m.strip() for m in resp.headers["allow"].split(",")} >= {"GET", "POST"}
    assert_error(client.delete("/users/abc"), 405)
    for bad in ["0", "-1", "+1", "%201", "abc", "9223372036854775808"]:
        assert_error(client.get(f"/users/{bad}"), 400)
    assert_error(client.get("/users/9223372036854775807"), 404)


def test_store_is_atomic_under_threads() -> None:
    store = userapi.UserStore()
    ids: list[int] = []
    wins: list[int] = []
    lock = threading.Lock()

    def distinct(i: int) -> None:
        user = store.create("Parallel", f"p{i}@example.com")
        assert user is not None
        with lock:
            ids.append(user.id)

    def same() -> None:
        if store.create("Same", "same@example.com") is not None:
            with lock:
                wins.append(1)

    threads = [threading.Thread(target=distinct, args=(i,)) for i in range(200)]
    threads += [threading.Thread(target=same) for _ in range(32)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(ids)) == 200
    assert len(wins) == 1
    assert [u.id for u in store.page(0, 1000)] == list(range(1, 204))


def test_uptime_grows(client: TestClient) -> None:
    first = client.get("/health").json()
    time.sleep(0.05)
    second = client.get("/health").json()
    assert first["status"] == "healthy"
    assert 0 <= first["uptime"] < second["uptime"] < 60
