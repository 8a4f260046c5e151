"""tribench's Python contender of the image workload (Pillow, a ThreadPoolExecutor).

    resize.py resize --in DIR --out DIR --workers N --width W --height H --quality Q [--article]

Prints one JSON line on stdout. --article is the article's configuration: Pillow's
default reducing_gap (draft() decoding on large inputs) and its extension list
(.webp too). A bad argument is one line on stderr and exit 2; a folder it cannot
use, one line and exit 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import IO, Any, NoReturn

from runtimeinfo import runtime_name
from thumbnails import ARTICLE_FORMATS, Settings, resize_folder


class UsageError(Exception):
    """A bad command line: one line on stderr, exit 2."""


class QuietParser(argparse.ArgumentParser):
    """An ArgumentParser that reports a mistake in one line instead of its usage text."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


def _parser() -> argparse.ArgumentParser:
    parser = QuietParser(prog="resize.py", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    resize = commands.add_parser("resize", help="thumbnail a folder")
    resize.add_argument("--in", dest="src", required=True)
    resize.add_argument("--out", required=True)
    for name in ("workers", "width", "height", "quality"):
        resize.add_argument(f"--{name}", type=int, required=True)
    resize.add_argument("--article", action="store_true")
    return parser


def run(argv: list[str]) -> dict[str, Any]:
    """Run the command line and return the result line; UsageError on bad input."""
    args = _parser().parse_args(argv)
    if not 1 <= args.workers <= 1024:
        raise UsageError(f"resize.py: --workers {args.workers} is not in 1..1024")
    if not (1 <= args.width <= 65535 and 1 <= args.height <= 65535):
        raise UsageError("resize.py: --width and --height must be in 1..65535")
    if not 1 <= args.quality <= 100:
        raise UsageError(f"resize.py: --quality {args.quality} is not in 1..100")
    settings = Settings(args.width, args.height, args.quality)
    if args.article:
        settings = Settings(args.width, args.height, args.quality, 2.0, dict(ARTICLE_FORMATS))
    out = resize_folder(Path(args.src), Path(args.out), args.workers, settings)
    return {
        "runtime": runtime_name(),
        "workers": args.workers,
        "total": out.total,
        "succeeded": out.succeeded,
        "failed": len(out.errors),
        "seconds": out.seconds,
        "output_bytes": out.output_bytes,
        "decoded_pixels": out.decoded_pixels,
        "errors": out.errors,
    }


def main(argv: list[str], stdout: IO[str], stderr: IO[str]) -> int:
    """The process: the result line on stdout, or one line on stderr and an exit code."""
    try:
        line = run(argv)
    except UsageError as e:
        print(e, file=stderr)
        return 2
    except OSError as e:
        print(f"resize.py: {e}", file=stderr)
        return 1
    print(json.dumps(line, ensure_ascii=False), file=stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], sys.stdout, sys.stderr))
