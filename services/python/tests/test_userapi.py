"""The canonical app against services/CONTRACT.md, through FastAPI's TestClient."""

from __future__ import annotations

import json
import sys
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from support import assert_error, assert_json, post_users
from userapi import MAX_BODY_BYTES, UserStore, create_app, parse_decimal, parse_json

ALICE = {"id": 1, "name": "Alice", "email": "alice@example.com"}
BOB = {"id": 2, "name": "Bob", "email": "bob@example.com"}


def user_json(name: str, email: str) -> str:
    return json.dumps({"name": name, "email": email})


def test_seed_users(client: TestClient) -> None:
    response = client.get("/users")
    assert response.status_code == 200
    assert_json(response)
    assert response.json() == [ALICE, BOB]
    assert client.get("/users/1").json() == ALICE
    assert client.get("/users/2").json() == BOB


def test_create_returns_201_and_next_ids(client: TestClient) -> None:
    first = post_users(client, user_json("Carol", "carol@example.com"))
    second = post_users(client, user_json("Dave", "dave@example.com"))
    assert first.status_code == 201
    assert_json(first)
    assert first.json() == {"id": 3, "name": "Carol", "email": "carol@example.com"}
    assert second.json()["id"] == 4
    assert client.get("/users/3").json() == first.json()


def test_create_ignores_unknown_fields_and_id(client: TestClient) -> None:
    body = '{"id": 1, "role": "admin", "name": "Extra", "email": "x@example.com", "n": [1e400]}'
    response = post_users(client, body)
    assert response.status_code == 201, response.text
    assert response.json() == {"id": 3, "name": "Extra", "email": "x@example.com"}


def test_content_type_of_request_is_not_checked(client: TestClient) -> None:
    response = client.post(
        "/users",
        content=user_json("Plain", "plain@example.com"),
        headers={"Content-Type": "text/plain"},
    )
    assert response.status_code == 201


def test_duplicate_keys_last_wins(client: TestClient) -> None:
    ok = post_users(client, '{"name": "X", "name": "Last Wins", "email": "lw@example.com"}')
    assert ok.status_code == 201
    assert ok.json()["name"] == "Last Wins"
    bad = post_users(client, '{"name": "Valid First", "name": "X", "email": "lw2@example.com"}')
    assert_error(bad, 422)


# --- precedence: 413 -> 400 -> 422 -> 409 ---------------------------------------


def padded(prefix: str, size: int) -> bytes:
    """prefix padded with spaces to exactly size bytes."""
    raw = prefix.encode()
    return raw + b" " * (size - len(raw))


def test_exactly_one_mib_is_processed(client: TestClient) -> None:
    body = padded(user_json("Exactly One MiB", "mib@example.com"), MAX_BODY_BYTES)
    assert len(body) == MAX_BODY_BYTES
    assert post_users(client, body).status_code == 201


@pytest.mark.parametrize(
    ("prefix", "size"),
    [
        pytest.param(user_json("Too Large", "big@example.com"), MAX_BODY_BYTES + 1, id="valid"),
        pytest.param("[[[[ not json ", MAX_BODY_BYTES + 1, id="before-400"),
        pytest.param('{"name": "A", "email": "x"}', MAX_BODY_BYTES + 24, id="before-422"),
        pytest.param(user_json("Alice", "alice@example.com"), 3 * MAX_BODY_BYTES, id="before-409"),
    ],
)
def test_over_one_mib_is_413(client: TestClient, prefix: str, size: int) -> None:
    assert_error(post_users(client, padded(prefix, size)), 413)


def test_413_counts_bytes_not_content_length(client: TestClient) -> None:
    def chunks() -> object:
        for _ in range(17):
            yield b" " * 65536  # 17 * 64 KiB > 1 MiB, sent chunked with no length

    assert_error(client.post("/users", content=chunks()), 413)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b'{"name": "Truncated", "email": "tr@example.com"', id="truncated"),
        pytest.param(b"{'name': 'Single', 'email': 'sq@example.com'}", id="single-quotes"),
        pytest.param(b'{"name": "Trailing", "email": "tc@example.com",}', id="trailing-comma"),
        pytest.param(b'{"name": "Garbage", "email": "tg@example.com"} x', id="trailing-garbage"),
        pytest.param(
            b'{"name": "Two", "email": "a@b.co"}{"name": "Two", "email": "c@d.co"}', id="two"
        ),
        pytest.param(
            b'{"name": "Bad \xff\xfe Bytes", "email": "badutf8@example.com"}', id="bad-utf8"
        ),
        pytest.param(
            b'{"name": "Sur \xed\xa0\x80", "email": "sur@example.com"}', id="utf8-surrogate"
        ),
        pytest.param(b'\xef\xbb\xbf{"name": "Bom", "email": "bom@example.com"}', id="bom"),
        pytest.param('{"name": "U16", "email": "u16@example.com"}'.encode("utf-16"), id="utf-16"),
        pytest.param(b'{"name": "Nan", "email": "nan@example.com", "x": NaN}', id="nan"),
        pytest.param(b'{"name": "Ctl\x01", "email": "ctl@example.com"}', id="control-char"),
        pytest.param(b'{"name": 1, "email": 2', id="malformed-with-bad-fields"),
        pytest.param(b'[{"name": "In Array", "email": "inarr@example.com"}]', id="array"),
        pytest.param(b'[{"name": "A"}]', id="array-before-422"),
        pytest.param(b'"Al"', id="string"),
        pytest.param(b"42", id="number"),
        pytest.param(b"null", id="null"),
        pytest.param(b"true", id="true"),
    ],
)
def test_malformed_or_not_an_object_is_400(client: TestClient, body: bytes) -> None:
    assert_error(post_users(client, body), 400)


