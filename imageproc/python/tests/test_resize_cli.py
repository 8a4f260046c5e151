from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from resize import main
from runtimeinfo import runtime_name


def run(argv: list[str]) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(argv, stdout, stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def args(src: Path, out: Path, **overrides: str) -> list[str]:
    flags = {"workers": "2", "width": "160", "height": "120", "quality": "85", **overrides}
    argv = ["resize", "--in", str(src), "--out", str(out)]
    for name, value in flags.items():
        argv += [f"--{name}", value]
    return argv


def test_prints_one_result_line(folder: Path, tmp_path: Path) -> None:
    code, stdout, stderr = run(args(folder, tmp_path / "out"))
    assert code == 0, stderr
    assert stderr == ""
    assert stdout.count("\n") == 1
    line = json.loads(stdout)
    assert line["runtime"] == runtime_name()
    assert line["runtime"].startswith("CPython 3.1")
    assert (line["total"], line["succeeded"], line["failed"], line["workers"]) == (10, 5, 5, 2)
    assert len(line["errors"]) == 5
    assert [e["file"] for e in line["errors"]] == sorted(e["file"] for e in line["errors"])


@pytest.mark.parametrize(
    "overrides",
    [{"workers": "0"}, {"width": "-1"}, {"quality": "101"}, {"height": "tall"}],
)
def test_bad_arguments_exit_2(folder: Path, tmp_path: Path, overrides: dict[str, str]) -> None:
    code, stdout, stderr = run(args(folder, tmp_path / "out", **overrides))
    assert code == 2
    assert stdout == ""
    assert stderr.count("\n") == 1


def test_missing_folder_exits_1(tmp_path: Path) -> None:
    code, stdout, stderr = run(args(tmp_path / "nope", tmp_path / "out"))
    assert code == 1
    assert stdout == ""
    assert stderr.startswith("resize.py: ")
    assert stderr.count("\n") == 1
