"""Writes the fixtures of lanczos_test.go with Pillow (run from this folder with the py313
venv's python): a 203x117 RGB input, and Pillow's Image.resize(size, LANCZOS) of it to
each size the test checks, as lossless PNGs."""

from PIL import Image

W, H = 203, 117
SIZES = [(80, 46), (17, 117), (203, 40), (1, 1), (150, 90)]


def source() -> Image.Image:
    im = Image.new("RGB", (W, H))
    px = im.load()
    for y in range(H):
        for x in range(W):
            # Gradients, a sharp edge and a deterministic speckle.
            r = (x * 255) // (W - 1)
            g = 255 if (x // 7 + y // 5) % 2 else 30
            b = ((x * 31 + y * 17) * 2654435761 >> 8) & 0xFF
            px[x, y] = (r, g, b)
    return im


if __name__ == "__main__":
    src = source()
    src.save("source.png")
    for w, h in SIZES:
        src.resize((w, h), Image.Resampling.LANCZOS).save(f"pillow-{w}x{h}.png")