def test_whitespace_around_the_value_is_allowed(client: TestClient) -> None:
    body = " \n\t" + user_json("Spaced", "spaced@example.com") + "\r\n "
    assert post_users(client, body).status_code == 201


@pytest.mark.parametrize(
    "body",
    [
        pytest.param('{"email": "mn@example.com"}', id="missing-name"),
        pytest.param('{"name": "Missing Email"}', id="missing-email"),
        pytest.param("{}", id="empty-object"),
        pytest.param('{"name": 12345, "email": "num@example.com"}', id="name-number"),
        pytest.param('{"name": null, "email": "nul@example.com"}', id="name-null"),
        pytest.param('{"name": ["Al"], "email": "arr@example.com"}', id="name-array"),
        pytest.param('{"name": {"first": "Al"}, "email": "obj@example.com"}', id="name-object"),
        pytest.param('{"name": true, "email": "bool@example.com"}', id="name-boolean"),
        pytest.param('{"name": "Email Number", "email": 42}', id="email-number"),
        pytest.param('{"name": "Email Null", "email": null}', id="email-null"),
        pytest.param('{"Name": "Capital Key", "email": "ck@example.com"}', id="key-case"),
        pytest.param('{"name": "A", "email": "alice@example.com"}', id="short-name-before-409"),
        pytest.param('{"email": "bob@example.com"}', id="missing-name-before-409"),
        pytest.param('{"name": false, "email": "alice@example.com"}', id="wrong-type-before-409"),
    ],
)
def test_field_rules_are_422(client: TestClient, body: str) -> None:
    assert_error(post_users(client, body), 422)


def test_duplicate_email_is_409_and_case_sensitive(client: TestClient) -> None:
    assert_error(post_users(client, user_json("Alice Again", "alice@example.com")), 409)
    assert post_users(client, user_json("First", "dup@example.com")).status_code == 201
    assert_error(post_users(client, user_json("Second", "dup@example.com")), 409)
    assert post_users(client, user_json("Bob Upper", "Bob@example.com")).status_code == 201
    assert [u["id"] for u in client.get("/users").json()] == [1, 2, 3, 4]


# --- name length: code points ------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "status"),
    [
        pytest.param("Al", 201, id="two-ascii"),
        pytest.param("A", 422, id="one-ascii"),
        pytest.param("", 422, id="empty"),
        pytest.param("N" * 50, 201, id="fifty-ascii"),
        pytest.param("N" * 51, 422, id="fifty-one-ascii"),
        pytest.param("\U0001f600", 422, id="one-emoji"),
        pytest.param("\U0001f600" * 2, 201, id="two-emoji"),
        pytest.param("\U0001f600" * 26, 201, id="twenty-six-emoji-52-utf16-units"),
        pytest.param("\U0001f600" * 50, 201, id="fifty-emoji"),
        pytest.param("\U0001f600" * 51, 422, id="fifty-one-emoji"),
        pytest.param("e\u0301", 201, id="combining-mark-is-two"),
        pytest.param("e\u0301" * 25, 201, id="fifty-combining-code-points"),
        pytest.param("e\u0301" * 25 + "e", 422, id="fifty-one-combining-code-points"),
        pytest.param("\u00e9", 422, id="one-precomposed"),
        pytest.param("\u00e9" * 30, 201, id="thirty-precomposed-60-bytes"),
        pytest.param("\u540d" * 50, 201, id="fifty-cjk-150-bytes"),
        pytest.param("  ", 201, id="whitespace-counts"),
    ],
)
def test_name_length_counts_code_points(client: TestClient, name: str, status: int) -> None:
    response = post_users(client, json.dumps({"name": name, "email": "n@example.com"}))
    if status == 201:
        assert response.status_code == 201, response.text
        assert response.json()["name"] == name
    else:
        assert_error(response, status)


