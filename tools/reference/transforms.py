"""Reference decodes and transforms for Sources/MLData/Images (DESIGN §3).

Run from the repository root: TORCH_PYTHON tools/reference/transforms.py (docs/DESIGN.md §1)

1. Writes small test images to Tests/Fixtures/images/ (generated here with PIL, numpy and, for the YCCK
   JPEG, TurboJPEG through ctypes): JPEG RGB 4:2:0, 4:4:4, progressive and with junk between markers, grey, Adobe CMYK, YCCK; PNG palette with
   tRNS, 1-bit grey, RGBA, LA, 16-bit RGB, 16-bit grey, 16-bit grey+alpha.
2. Writes Tests/Fixtures/image_decode.json: each image through Image.open(path).convert("RGB").
3. Writes Tests/Fixtures/image_transforms.json: torchvision 0.14's PIL-path transforms applied with FIXED
   parameters (explicit sizes, crop boxes, jitter factors and orders) to decoded test images and to a
   64×64 image of 4,096 colours (r, g, b = 17·(i % 16), 17·(i // 16 % 16), 17·(i // 256)).
4. Writes Tests/Fixtures/image_tensor.json: ToTensor and Normalize(ImageNet) of rgb.jpg (float64 fixture).
5. Writes Tests/Fixtures/random_resized_crop.json: RandomResizedCrop.get_params (torchvision's own code)
   with torch's random draws replaced by seeded uniform draws u in [0, 1): uniform_(a, b) -> float32(a +
   (b - a) u), randint(0, n) -> floor(u n); rows (top, left, height, width, draws used) per case.

Pixel outputs are stored compactly as base64 uint8 ({"width", "height", "rgb"}), not as float64 tensors.
"""
import base64
import ctypes
import json
import os
import struct
import sys
import zlib

import numpy as np
import PIL
import torch
import torchvision
from PIL import Image
from torchvision.transforms import functional as F

sys.path.insert(0, os.path.dirname(__file__))
from fixture_io import write_fixture  # noqa: E402
from seeded import Seeded  # noqa: E402

IMAGES = "Tests/Fixtures/images"
W, H = 40, 30


def pattern(seed, channels, levels=256):
    """Smooth colour gradients with seeded noise: compresses to a few KB, exercises every code path."""
    y, x = np.mgrid[0:H, 0:W].astype(np.float64)
    noise = Seeded(seed).array((H, W, channels), scale=0.15)
    planes = []
    for c in range(channels):
        base = 0.5 + 0.35 * np.sin(x / (5.0 + 2 * c) + c) * np.cos(y / (4.0 + c) - c)
        planes.append(np.clip(base + noise[:, :, c], 0, 1))
    return np.round(np.stack(planes, axis=2) * (levels - 1))


