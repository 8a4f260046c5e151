from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from thumbnails import ARTICLE_FORMATS, FileError, Settings, resize_file, resize_folder

BOX = Settings(width=160, height=120, quality=85)


def test_folder_yields_each_file(folder: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    out = resize_folder(folder, out_dir, 3, BOX)
    assert out.total == 10
    errors = {e["file"]: e["error"] for e in out.errors}
    assert {name: msg.split(":")[0] for name, msg in errors.items()} == {
        "truncated.jpg": "corrupt",
        "text.jpg": "corrupt",
        "empty.jpg": "corrupt",
        "image.webp": "unsupported",
        "bomb.jpg": "too-large",
    }
    sizes = {}
    for p in out_dir.iterdir():
        with Image.open(p) as im:
            sizes[p.name] = im.size
    assert sizes == {
        "wide.jpg": (160, 90),
        "rotated.jpg": (67, 120),  # 180x320 upright: 67.5 rounds down, as Pillow's thumbnail does
        "alpha.png": (160, 80),
        "UPPER.JPEG": (100, 100),  # fits the box: never enlarged
        "Ünï cödé.jpg": (90, 60),
    }
    assert out.succeeded == 5
    assert out.output_bytes == sum(p.stat().st_size for p in out_dir.iterdir())
    assert out.decoded_pixels == 320 * 180 * 2 + 200 * 100 + 100 * 100 + 90 * 60
    assert out.seconds > 0


def test_alpha_is_dropped_not_composited(folder: Path, tmp_path: Path) -> None:
    dst = tmp_path / "alpha.png"
    resize_file(folder / "alpha.png", dst, BOX)
    with Image.open(dst) as im:
        assert im.mode == "RGB"
        # Fully transparent in the input, yet its colours are kept (not black).
        assert max(im.getextrema()[0]) > 100


def test_rotated_output_is_upright(folder: Path, tmp_path: Path) -> None:
    dst = tmp_path / "rotated.jpg"
    resize_file(folder / "rotated.jpg", dst, BOX)
    with Image.open(dst) as im:
        assert im.size == (67, 120)
        assert im.getexif().get(0x0112) is None, "no orientation tag left to apply twice"


def test_output_is_baseline_420(folder: Path, tmp_path: Path) -> None:
    dst = tmp_path / "wide.jpg"
    resize_file(folder / "wide.jpg", dst, BOX)
    with Image.open(dst) as im:
        assert im.format == "JPEG"
        assert not im.info.get("progressive")
        assert im.layers == 3
        assert [f[1:3] for f in im.layer] == [(2, 2), (1, 1), (1, 1)]  # 4:2:0


def test_article_settings_take_webp(folder: Path, tmp_path: Path) -> None:
    article = Settings(160, 120, 85, 2.0, dict(ARTICLE_FORMATS))
    with pytest.raises(FileError, match=r"^corrupt: "):
        resize_file(folder / "image.webp", tmp_path / "image.webp", article)
    with pytest.raises(FileError, match=r"^unsupported: "):
        resize_file(folder / "image.webp", tmp_path / "image.webp", BOX)


@pytest.mark.parametrize(("name", "message"), [("missing", "No such file"), ("", "holds no files")])
def test_unusable_input_folder(tmp_path: Path, name: str, message: str) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(OSError, match=message):
        resize_folder(empty / name, tmp_path / "out", 1, BOX)


def test_output_cannot_be_the_input(folder: Path) -> None:
    with pytest.raises(OSError, match="is the input folder"):
        resize_folder(folder, folder, 1, BOX)
