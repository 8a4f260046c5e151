"""Fixtures for the user API tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from userapi import create_app


@pytest.fixture
def client() -> Iterator[TestClient]:
    """A client of a fresh canonical app (seed users only). Redirects are not followed."""
    with TestClient(create_app(), follow_redirects=False) as test_client:
        yield test_client
