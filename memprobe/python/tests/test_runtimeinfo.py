import pytest

import runtimeinfo

STATUS = "Name:\tpython\nVmHWM:\t    2048 kB\nVmRSS:\t 1024 kB\n"


def test_status_bytes() -> None:
    assert runtimeinfo.status_bytes(STATUS, "VmHWM") == 2048 * 1024
    assert runtimeinfo.status_bytes(STATUS, "VmRSS") == 1024 * 1024


@pytest.mark.parametrize(
    ("status", "message"),
    [(STATUS, "no VmSwap line"), ("VmSwap:\t3 MB\n", "malformed")],
)
def test_status_bytes_refuses(status: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        runtimeinfo.status_bytes(status, "VmSwap")


def test_runtime_name_matches_build() -> None:
    name = runtimeinfo.runtime_name()
    assert name.startswith("CPython 3.")
    assert name.endswith("t") == runtimeinfo.free_threaded_build()
    if not runtimeinfo.free_threaded_build():
        assert runtimeinfo.gil_enabled()