def png_chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def write_png16(path, samples, color_type):
    """A 16-bit PNG from uint16 samples (H, W, channels); PIL cannot write 16-bit colour PNGs."""
    h, w, _ = samples.shape
    raw = b"".join(b"\x00" + samples[r].astype(">u2").tobytes() for r in range(h))
    header = struct.pack(">IIBBBBB", w, h, 16, color_type, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", zlib.compress(raw, 9))
    with open(path, "wb") as f:
        f.write(data + png_chunk(b"IEND", b""))


def write_ycck_jpeg(path, cmyk):
    """TurboJPEG's tjCompress2 stores CMYK pixels as YCCK (the Photoshop kind found in CUB and SOP)."""
    tj = ctypes.CDLL("libturbojpeg.so.0")
    tj.tjInitCompress.restype = ctypes.c_void_p
    handle = tj.tjInitCompress()
    buf = ctypes.POINTER(ctypes.c_ubyte)()
    size = ctypes.c_ulong(0)
    pixels = np.ascontiguousarray(cmyk, dtype=np.uint8)
    tjpf_cmyk, tjsamp_420 = 11, 2
    status = tj.tjCompress2(ctypes.c_void_p(handle), pixels.ctypes.data_as(ctypes.c_void_p), W, 0, H, tjpf_cmyk,
                            ctypes.byref(buf), ctypes.byref(size), tjsamp_420, 90, 0)
    assert status == 0, "tjCompress2 failed"
    with open(path, "wb") as f:
        f.write(ctypes.string_at(buf, size.value))
    tj.tjFree(buf)
    tj.tjDestroy(ctypes.c_void_p(handle))


def make_images():
    os.makedirs(IMAGES, exist_ok=True)
    rgb = Image.fromarray(pattern(1, 3).astype(np.uint8), "RGB")
    rgb.save(f"{IMAGES}/rgb.jpg", quality=90)
    rgb.save(f"{IMAGES}/rgb444.jpg", quality=90, subsampling=0)
    rgb.save(f"{IMAGES}/progressive.jpg", quality=80, progressive=True)
    # Junk after the APP0 segment: libjpeg warns ("extraneous bytes before marker"), Pillow loads it anyway.
    with open(f"{IMAGES}/rgb.jpg", "rb") as f:
        data = f.read()
    end_of_app0 = 4 + struct.unpack(">H", data[4:6])[0]
    with open(f"{IMAGES}/extraneous.jpg", "wb") as f:
        f.write(data[:end_of_app0] + b"\x12\x34\x56" + data[end_of_app0:])
    Image.fromarray(pattern(2, 1)[:, :, 0].astype(np.uint8), "L").save(f"{IMAGES}/gray.jpg", quality=90)
    cmyk = pattern(3, 4).astype(np.uint8)
    cmyk[:, :, 3] //= 2  # keep K moderate so colours survive
    Image.fromarray(cmyk, "CMYK").save(f"{IMAGES}/cmyk.jpg", quality=90)  # Adobe marker, inverted
    write_ycck_jpeg(f"{IMAGES}/ycck.jpg", cmyk)
    palette = Image.fromarray(pattern(4, 3).astype(np.uint8), "RGB").quantize(colors=37)
    palette.info["transparency"] = 3
    palette.save(f"{IMAGES}/palette.png", transparency=3)
    Image.fromarray(pattern(5, 1)[:, :, 0] > 127).save(f"{IMAGES}/bilevel.png")
    Image.fromarray(pattern(6, 4).astype(np.uint8), "RGBA").save(f"{IMAGES}/rgba.png")
    Image.fromarray(pattern(7, 2).astype(np.uint8), "LA").save(f"{IMAGES}/la.png")
    write_png16(f"{IMAGES}/rgb16.png", pattern(8, 3, levels=65536), 2)
    # Grey 16-bit: mostly small values so Pillow's clip to 0…255 (mode "I") shows at both ends.
    write_png16(f"{IMAGES}/gray16.png", pattern(9, 1, levels=600), 0)
    write_png16(f"{IMAGES}/gray16alpha.png", pattern(10, 2, levels=65536), 4)


def image_entry(image):
    image = image.convert("RGB") if image.mode != "RGB" else image
    data = np.asarray(image, dtype=np.uint8)
    return {"width": image.width, "height": image.height, "rgb": base64.b64encode(data.tobytes()).decode("ascii")}


def meta():
    return {"pillow": PIL.__version__, "torchvision": torchvision.__version__, "torch": torch.__version__,
            "script": "tools/reference/transforms.py"}


def write(path, images, extra=None):
    body = {"meta": {**meta(), **(extra or {})}, "images": images}
    with open(path, "w") as f:
        json.dump(body, f, separators=(",", ":"), sort_keys=True)


def decode_fixtures():
    images = {}
    modes = {}
    for name in sorted(os.listdir(IMAGES)):
        with Image.open(f"{IMAGES}/{name}") as im:
            modes[name] = im.mode
            images[name] = image_entry(im.convert("RGB"))
    write("Tests/Fixtures/image_decode.json", images, {"modes": modes})


def colour_grid():
    i = np.arange(64 * 64)
    rgb = np.stack([17 * (i % 16), 17 * (i // 16 % 16), 17 * (i // 256)], axis=1).astype(np.uint8)
    return Image.fromarray(rgb.reshape(64, 64, 3), "RGB")


def jitter(img, steps):
    """steps: [(name, factor)] applied in order with torchvision's functional PIL adjustments."""
    for name, factor in steps:
        img = getattr(F, f"adjust_{name}")(img, factor)
    return img


def transform_fixtures():
    rgb = Image.open(f"{IMAGES}/rgb.jpg").convert("RGB")
    cmyk = Image.open(f"{IMAGES}/cmyk.jpg").convert("RGB")
    grid = colour_grid()
    bilinear = F.InterpolationMode.BILINEAR
    out = {
        # Resize: int = shorter side (both directions), exact sizes, one axis only.
        "resize_short_17": F.resize(rgb, 17, bilinear),
        "resize_short_64": F.resize(rgb, 64, bilinear),
        "resize_13x29": F.resize(rgb, [13, 29], bilinear),
        "resize_20x40": F.resize(rgb, [20, 40], bilinear),
        "resize_30x25": F.resize(rgb, [30, 25], bilinear),
        "resize_cmyk_7x11": F.resize(cmyk, [7, 11], bilinear),
        "resize_grid_short_23": F.resize(grid, 23, bilinear),
        # CenterCrop: odd margins (round half to even), larger than the image (padding), mixed.
        "center_15x20": F.center_crop(rgb, [15, 20]),
        "center_17x21": F.center_crop(rgb, [17, 21]),
        "center_44x50": F.center_crop(rgb, [44, 50]),
        "center_33x31": F.center_crop(rgb, [33, 31]),
        # resized_crop (RandomResizedCrop's crop then resize) with explicit boxes.
        "resized_crop_3_5_21x17_to_24": F.resized_crop(rgb, 3, 5, 21, 17, [24, 24], bilinear),
        "resized_crop_0_0_30x40_to_11x9": F.resized_crop(rgb, 0, 0, 30, 40, [11, 9], bilinear),
        "resized_crop_grid_10_7_40x33_to_32": F.resized_crop(grid, 10, 7, 40, 33, [32, 32], bilinear),
        "hflip": F.hflip(rgb),
        # ColorJitter's four adjustments, alone and in torchvision's random orders with fixed factors.
        "brightness_0.75": F.adjust_brightness(rgb, 0.75),
        "brightness_1.25": F.adjust_brightness(rgb, 1.25),
        "contrast_0.8": F.adjust_contrast(rgb, 0.8),
        "contrast_1.3": F.adjust_contrast(rgb, 1.3),
        "saturation_0.7": F.adjust_saturation(rgb, 0.7),
        "saturation_1.25": F.adjust_saturation(rgb, 1.25),
        "grid_saturation_1.3": F.adjust_saturation(grid, 1.3),
        "grid_contrast_0.7": F.adjust_contrast(grid, 0.7),
        "grid_hue_0.1": F.adjust_hue(grid, 0.1),
        "grid_hue_-0.1": F.adjust_hue(grid, -0.1),
        "grid_hue_0.5": F.adjust_hue(grid, 0.5),
        "grid_hue_-0.37": F.adjust_hue(grid, -0.37),
        "jitter_cub": jitter(rgb, [("saturation", 1.2), ("brightness", 0.8), ("contrast", 1.1)]),
        "jitter_cars": jitter(rgb, [("hue", -0.06), ("contrast", 0.75), ("saturation", 1.3), ("brightness", 1.05)]),
    }
    # A CUB-like chain with fixed parameters: Resize(24) -> jitter -> resized_crop -> hflip.
    chain = F.resize(rgb, 24, bilinear)
    chain = jitter(chain, [("contrast", 0.9), ("saturation", 1.2), ("brightness", 1.1)])
    out["chain_cub"] = F.hflip(F.resized_crop(chain, 2, 4, 18, 20, [16, 16], bilinear))
    inputs = {"grid": grid}
    write("Tests/Fixtures/image_transforms.json", {k: image_entry(v) for k, v in {**out, **inputs}.items()})

    tensor = F.to_tensor(rgb)
    normalized = F.normalize(tensor, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225])
    write_fixture("Tests/Fixtures/image_tensor.json",
                  {"to_tensor": tensor.double().numpy(), "normalized": normalized.double().numpy()}, meta())


class _Draws:
    """Stands in for torch's RNG inside RandomResizedCrop.get_params with seeded uniform draws."""

    def __init__(self, seed):
        self.seeded = Seeded(seed)
        self.used = 0

    def unit(self):
        self.used += 1
        return float(self.seeded.unit(1)[0])

    def empty(self, *size, **kwargs):
        draws = self

        class Uniform:
            def uniform_(self, a, b):
                return torch.tensor(float(a) + (float(b) - float(a)) * draws.unit(), dtype=torch.float32)

        return Uniform()

    def randint(self, low, high, size=None, **kwargs):
        return torch.tensor([low + int(np.floor(self.unit() * (high - low)))])


def crop_box_fixtures():
    cases = [  # image height, width, scale, ratio, seeds
        (375, 500, (0.16, 1.0), (3 / 4, 4 / 3), range(1, 41)),
        (256, 341, (0.16, 1.0), (3 / 4, 4 / 3), range(41, 61)),
        (256, 256, (0.16, 1.0), (1.0, 1.0), range(61, 81)),
        (32, 32, (0.5, 1.0), (3 / 4, 4 / 3), range(81, 101)),
        (10, 200, (0.9, 1.0), (3 / 4, 4 / 3), range(101, 104)),  # always fails: fallback, too wide
        (200, 10, (0.9, 1.0), (3 / 4, 4 / 3), range(104, 107)),  # fallback, too tall
        (30, 40, (2.0, 3.0), (0.5, 2.0), range(107, 110)),  # fallback inside the ratio range
    ]
    rows, meta_cases = [], []
    real_empty, real_randint = torch.empty, torch.randint
    for height, width, scale, ratio, seeds in cases:
        img = Image.new("RGB", (width, height))
        for seed in seeds:
            draws = _Draws(seed)
            torch.empty, torch.randint = draws.empty, draws.randint
            try:
                i, j, h, w = torchvision.transforms.RandomResizedCrop.get_params(img, list(scale), list(ratio))
            finally:
                torch.empty, torch.randint = real_empty, real_randint
            rows.append([i, j, h, w, draws.used])
            meta_cases.append({"height": height, "width": width, "scale": list(scale), "ratio": list(ratio),
                               "seed": seed})
    write_fixture("Tests/Fixtures/random_resized_crop.json", {"boxes": np.array(rows, dtype=np.float64)},
                  {**meta(), "cases": meta_cases, "columns": ["top", "left", "height", "width", "draws"]})


if __name__ == "__main__":
    make_images()
    decode_fixtures()
    transform_fixtures()
    crop_box_fixtures()