def test_json_escapes_are_decoded(client: TestClient) -> None:
    response = post_users(client, r'{"name": "\u00e9\ud83d\ude00", "email": "esc@example.com"}')
    assert response.status_code == 201
    assert response.json()["name"] == "\u00e9\U0001f600"


# --- email pattern: ASCII classes, whole string -----------------------------------


@pytest.mark.parametrize(
    ("email", "status"),
    [
        pytest.param("plain@example.com", 201, id="plain"),
        pytest.param("a_b.c-d@ex-ample.co_m", 201, id="underscore-and-dash"),
        pytest.param(".@..a", 201, id="dots-allowed"),
        pytest.param("j\u00f6rg@example.com", 422, id="unicode-local-part"),
        pytest.param("dom@ex\u00e4mple.com", 422, id="unicode-domain"),
        pytest.param("tld@example.c\u00f6m", 422, id="unicode-tld"),
        pytest.param("\u0661\u0662\u0663@example.com", 422, id="arabic-indic-digits"),
        pytest.param("fw\uff20example.com", 422, id="fullwidth-at"),
        pytest.param("nl@example.com\n", 422, id="trailing-newline"),
        pytest.param("\nnl@example.com", 422, id="leading-newline"),
        pytest.param("a+b@example.com", 422, id="plus"),
        pytest.param("noat.example.com", 422, id="no-at"),
        pytest.param("two@at@example.com", 422, id="two-at"),
        pytest.param("nodot@localhost", 422, id="no-dot-in-domain"),
        pytest.param("dash@example.c-m", 422, id="dash-in-tld"),
        pytest.param("sp ace@example.com", 422, id="space"),
        pytest.param("", 422, id="empty"),
    ],
)
def test_email_pattern(client: TestClient, email: str, status: int) -> None:
    response = post_users(client, json.dumps({"name": "Some One", "email": email}))
    if status == 201:
        assert response.status_code == 201, response.text
        assert response.json()["email"] == email
    else:
        assert_error(response, status)


# --- GET /users/{id} and integer parsing ------------------------------------------


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/users/0001", 200),
        ("/users/9223372036854775807", 404),
        ("/users/987654321098", 404),
        ("/users/3", 404),
        ("/users/0", 400),
        ("/users/00", 400),
        ("/users/-1", 400),
        ("/users/+1", 400),
        ("/users/%2B1", 400),
        ("/users/%201", 400),
        ("/users/1%20", 400),
        ("/users/abc", 400),
        ("/users/1.0", 400),
        ("/users/1e3", 400),
        ("/users/0x1", 400),
        ("/users/1_0", 400),
        ("/users/%D9%A1", 400),
        ("/users/%EF%BC%91", 400),  # fullwidth digit one
        ("/users/9223372036854775808", 400),
        ("/users/99999999999999999999999999", 400),
    ],
)
def test_get_user_ids(client: TestClient, path: str, status: int) -> None:
    response = client.get(path)
    if status == 200:
        assert response.status_code == 200
        assert_json(response)
        assert response.json() == ALICE
    else:
        assert_error(response, status)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("0", 0),
        ("00", 0),
        ("010", 10),
        ("0001", 1),
        ("9223372036854775807", 9223372036854775807),
        ("09223372036854775807", 9223372036854775807),
        ("9223372036854775808", None),
        ("", None),
        ("+1", None),
        ("-1", None),
        (" 1", None),
        ("1 ", None),
        ("1\n", None),
        ("1_0", None),
        ("\u0661", None),
        ("\uff11", None),
        ("\u00b2", None),  # superscript two: str.isdigit() says yes
        ("1.0", None),
    ],
)
def test_parse_decimal(raw: str, value: int | None) -> None:
    assert parse_decimal(raw) == value


# --- GET /users pagination ----------------------------------------------------------


def fill(client: TestClient, count: int) -> None:
    for i in range(count):
        response = post_users(client, user_json(f"Filler {i}", f"fill{i}@example.com"))
        assert response.status_code == 201


def ids(client: TestClient, query: str) -> list[int]:
    response = client.get("/users" + query)
    assert response.status_code == 200, response.text
    assert_json(response)
    return [user["id"] for user in response.json()]


def test_pagination_slices(client: TestClient) -> None:
    fill(client, 13)  # ids 1..15
    assert ids(client, "") == list(range(1, 11))
    assert ids(client, "?limit=010") == list(range(1, 11))
    assert ids(client, "?skip=0&limit=2") == [1, 2]
    assert ids(client, "?skip=1&limit=1") == [2]
    assert ids(client, "?skip=01&limit=01") == [2]
    assert ids(client, "?skip=00&limit=1") == [1]
    assert ids(client, "?skip=10") == [11, 12, 13, 14, 15]
    assert ids(client, "?skip=14&limit=5") == [15]
    assert ids(client, "?skip=15") == []
    assert ids(client, "?skip=1000000000") == []
    assert ids(client, "?skip=9223372036854775807&limit=1000") == []
    assert ids(client, "?limit=1000") == list(range(1, 16))
    assert ids(client, "?foo=bar&limit=1") == [1]


