"""The document's records as msgspec Structs (jsonbench/SCHEMA.md).

Every field is required (a null is written, never omitted) and unknown keys are
refused; `X | None` fields are the nullable ones.
"""

from __future__ import annotations

import msgspec


class Item(msgspec.Struct, forbid_unknown_fields=True):
    """One line of an order."""

    sku: str
    title: str
    quantity: int
    unit_price: float
    discount: float | None
    weight: float


class Order(msgspec.Struct, forbid_unknown_fields=True):
    """One of a user's orders."""

    id: int
    placed: str
    status: str
    currency: str
    total: float
    coupon: str | None
    items: list[Item]


class Address(msgspec.Struct, forbid_unknown_fields=True):
    """Where a user lives."""

    street: str
    line2: str | None
    city: str
    postcode: str
    country: str
    lat: float
    lon: float


class Record(msgspec.Struct, forbid_unknown_fields=True):
    """One element of the document's top-level array: a user."""

    id: int
    name: str
    email: str
    active: bool
    score: float
    balance: int
    created: str
    nickname: str | None
    bio: str
    address: Address | None
    tags: list[str]
    metadata: dict[str, str]
    orders: list[Order]


Document = list[Record]
