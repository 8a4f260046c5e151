"""The article variant's documented divergences that do not depend on a race or on
worker processes (those are shown by tribench conform against the real service)."""

import pytest
from fastapi.testclient import TestClient

import article_app


@pytest.fixture
def client():
    with TestClient(article_app.app) as c:  # runs the lifespan that seeds the store
        yield c


def test_unicode_word_characters_accepted_in_email(client: TestClient) -> None:
    resp = client.post("/users", json={"name": "Jorg", "email": "j\u00f6rg@ex\u00e4mple.com"})
    assert resp.status_code == 201


def test_validation_error_has_fastapis_body_not_the_contracts(client: TestClient) -> None:
    resp = client.post("/users", json={"name": "A", "email": "a@example.com"})
    assert resp.status_code == 422
    assert "detail" in resp.json()
    assert "error" not in resp.json()


def test_int_parsing_accepts_a_sign(client: TestClient) -> None:
    assert client.get("/users/+1").status_code == 200


def test_trailing_slash_redirects(client: TestClient) -> None:
    assert client.get("/users/", follow_redirects=False).status_code == 307
