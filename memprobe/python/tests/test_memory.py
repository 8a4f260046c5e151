import io

import pytest

import memory
import users
from tests.test_users import BUILDABLE, CHECKSUM_3


@pytest.mark.parametrize("shape", BUILDABLE)
def test_inside_counts_every_object(shape: str) -> None:
    result = memory.measure_inside(shape, 2000)
    assert result["checksum"] == users.checksum(users.build(users.factory(shape), 2000))
    assert result["method"] == "inside"
    # Each user holds at least its two strings (49+ and 61+ bytes as str objects)
    # and a list slot; no shape stores a user in less.
    assert result["bytes_per_object"] > 49 + 61 + 8
    assert result["bytes_total"] == pytest.approx(result["bytes_per_object"] * 2000)


def test_inside_shapes_order() -> None:
    per_object = {s: memory.measure_inside(s, 2000)["bytes_per_object"] for s in BUILDABLE}
    # slots holds the fields in the object; a dict adds a hash table.
    assert per_object["slots"] < per_object["dataclass"] < per_object["dict"]
    if "pydantic" in per_object:
        assert per_object["pydantic"] > per_object["dict"]


def test_outside_prints_ready_then_waits_for_eof() -> None:
    out = io.StringIO()
    result = memory.hold_outside("slots", 3, io.StringIO("line\nmore\n"), out)
    assert out.getvalue() == "ready\n"
    assert result["checksum"] == CHECKSUM_3
    assert "bytes_total" not in result


@pytest.mark.parametrize("count", [-1, memory.MAX_COUNT + 1])
def test_counts_refused(count: int) -> None:
    with pytest.raises(memory.CountError, match="--count must be in"):
        memory.measure_inside("dict", count)
    with pytest.raises(memory.CountError, match="--count must be in"):
        memory.hold_outside("dict", count, io.StringIO(), io.StringIO())
