"""The N users every memory probe builds, in each Python shape, and their checksum."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(slots=True)
class SlotsUser:
    """A user as a dataclass with __slots__: three pointer slots, no per-object dict."""

    id: int
    name: str
    email: str


@dataclass
class DataclassUser:
    """A user as a plain dataclass: attributes in the instance's (inline) dict values."""

    id: int
    name: str
    email: str


def dict_user(ident: int, name: str, email: str) -> dict[str, Any]:
    """A user as a plain dict, the shape a JSON-first service passes around."""
    return {"id": ident, "name": name, "email": email}


def _pydantic_factory() -> Callable[..., Any]:
    # Imported only for this shape: the free-threaded interpreter has no pydantic.
    try:
        from pydantic_user import PydanticUser
    except ImportError as err:
        raise ShapeError(f"shape 'pydantic' needs pydantic, which is not installed: {err}") from err
    return lambda ident, name, email: PydanticUser(id=ident, name=name, email=email)


SHAPES = ("dict", "slots", "dataclass", "pydantic")


class ShapeError(ValueError):
    """An unknown shape, or one this interpreter cannot build."""


def factory(shape: str) -> Callable[[int, str, str], Any]:
    """Return the constructor of one user in the named shape."""
    if shape == "dict":
        return dict_user
    if shape == "slots":
        return SlotsUser
    if shape == "dataclass":
        return DataclassUser
    if shape == "pydantic":
        return _pydantic_factory()
    raise ShapeError(f"unknown shape {shape!r} (known: {', '.join(SHAPES)})")


def names(ident: int) -> tuple[str, str]:
    """Return user-%06d and user-%06d@example.com for the id."""
    name = f"user-{ident:06d}"
    return name, f"{name}@example.com"


def build(make: Callable[[int, str, str], Any], n: int) -> list[Any]:
    """Build users 1..n with make into a list allocated once at its final size."""
    users: list[Any] = [None] * n
    for i in range(n):
        name, email = names(i + 1)
        users[i] = make(i + 1, name, email)
    return users


def fields(user: Any) -> tuple[int, str, str]:  # noqa: ANN401 (a user of any shape)
    """Return (id, name, email) of a user in any shape."""
    if isinstance(user, dict):
        return user["id"], user["name"], user["email"]
    return user.id, user.name, user.email


def checksum(users: list[Any]) -> str:
    """Hex SHA-256 of "id\\tname\\temail\\n" for every user in id order."""
    digest = hashlib.sha256()
    for user in users:
        ident, name, email = fields(user)
        digest.update(f"{ident}\t{name}\t{email}\n".encode())
    return digest.hexdigest()
