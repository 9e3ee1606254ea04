"""Reference decodes and transforms for Sources/MetricLearning/Data (DESIGN §3).

Run from the repo root: /usr/bin/python3 tools/reference/transforms.py

1. Writes small test images to Tests/Fixtures/images/ (generated here with PIL, numpy and, for the YCCK
   JPEG, TurboJPEG through ctypes): JPEG RGB 4:2:0, 4:4:4 and progressive, grey, Adobe CMYK, YCCK; PNG palette with
   tRNS, 1-bit grey, RGBA, LA, 16-bit RGB, 16-bit grey, 16-bit grey+alpha.
2. Writes Tests/Fixtures/image_decode.json: each image through Image.open(path).convert("RGB").
3. Writes Tests/Fixtures/image_transforms.json: torchvision 0.14's PIL-path transforms applied with FIXED
   parameters (explicit sizes, crop boxes, jitter factors and orders) to decoded test images.

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


if __name__ == "__main__":
    make_images()
    decode_fixtures()
