"""The canonical digest of a parsed JSON value (jsonbench/DIGEST.md).

A pre-order walk writes type tags, length-delimited UTF-8 strings and keys, and
every number as the exact decimal value of its float64; object members go in the
byte order of their UTF-8 keys. The stream is hashed with SHA-256 and every value
kind is counted.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

KINDS = ("object", "array", "string", "number", "true", "false", "null")
_OBJECT, _ARRAY, _STRING, _NUMBER, _TRUE, _FALSE, _NULL = range(7)
_EXACT = 2**53
_FLUSH_PARTS = 8192
_POW5 = [5**k for k in range(1075)]
_first = itemgetter(0)


@dataclass
class Digest:
    """SHA-256 of the canonical stream in lowercase hex, and the value counts."""

    sha256: str
    counts: dict[str, int] = field(default_factory=dict)


def utf8(s: str) -> bytes:
    """UTF-8 of s, an unpaired surrogate (from a lone \\uD800 escape) as U+FFFD."""
    try:
        return s.encode()
    except UnicodeEncodeError:
        return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in s).encode()


def _integer_text(n: int) -> bytes:
    sign = b"-" if n < 0 else b""
    digits = str(abs(n))
    stripped = digits.rstrip("0")
    return b"%s%se%d" % (sign, stripped.encode(), len(digits) - len(stripped))


def number_text(v: int | float) -> bytes:
    """The canonical text of a number: the exact decimal value of its float64 as
    <sign><digits>e<exponent> with no trailing zero in the digits (100 is 1e2, 0.5
    is 5e-1); zero of either sign is 0e0. An integer beyond float64's exact range is
    rounded to float64 first, as a float-based parser would; beyond its range it is
    inf or -inf."""
    if type(v) is int:
        if -_EXACT <= v <= _EXACT:
            return _integer_text(v) if v else b"0e0"
        try:
            v = float(v)
        except OverflowError:
            return b"inf" if v > 0 else b"-inf"
    if v != v:
        return b"nan"
    if v in (float("inf"), float("-inf")):
        return b"inf" if v > 0 else b"-inf"
    if v == 0:
        return b"0e0"
    if v.is_integer():
        return _integer_text(int(v))
    num, den = v.as_integer_ratio()
    k = den.bit_length() - 1
    # num/2^k = num*5^k / 10^k, and num is odd, so the digits end in no zero.
    return b"%d" % (num * _POW5[k]) + b"e-%d" % k


class Canon:
    """A canonical stream being hashed; write values, then take the digest."""

    def __init__(self, record: bool = False) -> None:
        self._hash = hashlib.sha256()
        self._parts: list[bytes] = []
        self._counts = [0] * len(KINDS)
        self._record: list[bytes] | None = [] if record else None

    def _flush(self) -> None:
        chunk = b"".join(self._parts)
        self._parts.clear()
        self._hash.update(chunk)
        if self._record is not None:
            self._record.append(chunk)

    def stream(self) -> bytes:
        """Everything written so far (only when recording)."""
        self._flush()
        return b"".join(self._record or [])

    def begin_array(self) -> None:
        """Open an array (as the top level of a typed document is written)."""
        self._counts[_ARRAY] += 1
        self._parts.append(b"[")

    def end_array(self) -> None:
        """Close an array."""
        self._parts.append(b"]")

    def value(self, v: Any) -> None:  # noqa: ANN401 (any JSON value)
        """Write a generic tree: dict, list, str, int, float, bool, None."""
        parts, counts = self._parts, self._counts
        t = type(v)
        if t is str:
            b = utf8(v)
            parts.append(b"s%d:" % len(b))
            parts.append(b)
            counts[_STRING] += 1
        elif t is dict:
            counts[_OBJECT] += 1
            parts.append(b"{")
            for kb, x in sorted([(utf8(k), x) for k, x in v.items()], key=_first):
                parts.append(b"k%d:" % len(kb))
                parts.append(kb)
                self.value(x)
            parts.append(b"}")
            if len(parts) > _FLUSH_PARTS:
                self._flush()
        elif t is list:
            counts[_ARRAY] += 1
            parts.append(b"[")
            for x in v:
                self.value(x)
            parts.append(b"]")
            if len(parts) > _FLUSH_PARTS:
                self._flush()
        elif t is float or t is int:
            parts.append(b"d" + number_text(v) + b";")
            counts[_NUMBER] += 1
        elif v is True:
            parts.append(b"t")
            counts[_TRUE] += 1
        elif v is False:
            parts.append(b"f")
            counts[_FALSE] += 1
        elif v is None:
            parts.append(b"n")
            counts[_NULL] += 1
        else:
            raise TypeError(f"digest: a {t.__name__} is not a JSON value")

    def digest(self) -> Digest:
        """The digest of everything written."""
        self._flush()
        return Digest(self._hash.hexdigest(), dict(zip(KINDS, self._counts, strict=True)))


def digest_of(v: Any) -> Digest:  # noqa: ANN401 (any JSON value)
    """The digest of a generic tree."""
    c = Canon()
    c.value(v)
    return c.digest()
