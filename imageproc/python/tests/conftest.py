"""Small inputs made with Pillow for the contender's tests."""

from __future__ import annotations

import io
import random
import struct
from pathlib import Path

import pytest
from PIL import Image


def photo(width: int, height: int, seed: int = 1) -> Image.Image:
    """A deterministic RGB picture with gradients and noise."""
    rng = random.Random(seed)
    data = bytes(
        (x * 255 // width + rng.randrange(16)) % 256
        if c == 0
        else (y * 255 // height)
        if c == 1
        else rng.randrange(256)
        for y in range(height)
        for x in range(width)
        for c in range(3)
    )
    return Image.frombytes("RGB", (width, height), data)


def jpeg(im: Image.Image, **options: object) -> bytes:
    buf = io.BytesIO()
    im.save(buf, format="JPEG", quality=90, **options)
    return buf.getvalue()


def bomb(width: int, height: int) -> bytes:
    """A tiny JPEG whose frame header declares width x height."""
    data = bytearray(jpeg(Image.new("L", (16, 16))))
    sof = data.index(b"\xff\xc0")
    struct.pack_into(">HH", data, sof + 5, height, width)
    return bytes(data)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder of good and bad inputs (what each must yield: see test_thumbnails)."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "wide.jpg").write_bytes(jpeg(photo(320, 180)))
    exif = Image.Exif()
    exif[0x0112] = 6
    (src / "rotated.jpg").write_bytes(jpeg(photo(320, 180, 2), exif=exif.tobytes()))
    rgba = photo(200, 100, 3).convert("RGBA")
    rgba.putalpha(0)
    rgba.save(src / "alpha.png")
    (src / "UPPER.JPEG").write_bytes(jpeg(photo(100, 100, 4)))
    (src / "Ünï cödé.jpg").write_bytes(jpeg(photo(90, 60, 5)))
    (src / "truncated.jpg").write_bytes(jpeg(photo(320, 180, 6))[:2000])
    (src / "text.jpg").write_text("not an image\n")
    (src / "empty.jpg").write_bytes(b"")
    (src / "image.webp").write_bytes(b"RIFF\x1a\x00\x00\x00WEBPVP8 " + bytes(14))
    (src / "bomb.jpg").write_bytes(bomb(10000, 10000))
    return src
