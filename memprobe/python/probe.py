"""tribench's Python contender of the runtime probes.

    probe.py probe --count N --shape dict|slots|dataclass|pydantic --method inside|outside
    probe.py cpu --tasks T --n N --workers W [--repeat R] [--pool threads|processes]
    probe.py tasks --count K [--model asyncio|threads]

Each prints one JSON line on stdout (outside: the ready marker first, then the
line once stdin closes). A bad argument is one line on stderr and exit 2; a
failure to run, one line and exit 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import IO, Any, NoReturn

import concurrency
import cpubound
import memory
from users import ShapeError


class UsageError(Exception):
    """A bad command line: one line on stderr, exit 2."""


class QuietParser(argparse.ArgumentParser):
    """An ArgumentParser that reports a mistake in one line instead of its usage text."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


def _parser() -> argparse.ArgumentParser:
    parser = QuietParser(prog="probe.py", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    probe = commands.add_parser("probe", help="memory per object")
    probe.add_argument("--count", type=int, required=True)
    probe.add_argument("--shape", required=True)
    probe.add_argument("--method", default="inside")

    cpu = commands.add_parser("cpu", help="CPU-bound tasks on a pool")
    cpu.add_argument("--tasks", type=int, required=True)
    cpu.add_argument("--n", type=int, required=True)
    cpu.add_argument("--workers", type=int, required=True)
    cpu.add_argument("--repeat", type=int, default=1)
    cpu.add_argument("--pool", default="threads")

    tasks = commands.add_parser("tasks", help="concurrent sleeping tasks")
    tasks.add_argument("--count", type=int, required=True)
    tasks.add_argument("--model", default="asyncio")
    return parser


def run(argv: list[str], stdin: IO[str], stdout: IO[str]) -> dict[str, Any]:
    """Run one command and return its result line; raise UsageError on bad input."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "probe":
            if args.method == "inside":
                return memory.measure_inside(args.shape, args.count)
            if args.method == "outside":
                return memory.hold_outside(args.shape, args.count, stdin, stdout)
            raise ValueError(f"unknown method {args.method!r} (known: inside, outside)")
        if args.command == "cpu":
            return cpubound.measure(args.tasks, args.n, args.workers, args.repeat, args.pool)
        return concurrency.measure(args.count, args.model)
    except (ValueError, ShapeError) as err:
        raise UsageError(f"probe.py {args.command}: {err}") from err


def main() -> int:
    """The command line: one JSON line, or one line of error on stderr."""
    try:
        result = run(sys.argv[1:], sys.stdin, sys.stdout)
    except UsageError as err:
        print(err, file=sys.stderr)
        return 2
    except (OSError, RuntimeError, MemoryError) as err:
        print(f"probe.py: {type(err).__name__}: {err}", file=sys.stderr)
        return 1
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
