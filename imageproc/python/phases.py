"""Time the canonical resize's three phases on Pillow: decode, resample, encode.

    python phases.py FILE... [--width 800] [--height 600] [--quality 85] [--repeat 1]

Every JPEG named goes through the steps of thumbnails.resize_file, each timed
on its own (time.perf_counter around it), the output encoded to memory rather
than written. Prints one JSON line: milliseconds per image of each phase and
their total. Run it pinned (taskset -c 0) next to the Go variant's
BenchmarkPhases to compare the split.
"""

from __future__ import annotations

import argparse
import io
import json
import time
from pathlib import Path

from PIL import Image, ImageOps


def main() -> None:
    """Parse the arguments, time every file's phases and print the line."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", type=Path, nargs="+")
    ap.add_argument("--width", type=int, default=800)
    ap.add_argument("--height", type=int, default=600)
    ap.add_argument("--quality", type=int, default=85)
    ap.add_argument("--repeat", type=int, default=1)
    a = ap.parse_args()
    files = [(f, f.read_bytes()) for f in a.files]
    decode = resample = encode = 0.0
    images = 0
    for _ in range(a.repeat):
        for _, data in files:
            t0 = time.perf_counter()
            with Image.open(io.BytesIO(data)) as im:
                im.load()
                ImageOps.exif_transpose(im, in_place=True)
                t1 = time.perf_counter()
                im.thumbnail((a.width, a.height), Image.Resampling.LANCZOS, reducing_gap=None)
                t2 = time.perf_counter()
                im.save(io.BytesIO(), format="JPEG", quality=a.quality, optimize=True)
                t3 = time.perf_counter()
            decode += t1 - t0
            resample += t2 - t1
            encode += t3 - t2
            images += 1
    ms = 1000.0 / images
    print(
        json.dumps(
            {
                "images": images,
                "decode_ms": round(decode * ms, 2),
                "resample_ms": round(resample * ms, 2),
                "encode_ms": round(encode * ms, 2),
                "total_ms": round((decode + resample + encode) * ms, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
