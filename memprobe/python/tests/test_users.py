import hashlib
import sys
from typing import Any

import pytest

import users

HAS_PYDANTIC = True
try:
    import pydantic  # noqa: F401
except ImportError:
    HAS_PYDANTIC = False

BUILDABLE = [s for s in users.SHAPES if s != "pydantic" or HAS_PYDANTIC]

# printf '1\tuser-000001\tuser-000001@example.com\n2\t...\n3\t...\n' | sha256sum
CHECKSUM_3 = "750aff4bd156e1d566bb23dc3e4d0d9a5909e2b58cbc33b0b75a6f02641e1a92"
CHECKSUM_0 = hashlib.sha256(b"").hexdigest()


@pytest.mark.parametrize(
    ("ident", "name", "email"),
    [
        (1, "user-000001", "user-000001@example.com"),
        (99999, "user-099999", "user-099999@example.com"),
        (1000000, "user-1000000", "user-1000000@example.com"),
    ],
)
def test_names(ident: int, name: str, email: str) -> None:
    assert users.names(ident) == (name, email)


@pytest.mark.parametrize("shape", BUILDABLE)
def test_build_in_id_order_with_checksum(shape: str) -> None:
    built = users.build(users.factory(shape), 3)
    assert [users.fields(u) for u in built] == [
        (i, f"user-{i:06d}", f"user-{i:06d}@example.com") for i in (1, 2, 3)
    ]
    assert users.checksum(built) == CHECKSUM_3
    assert users.checksum(users.build(users.factory(shape), 0)) == CHECKSUM_0


def test_shapes_have_their_layout() -> None:
    slots: Any = users.SlotsUser(1, "a", "b")
    assert not hasattr(slots, "__dict__")
    plain: Any = users.DataclassUser(1, "a", "b")
    assert plain.__dict__ == {"id": 1, "name": "a", "email": "b"}


@pytest.mark.parametrize("shape", ["", "Dict", "structs", "data"])
def test_unknown_shape(shape: str) -> None:
    with pytest.raises(users.ShapeError, match="unknown shape"):
        users.factory(shape)


@pytest.mark.skipif(HAS_PYDANTIC, reason="this interpreter has pydantic")
def test_pydantic_missing_is_a_clear_error() -> None:
    with pytest.raises(users.ShapeError, match="needs pydantic"):
        users.factory("pydantic")


@pytest.mark.skipif(not HAS_PYDANTIC, reason="pydantic is not installed here")
def test_pydantic_validates() -> None:
    make = users.factory("pydantic")
    with pytest.raises(ValueError, match="id"):
        make("not a number", "n", "e")
    assert sys.modules.get("pydantic") is not None