@pytest.mark.parametrize(
    "query",
    [
        "?skip=-1",
        "?limit=0",
        "?limit=1001",
        "?limit=-5",
        "?skip=abc",
        "?skip=%2B1",
        "?skip=+1",
        "?skip=%201",
        "?limit=1%20",
        "?limit=1.0",
        "?limit=1e1",
        "?limit=1_0",
        "?limit=%D9%A1",
        "?skip=9223372036854775808",
        "?limit=99999999999999999999",
        "?skip=",
        "?limit=",
    ],
)
def test_bad_pagination_is_400(client: TestClient, query: str) -> None:
    assert_error(client.get("/users" + query), 400)


# --- routing, methods, headers ------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/"),
        ("GET", "/users/"),
        ("POST", "/users/"),
        ("GET", "/health/"),
        ("GET", "/Users"),
        ("GET", "/users/1/extra"),
        ("GET", "/user"),
        ("DELETE", "/nope"),
        ("GET", "/docs"),
        ("GET", "/openapi.json"),
        ("GET", "/users/a%2Fb"),
    ],
)
def test_unknown_paths_are_404_without_redirect(client: TestClient, method: str, path: str) -> None:
    response = client.request(method, path, content=b"{}")
    assert_error(response, 404)
    assert "location" not in response.headers


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("DELETE", "/users", {"GET", "POST"}),
        ("PUT", "/users", {"GET", "POST"}),
        ("PUT", "/users/1", {"GET"}),
        ("POST", "/users/1", {"GET"}),
        ("PATCH", "/users/2", {"GET"}),
        ("DELETE", "/users/abc", {"GET"}),
        ("POST", "/health", {"GET"}),
    ],
)
def test_wrong_method_is_405_with_allow(
    client: TestClient, method: str, path: str, allowed: set[str]
) -> None:
    response = client.request(method, path, content=b"{}")
    assert_error(response, 405)
    assert {m.strip() for m in response.headers["allow"].split(",")} == allowed


def test_405_comes_before_body_size(client: TestClient) -> None:
    assert_error(client.post("/users/1", content=b" " * (MAX_BODY_BYTES + 1)), 405)


def test_unexpected_errors_get_the_error_body() -> None:
    class BrokenStore(UserStore):
        def page(self, skip: int, limit: int) -> list:  # type: ignore[type-arg]
            raise RuntimeError("broken")

    with TestClient(create_app(BrokenStore()), raise_server_exceptions=False) as client:
        assert_error(client.get("/users"), 500)


# --- health ----------------------------------------------------------------------------


def test_health(client: TestClient) -> None:
    response = client.get("/health?verbose=1")
    assert response.status_code == 200
    assert_json(response)
    body = response.json()
    assert set(body) == {"status", "uptime"}
    assert body["status"] == "healthy"
    assert 0 <= body["uptime"] < 60


def test_uptime_grows_with_the_clock() -> None:
    now = [1000.0]
    with TestClient(create_app(clock=lambda: now[0])) as client:
        assert client.get("/health").json()["uptime"] == 0
        now[0] += 2.5
        assert client.get("/health").json()["uptime"] == 2.5


def test_uptime_grows_with_wall_time(client: TestClient) -> None:
    first = client.get("/health").json()["uptime"]
    second = client.get("/health").json()["uptime"]
    assert second >= first >= 0


# --- the JSON parser -------------------------------------------------------------------


def test_parse_json_takes_what_orjson_refuses() -> None:
    assert parse_json(b'{"x": 1e400}') == {"x": Decimal("1e400")}
    assert parse_json(b'{"x": ' + b"[" * 900 + b"]" * 900 + b"}") is not None


@pytest.mark.skipif(sys.version_info < (3, 12), reason="3.11's json recursion limit is ~1,000")
def test_parse_json_takes_deep_nesting() -> None:
    assert parse_json(b'{"x": ' + b"[" * 2000 + b"]" * 2000 + b"}") is not None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "Expecting value"),
        (b"NaN", "NaN is not JSON"),
        (b"[1] [2]", "Extra data"),
        (b"\xef\xbb\xbf{}", "BOM"),
        ('{"a": 1}'.encode("utf-16"), "can't decode"),
    ],
)
def test_parse_json_refuses_malformed_text(body: bytes, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_json(body)
