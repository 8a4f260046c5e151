import importlib.util
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import jsonparse
import libraries
from tests.support import CONFORMANCE, JSONPARSE, smoke_document

AVAILABLE = [n for n in libraries.FACTORIES if n == "json" or importlib.util.find_spec(n)]
MODES = {"json": ["generic"], "orjson": ["generic"], "msgspec": ["generic", "typed"]}


@pytest.mark.parametrize("library", AVAILABLE)
def test_smoke_document_digest_equals_the_generators(library: str) -> None:
    path, generated = smoke_document()
    lib = libraries.load(library)
    data = path.read_bytes()
    for mode in MODES[library]:
        line = jsonparse.measure(lib, data, mode, 2, digest=True)
        assert line["digest"] == generated["digest"], f"{library} {mode}"
        assert line["counts"] == generated["counts"]
        assert line["bytes"] == len(data)
        assert len(line["seconds"]) == 2
        assert all(s > 0 for s in line["seconds"])


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(JSONPARSE), *argv],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_cli_line_without_digest(tmp_path: Path) -> None:
    doc = tmp_path / "d.json"
    doc.write_text('[{"a": [1, 2.5, "x"]}]')
    done = _run("parse", "--file", str(doc), "--mode", "generic", "--repeat", "3")
    assert done.returncode == 0, done.stderr
    line = json.loads(done.stdout)
    assert line["runtime"].startswith("CPython 3.")
    assert line["mode"] == "generic"
    assert line["bytes"] == doc.stat().st_size
    assert len(line["seconds"]) == 3
    assert "digest" not in line
    assert "counts" not in line


def _deep(tmp_path: Path) -> Path:
    p = tmp_path / "deep.json"
    p.write_bytes(b"[" * 1_000_000 + b"]" * 1_000_000)
    return p


@pytest.mark.parametrize("library", AVAILABLE)
@pytest.mark.parametrize("case", ["truncated", "not json", "missing", "too deep"])
def test_bad_input_is_one_line_and_exit_1(tmp_path: Path, library: str, case: str) -> None:
    path = tmp_path / "bad.json"
    if case == "truncated":
        path.write_text('[{"a": 1}, {"b": ')
    elif case == "not json":
        path.write_text("hello, world")
    elif case == "too deep":
        path = _deep(tmp_path)
    for mode in MODES[library]:
        done = _run("parse", "--file", str(path), "--mode", mode, "--library", library)
        assert done.returncode == 1, f"{case} {mode}: {done.stdout}"
        assert done.stdout == ""
        assert done.stderr.count("\n") == 1, done.stderr
        assert done.stderr.startswith("jsonparse.py: ")
        assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["parse", "--file", "x", "--mode", "sideways"], "--mode must be generic or typed"),
        (["parse", "--file", "x", "--mode", "generic", "--repeat", "0"], "--repeat must be"),
        (["parse", "--mode", "generic"], "one of the arguments --file --check is required"),
        (["parse", "--file", "x", "--check", "y"], "not allowed with argument"),
        (["parse", "--file", "x", "--mode", "generic", "--library", "ujson"], "unknown library"),
        (["serve"], "invalid choice"),
    ],
)
def test_usage_errors_exit_2(argv: list[str], message: str) -> None:
    done = _run(*argv)
    assert done.returncode == 2
    assert message in done.stderr
    assert done.stderr.count("\n") == 1


def test_typed_mode_of_a_generic_only_library(tmp_path: Path) -> None:
    doc = tmp_path / "d.json"
    doc.write_text("[]")
    done = _run("parse", "--file", str(doc), "--mode", "typed", "--library", "json")
    assert done.returncode == 1
    assert "has no typed mode" in done.stderr


@pytest.mark.parametrize("library", AVAILABLE)
def test_check_gives_every_file_a_verdict(library: str) -> None:
    out = io.StringIO()
    jsonparse.run(["parse", "--check", str(CONFORMANCE), "--library", library], out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    names = sorted(p.name for p in CONFORMANCE.iterdir())
    assert [line["item"] for line in lines[:-1]] == names
    assert all(line["verdict"] in ("accept", "reject") for line in lines[:-1])
    assert all(("error" in line) == (line["verdict"] == "reject") for line in lines[:-1])
    assert lines[-1]["files"] == len(names)
    verdicts = {line["item"]: line["verdict"] for line in lines[:-1]}
    # Every library here gets these right; the full disagreement list is in the README.
    assert verdicts["y_string_surrogate_pair.json"] == "accept"
    assert verdicts["n_array_trailing_comma.json"] == "reject"
    assert verdicts["n_structure_unclosed_100000_arrays.json"] == "reject"
