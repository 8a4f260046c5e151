"""tribench's Python contender of the JSON workload.

    jsonparse.py parse --file F --mode generic|typed [--repeat R] [--digest] [--library L]
    jsonparse.py parse --check DIR [--library L]

L is json (the standard library, the default), orjson (generic) or msgspec (typed
into Structs, and generic). parse --file reads F before the timed region, times
each parse alone and prints one JSON line; with --digest it then computes the
digest of the last parse. parse --check prints one verdict line per file of DIR,
then a summary line. A bad argument is one line on stderr and exit 2; a failure
to run (a missing file, a document the parser rejects), one line and exit 1.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from typing import IO, Any, NoReturn

import libraries
from runtimeinfo import runtime_name


class UsageError(Exception):
    """A bad command line: one line on stderr, exit 2."""


class QuietParser(argparse.ArgumentParser):
    """An ArgumentParser that reports a mistake in one line instead of its usage text."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


def _parser() -> argparse.ArgumentParser:
    parser = QuietParser(prog="jsonparse.py", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    parse = commands.add_parser("parse", help="parse a document, or check a folder")
    target = parse.add_mutually_exclusive_group(required=True)
    target.add_argument("--file")
    target.add_argument("--check")
    parse.add_argument("--mode")
    parse.add_argument("--repeat", type=int, default=1)
    parse.add_argument("--digest", action="store_true")
    parse.add_argument("--library", default="json")
    return parser


def measure(
    lib: libraries.Library, data: bytes, mode: str, repeat: int, digest: bool
) -> dict[str, Any]:
    """Parse data repeat times, timing each parse alone; the result line."""
    decode, digest_of = libraries.decoder(lib, mode)
    seconds: list[float] = []
    result: Any = None
    for _ in range(repeat):
        result = None  # the previous tree is freed before the clock starts
        start = time.perf_counter()
        result = decode(data)
        seconds.append(time.perf_counter() - start)
    line: dict[str, Any] = {
        "runtime": runtime_name(),
        "library": lib.label,
        "mode": mode,
        "bytes": len(data),
        "seconds": seconds,
    }
    if digest:
        d = _deeply(lambda: digest_of(result))
        line["digest"], line["counts"] = d.sha256, d.counts
    return line


def _deeply(f: Callable[[], Any]) -> Any:  # noqa: ANN401 (what f returns)
    """Run f with room for as deep a recursion as the parser built. Only the digest's
    pure-Python walk gets it: raised during a parse, the limit would let CPython 3.11's
    C scanner recurse past the C stack (a segfault instead of a RecursionError)."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 100_000))
    try:
        return f()
    finally:
        sys.setrecursionlimit(limit)


def _reason(err: BaseException) -> str:
    text = " ".join(str(err).split())
    return f"{type(err).__name__}: {text}" if text else type(err).__name__


def check(lib: libraries.Library, folder: str, emit: Callable[[dict[str, Any]], None]) -> int:
    """A verdict line for every regular file of folder (names starting with "."
    skipped), in name order, parsed in generic mode; the number of files."""
    names = sorted(
        e.name for e in os.scandir(folder) if e.is_file(follow_symlinks=False) and e.name[0] != "."
    )
    for name in names:
        line: dict[str, Any] = {"item": name, "verdict": "accept"}
        try:
            with open(os.path.join(folder, name), "rb") as f:
                lib.generic(f.read())
        except (Exception, RecursionError, MemoryError) as err:
            line["verdict"], line["error"] = "reject", _reason(err)[:300]
        emit(line)
    return len(names)


def run(argv: list[str], stdout: IO[str]) -> None:
    """Run the command, writing its JSON lines to stdout; UsageError on bad input."""
    args = _parser().parse_args(argv)
    try:
        lib = libraries.load(args.library)
    except ValueError as err:
        raise UsageError(f"jsonparse.py parse: {err}") from err
    except ImportError as err:
        raise RuntimeError(f"{args.library} is not installed for this interpreter") from err

    def emit(line: dict[str, Any]) -> None:
        stdout.write(json.dumps(line, ensure_ascii=False) + "\n")

    if args.check is not None:
        files = check(lib, args.check, emit)
        emit({"runtime": runtime_name(), "library": lib.label, "files": files})
        return
    if args.mode not in ("generic", "typed"):
        raise UsageError(f"jsonparse.py parse: --mode must be generic or typed, not {args.mode!r}")
    if args.repeat < 1:
        raise UsageError(f"jsonparse.py parse: --repeat must be at least 1, not {args.repeat}")
    with open(args.file, "rb") as f:
        data = f.read()
    emit(measure(lib, data, args.mode, args.repeat, args.digest))


def main() -> int:
    """The command line: JSON lines on stdout, or one line of error on stderr."""
    try:
        run(sys.argv[1:], sys.stdout)
    except UsageError as err:
        print(err, file=sys.stderr)
        return 2
    except libraries.UnsupportedError as err:
        print(f"jsonparse.py: {err}", file=sys.stderr)
        return 1
    except (Exception, RecursionError, MemoryError) as err:
        print(f"jsonparse.py: {_reason(err)}", file=sys.stderr)
        return 1
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
