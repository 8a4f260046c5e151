"""The canonical resize on Pillow: one file at a time, and a folder on a thread pool.

Every .jpg, .jpeg and .png file (extension case-insensitive) is refused when it
declares more than Pillow's Image.MAX_IMAGE_PIXELS (its DecompressionBombWarning
is made an error), decoded at full size (thumbnail's reducing_gap=None: no
draft(), which would let libjpeg decode at 1/2, 1/4 or 1/8), turned upright by
its EXIF orientation, converted to RGB when it is not (alpha dropped, colours
kept), shrunk with LANCZOS by Image.thumbnail and saved under the same name in
its own format, at the given quality with optimize=True (JPEG: baseline, 4:2:0).
"""

from __future__ import annotations

import os
import time
import warnings
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

# The canonical contract's formats, by extension; the article's script also took .webp.
FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG"}
ARTICLE_FORMATS = {**FORMATS, ".webp": "WEBP"}


class FileError(Exception):
    """One input's failure: its class (unsupported, corrupt, too-large, io) and why."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(f"{kind}: {reason}")


@dataclass(frozen=True)
class Settings:
    """How every file is resized."""

    width: int
    height: int
    quality: int
    # None decodes at full size; the article's default (2.0) lets Pillow use draft().
    reducing_gap: float | None = None
    formats: dict[str, str] = field(default_factory=lambda: dict(FORMATS))


def refuse_bombs() -> None:
    """Make Pillow's DecompressionBombWarning (past MAX_IMAGE_PIXELS) an error.

    Called once before the pool starts: the warnings filters are process-wide,
    and catch_warnings() is not thread-safe.
    """
    warnings.simplefilter("error", Image.DecompressionBombWarning)


def resize_file(src: Path, dst: Path, s: Settings) -> int:
    """Thumbnail src into dst; return the pixels decoded. Raises FileError."""
    fmt = s.formats.get(src.suffix.lower())
    if fmt is None:
        raise FileError("unsupported", f"extension {src.suffix!r} is not .jpg, .jpeg or .png")
    try:
        with Image.open(src) as opened:
            pixels = opened.width * opened.height
            opened.load()
            ImageOps.exif_transpose(opened, in_place=True)
            im: Image.Image = opened
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        raise FileError("too-large", str(e)) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as e:
        raise FileError("corrupt", str(e) or type(e).__name__) from None
    if im.mode != "RGB":
        im = im.convert("RGB")
    im.thumbnail((s.width, s.height), Image.Resampling.LANCZOS, reducing_gap=s.reducing_gap)
    try:
        im.save(dst, format=fmt, quality=s.quality, optimize=True)
    except OSError as e:
        raise FileError("io", str(e)) from None
    return pixels


@dataclass
class Outcome:
    """The folder's totals (the result line without the runtime)."""

    total: int = 0
    succeeded: int = 0
    output_bytes: int = 0
    decoded_pixels: int = 0
    seconds: float = 0.0
    errors: list[dict[str, str]] = field(default_factory=list)


def inputs(src_dir: Path, out_dir: Path) -> list[str]:
    """The folder's regular files, sorted, after checking both folders.

    Raises OSError (the input missing or empty, the output not writable or the
    input itself): the whole run cannot go on.
    """
    names = sorted(e.name for e in os.scandir(src_dir) if e.is_file())
    if not names:
        raise OSError(f"input folder {src_dir} holds no files")
    out_dir.mkdir(parents=True, exist_ok=True)
    if out_dir.resolve() == src_dir.resolve():
        raise OSError(f"output folder {out_dir} is the input folder")
    probe = out_dir / f".write-test-{os.getpid()}"
    probe.touch()
    probe.unlink()
    return names


def resize_folder(src_dir: Path, out_dir: Path, workers: int, s: Settings) -> Outcome:
    """Thumbnail every file of src_dir into out_dir on a pool of workers threads."""
    names = inputs(src_dir, out_dir)
    refuse_bombs()
    out = Outcome(total=len(names))

    def one(name: str) -> tuple[str, int, str | None]:
        dst = out_dir / name  # a bare name from the listing: never outside out_dir
        try:
            return name, resize_file(src_dir / name, dst, s), None
        except FileError as e:
            return name, 0, str(e)

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results: Iterable[tuple[str, int, str | None]] = list(pool.map(one, names))
    out.seconds = time.perf_counter() - start
    for name, pixels, error in results:
        if error is not None:
            out.errors.append({"file": name, "error": error})
            continue
        out.succeeded += 1
        out.decoded_pixels += pixels
        out.output_bytes += (out_dir / name).stat().st_size
    return out
