import importlib.util
import json
from collections.abc import Callable
from typing import Any

import pytest

from canon import Canon, digest_of, number_text
from tests.support import vectors


def _parsers() -> list[tuple[str, Callable[[str], Any]]]:
    parsers: list[tuple[str, Callable[[str], Any]]] = [("json", json.loads)]
    if importlib.util.find_spec("orjson"):
        import orjson

        parsers.append(("orjson", lambda doc: orjson.loads(doc.encode())))
    if importlib.util.find_spec("msgspec"):
        import msgspec

        parsers.append(("msgspec", lambda doc: msgspec.json.decode(doc.encode())))
    return parsers


PARSERS = _parsers()
VECTORS = vectors()


def _expected(doc: Any) -> dict[str, Any]:  # noqa: ANN401 (a parsed JSON value)
    c = Canon(record=True)
    c.value(doc)
    d = c.digest()
    return {"stream": c.stream().decode(), "digest": d.sha256, "counts": d.counts}


@pytest.mark.parametrize(("name", "parse"), PARSERS)
@pytest.mark.parametrize("group", VECTORS["same"], ids=lambda g: g["name"])
def test_same_digest(name: str, parse: Callable[[str], Any], group: dict[str, Any]) -> None:
    want = {k: group[k] for k in ("stream", "digest", "counts")}
    for doc in group["documents"]:
        assert _expected(parse(doc)) == want, f"{name}: {doc}"


@pytest.mark.parametrize(("name", "parse"), PARSERS)
@pytest.mark.parametrize("group", VECTORS["different"], ids=lambda g: g["name"])
def test_different_digests(name: str, parse: Callable[[str], Any], group: dict[str, Any]) -> None:
    got = [_expected(parse(doc)) for doc in group["documents"]]
    assert got == group["expect"], name
    assert len({g["digest"] for g in got}) == len(got)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, b"0e0"),
        (-0.0, b"0e0"),
        (100, b"1e2"),
        (100.0, b"1e2"),
        (-1200, b"-12e2"),
        (0.5, b"5e-1"),
        (0.1, b"1000000000000000055511151231257827021181583404541015625e-55"),
        (2**53 + 1, b"9007199254740992e0"),
        (2.0**64, b"18446744073709551616e0"),
        (10**400, b"inf"),
        (-(10**400), b"-inf"),
        (float("inf"), b"inf"),
    ],
)
def test_number_text(value: float, text: bytes) -> None:
    assert number_text(value) == text


def test_smallest_subnormal_is_exact() -> None:
    text = number_text(5e-324)
    assert text.startswith(b"4940656458412465441765687928682213723650598026143247")
    assert text.endswith(b"e-1074")


def test_lone_surrogate_digests_as_replacement_character() -> None:
    assert digest_of("\ud800") == digest_of("\ufffd")


def test_not_json_value() -> None:
    with pytest.raises(TypeError, match="a set is not a JSON value"):
        digest_of({1})
