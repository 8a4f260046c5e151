"""The article variant's documented divergences from the contract, shown deterministically.

In process, one worker: the divergences that need several worker processes (a store
per worker, repeated ids) or a race are shown by `tribench conform` against the
real service started with --workers 4.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

import article_app
from support import assert_json


@pytest.fixture
def client() -> Iterator[TestClient]:
    """A client of the article app; entering it runs the lifespan, which reseeds the store."""
    with TestClient(article_app.app, follow_redirects=False) as test_client:
        yield test_client


def assert_article_error(response: httpx.Response, status: int) -> None:
    """The article's own errors: {"error", "timestamp"} with a float timestamp."""
    assert response.status_code == status, response.text
    assert_json(response)
    body = response.json()
    assert set(body) == {"error", "timestamp"}, body
    assert type(body["timestamp"]) is float  # the contract wants integer seconds
    assert abs(body["timestamp"] - time.time()) < 5


def test_what_it_shares_with_the_contract(client: TestClient) -> None:
    assert client.get("/users").json() == [
        {"id": 1, "name": "Alice", "email": "alice@example.com"},
        {"id": 2, "name": "Bob", "email": "bob@example.com"},
    ]
    created = client.post("/users", json={"name": "Carol", "email": "carol@example.com"})
    assert created.status_code == 201
    assert created.json()["id"] == 3
    duplicate = client.post("/users", json={"name": "Alice", "email": "alice@example.com"})
    assert_article_error(duplicate, 409)
    assert_article_error(client.get("/users/0"), 400)
    assert_article_error(client.get("/users/99"), 404)
    assert_article_error(client.get("/users?limit=0"), 400)
    assert client.get("/health").json()["uptime"] >= 0


def test_the_routers_own_errors_keep_fastapis_body(client: TestClient) -> None:
    missing = client.get("/nope")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Not Found"}  # the contract wants {"error", "timestamp"}


def test_unicode_word_characters_accepted_in_email(client: TestClient) -> None:
    response = client.post("/users", json={"name": "Jorg", "email": "j\u00f6rg@ex\u00e4mple.com"})
    assert response.status_code == 201  # the contract says 422


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param({"name": "A", "email": "a@example.com"}, id="short-name"),
        pytest.param({"name": 123, "email": "b@example.com"}, id="number-name"),
        pytest.param({"name": "Some One", "email": "a+b@example.com"}, id="plus-in-email"),
    ],
)
def test_validation_errors_have_fastapis_body(
    client: TestClient, payload: dict[str, object]
) -> None:
    response = client.post("/users", json=payload)
    assert response.status_code == 422
    assert set(response.json()) == {"detail"}  # the contract wants {"error", "timestamp"}


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        pytest.param(b"{not json", {"Content-Type": "application/json"}, id="malformed"),
        pytest.param(b"[1, 2]", {"Content-Type": "application/json"}, id="array"),
        pytest.param(b'{"name": "Plain", "email": "p@example.com"}', {}, id="no-content-type"),
    ],
)
def test_bodies_the_contract_answers_400_or_201_are_422(
    client: TestClient, body: bytes, headers: dict[str, str]
) -> None:
    response = client.post("/users", content=body, headers=headers)
    assert response.status_code == 422
    assert set(response.json()) == {"detail"}


def test_int_parameters_accept_signs_and_spaces(client: TestClient) -> None:
    assert client.get("/users/+1").json()["name"] == "Alice"  # the contract says 400
    assert client.get("/users/%201").json()["name"] == "Alice"
    assert [u["id"] for u in client.get("/users?skip=+1").json()] == [2]


def test_trailing_slash_redirects(client: TestClient) -> None:
    response = client.get("/users/")
    assert response.status_code == 307  # the contract says 404, no redirect
    assert response.headers["location"].endswith("/users")


def test_405_allows_only_the_first_route(client: TestClient) -> None:
    response = client.delete("/users")
    assert response.status_code == 405
    assert response.json() == {"detail": "Method Not Allowed"}
    assert response.headers["allow"] == "GET"  # the contract wants GET and POST


def test_no_body_limit(client: TestClient) -> None:
    body = b'{"name": "Too Large", "email": "big@example.com"}' + b" " * (1 << 20)
    response = client.post("/users", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 201  # the contract says 413


def test_ids_follow_the_list_length_not_a_counter(client: TestClient) -> None:
    article_app.users.pop()  # Bob gone: the next id is computed from the length
    response = client.post("/users", json={"name": "Reused", "email": "reused@example.com"})
    assert response.json()["id"] == 2  # an id already handed out: ids can repeat
