import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import probe

PROBE = str(Path(__file__).resolve().parent.parent / "probe.py")


def test_run_cpu_line() -> None:
    result = probe.run(
        ["cpu", "--tasks", "2", "--n", "1000", "--workers", "1"], io.StringIO(), io.StringIO()
    )
    assert result["checksum"] == 2 * 332_833_500


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "probe.py: the following arguments are required: command"),
        (["serve"], "invalid choice: 'serve'"),
        (
            ["probe", "--shape", "dict"],
            "probe.py probe: the following arguments are required: --count",
        ),
        (["probe", "--count", "-5", "--shape", "dict"], "--count must be in 0..10000000, got -5"),
        (["probe", "--count", "many", "--shape", "dict"], "invalid int value: 'many'"),
        (["probe", "--count", "3", "--shape", "structs"], "unknown shape 'structs'"),
        (["probe", "--count", "3", "--shape", "dict", "--method", "both"], "unknown method 'both'"),
        (
            ["probe", "--count", "3", "--shape", "dict", "--colour"],
            "unrecognized arguments: --colour",
        ),
        (
            ["cpu", "--tasks", "0", "--n", "10", "--workers", "1"],
            "probe.py cpu: --tasks must be in",
        ),
        (["tasks", "--count", "-1"], "probe.py tasks: --count must be in"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(argv: list[str], message: str) -> None:
    done = subprocess.run(
        [sys.executable, PROBE, *argv], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert message in done.stderr
    assert done.stderr.count("\n") == 1, done.stderr


def test_outside_protocol() -> None:
    with subprocess.Popen(
        [sys.executable, PROBE, "probe", "--count", "0", "--shape", "slots", "--method", "outside"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as child:
        assert child.stdout is not None
        assert child.stdin is not None
        assert child.stdout.readline() == "ready\n"
        child.stdin.close()
        line = json.loads(child.stdout.readline())
        assert child.wait(timeout=60) == 0
    assert line["method"] == "outside"
    assert line["count"] == 0
