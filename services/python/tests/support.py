"""Helpers shared by the user API tests."""

from __future__ import annotations

import time

import httpx
from fastapi.testclient import TestClient


def post_users(client: TestClient, body: str | bytes) -> httpx.Response:
    """POSTs raw body bytes to /users, with no Content-Type (the contract ignores it)."""
    content = body.encode() if isinstance(body, str) else body
    return client.post("/users", content=content)


def assert_json(response: httpx.Response) -> None:
    """Every response is application/json."""
    content_type = response.headers.get("content-type", "")
    assert content_type.split(";")[0].strip() == "application/json", content_type


def assert_error(response: httpx.Response, status: int) -> None:
    """The response has the status and exactly the contract's error body."""
    assert response.status_code == status, response.text
    assert_json(response)
    body = response.json()
    assert set(body) == {"error", "timestamp"}, body
    assert isinstance(body["error"], str)
    assert body["error"]
    assert type(body["timestamp"]) is int
    assert abs(body["timestamp"] - time.time()) < 5
