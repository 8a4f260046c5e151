"""The Python parsers: the standard library's json, orjson and msgspec.

Each parses bytes already in memory; every number comes out as a Python int or
float inside the parse itself, so the timed region holds nothing else.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from canon import Canon, Digest, digest_of


class UnsupportedError(Exception):
    """A library that does not offer the asked-for mode."""


@dataclass(frozen=True)
class Library:
    """One parser: its generic decode, and its typed decode where it has one."""

    name: str
    label: str
    generic: Callable[[bytes], Any]
    typed: Callable[[bytes], Any] | None
    digest_typed: Callable[[Any], Digest] | None


def _stdlib() -> Library:
    import json

    return Library("json", "json (standard library)", json.loads, None, None)


def _orjson() -> Library:
    import orjson

    return Library("orjson", f"orjson {orjson.__version__}", orjson.loads, None, None)


def _msgspec() -> Library:
    import msgspec

    import schema

    decoder = msgspec.json.Decoder(schema.Document)

    def digest_records(records: list[schema.Record]) -> Digest:
        c = Canon()
        c.begin_array()
        for r in records:  # one record's builtins at a time: memory stays flat
            c.value(msgspec.to_builtins(r))
        c.end_array()
        return c.digest()

    version = importlib.metadata.version("msgspec")
    return Library(
        "msgspec", f"msgspec {version}", msgspec.json.decode, decoder.decode, digest_records
    )


FACTORIES: dict[str, Callable[[], Library]] = {
    "json": _stdlib,
    "orjson": _orjson,
    "msgspec": _msgspec,
}


def load(name: str) -> Library:
    """The named library; ImportError if this interpreter lacks it."""
    try:
        factory = FACTORIES[name]
    except KeyError:
        raise ValueError(f"unknown library {name!r} (one of {', '.join(FACTORIES)})") from None
    return factory()


def decoder(lib: Library, mode: str) -> tuple[Callable[[bytes], Any], Callable[[Any], Digest]]:
    """The mode's decode and the digest of what it returns."""
    if mode == "generic":
        return lib.generic, digest_of
    if mode == "typed":
        if lib.typed is None or lib.digest_typed is None:
            raise UnsupportedError(f"{lib.label} has no typed mode (msgspec is the typed one)")
        return lib.typed, lib.digest_typed
    raise ValueError(f"--mode must be generic or typed, not {mode!r}")
