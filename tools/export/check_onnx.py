"""The Python half of tools/export/check.sh: test images for ONNX exports, and the exports checked
against `dml embed` in onnxruntime. Needs only onnx, onnxruntime and numpy (never PyTorch).

  check_onnx.py images MODEL.onnx...
      For each model, MODEL.onnx.images/ with IMAGE_COUNT PNG images at the model's input size H x W
      (seeded: uniform noise, black, white, a gradient and a checkerboard) and pixels.npy, their uint8
      pixels [n, H, W, 3] in file-name order.

  check_onnx.py compare MODEL.onnx EMBEDDINGS.safetensors [MODEL.onnx EMBEDDINGS.safetensors]...
      For each model: onnx.checker's full check; the input `images` [N, 3, H, W] float32 with N dynamic,
      the output `embeddings` [N, d]; the metadata props; then onnxruntime (CPU) on the images as the
      tensor pixel / 255 (exactly what `dml embed --images --preprocessed` sees), in batches of sizes
      BATCH_SIZES and all at once, each row within TOLERANCE of dml's row (norm-relative; dml's rows
      L2-normalised when the export is, as --normalize makes it of a model without). As a control
      the same images in BGR order must miss by more than the tolerance, so the comparison can fail.
"""
import json
import os
import struct
import sys
import zlib

import numpy as np
import onnx
import onnxruntime

IMAGE_COUNT = 12
BATCH_SIZES = [1, 2, 4, 5]  # 12 rows in four batches of different sizes, then one batch of 12
# Issue 15 asks for 1e-4; measured errors are 3.8e-7 to 7.3e-7, while a batch-norm epsilon of 1e-4 instead
# of 1e-5 moves ResNet-18's rows by 9.1e-5 and a LayerNorm epsilon of 1e-3 by 1.0e-3 (docs/export.md), so
# 1e-5 is the bound that still catches such a bug with 14x headroom over float32 rounding.
TOLERANCE = 1e-5
REQUIRED_PROPS = ["package_version", "architecture", "embedding_size", "resize", "crop", "mean", "std"]


def write_png(path, pixels):
    """An 8-bit RGB PNG of pixels [H, W, 3] uint8 (filter 0 on every row)."""
    height, width, _ = pixels.shape
    rows = b"".join(b"\x00" + pixels[y].tobytes() for y in range(height))

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def input_size(model):
    dims = model.graph.input[0].type.tensor_type.shape.dim
    return dims[2].dim_value, dims[3].dim_value


def test_pixels(height, width, seed):
    rng = np.random.default_rng(seed)
    images = [rng.integers(0, 256, (height, width, 3), dtype=np.uint8) for _ in range(IMAGE_COUNT - 4)]
    images.append(np.zeros((height, width, 3), np.uint8))
    images.append(np.full((height, width, 3), 255, np.uint8))
    ramp = np.linspace(0, 255, width).astype(np.uint8)
    images.append(np.stack([np.tile(ramp, (height, 1)), np.tile(ramp[::-1], (height, 1)),
                            np.full((height, width), 128, np.uint8)], axis=-1))
    checker = ((np.arange(height)[:, None] // 4 + np.arange(width)[None, :] // 4) % 2 * 255).astype(np.uint8)
    images.append(np.stack([checker] * 3, axis=-1))
    return np.stack(images)


def make_images(models):
    for index, path in enumerate(models):
        height, width = input_size(onnx.load(path, load_external_data=False))
        folder = path + ".images"
        os.makedirs(folder, exist_ok=True)
        pixels = test_pixels(height, width, seed=1000 + index)
        for i, image in enumerate(pixels):
            write_png(os.path.join(folder, f"image_{i:02d}.png"), image)
        np.save(os.path.join(folder, "pixels.npy"), pixels)


def read_embeddings(path):
    """dml's embeddings file: the F32 tensor `embeddings` and the JSON list of paths in the metadata."""
    with open(path, "rb") as f:
        length = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(length))
        data = f.read()
    info = header["embeddings"]
    if info["dtype"] != "F32":
        raise SystemExit(f"{path}: embeddings are {info['dtype']}, expected F32")
    start, end = info["data_offsets"]
    values = np.frombuffer(data[start:end], "<f4").reshape(info["shape"])
    return values, json.loads(header["__metadata__"]["paths"])


def row_errors(got, expected):
    return np.linalg.norm(got.astype(np.float64) - expected, axis=1) / np.linalg.norm(expected, axis=1)


def check_model(path, embeddings_path):
    """Problems found (empty when the export is right) and a one-line summary."""
    problems = []
    onnx.checker.check_model(path, full_check=True)
    model = onnx.load(path)
    props = {p.key: p.value for p in model.metadata_props}
    problems += [f"metadata prop '{key}' missing" for key in REQUIRED_PROPS if key not in props]
    inputs, outputs = model.graph.input, model.graph.output
    if [i.name for i in inputs] != ["images"] or [o.name for o in outputs] != ["embeddings"]:
        problems.append(f"graph inputs {[i.name for i in inputs]} / outputs {[o.name for o in outputs]}, "
                        "expected ['images'] / ['embeddings']")
    batch = inputs[0].type.tensor_type.shape.dim[0]
    if not batch.dim_param or batch.dim_value:
        problems.append("the batch dimension of 'images' is not dynamic")
    opset = model.opset_import[0].version
    del model

    pixels = np.load(path + ".images/pixels.npy")
    x = pixels.transpose(0, 3, 1, 2).astype(np.float32) / np.float32(255)
    expected, paths = read_embeddings(embeddings_path)
    names = [os.path.basename(p) for p in paths]
    if names != [f"image_{i:02d}.png" for i in range(len(x))]:
        problems.append(f"{embeddings_path}: paths {names} are not the {len(x)} test images in order")
        return problems, ""
    expected = expected.astype(np.float64)
    if props.get("l2_normalize") == "true":
        # --normalize adds what dml embed of a model without L2 normalisation leaves out (no-op otherwise).
        expected /= np.maximum(np.linalg.norm(expected, axis=1, keepdims=True), 1e-12)

    session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
    starts = np.cumsum([0] + BATCH_SIZES[:-1])
    batches = list(zip(starts, BATCH_SIZES)) + [(0, len(x))]
    worst, wrong = 0.0, []
    for start, size in batches:
        errors = row_errors(session.run(["embeddings"], {"images": x[start:start + size]})[0],
                            expected[start:start + size])
        worst = max(worst, float(errors.max()))
        wrong += [f"image {start + row} in a batch of {size}: {errors[row]:.3g}" for row in np.nonzero(errors > TOLERANCE)[0]]
    if wrong:
        problems.append(f"{len(wrong)} rows differ from dml embed by more than {TOLERANCE} (norm-relative): "
                        + "; ".join(wrong[:4]) + ("; …" if len(wrong) > 4 else ""))
    control = row_errors(session.run(["embeddings"], {"images": x[:, ::-1].copy()})[0], expected)
    if control.max() <= TOLERANCE:
        problems.append(f"control: BGR input matches within {control.max():.3g}, the comparison cannot fail")
    summary = (f"{os.path.basename(path)}: opset {opset}, {props.get('architecture')}, d={expected.shape[1]}, "
               f"batches {[size for _, size in batches]}: worst row error {worst:.2e} (tolerance {TOLERANCE:g}); BGR control "
               f"{control.min():.2e}..{control.max():.2e}")
    return problems, summary


def compare(arguments):
    if len(arguments) % 2:
        raise SystemExit("compare takes MODEL.onnx EMBEDDINGS.safetensors pairs")
    failures = 0
    for path, embeddings_path in zip(arguments[::2], arguments[1::2]):
        problems, summary = check_model(path, embeddings_path)
        print(("FAIL " if problems else "ok   ") + (summary or path), flush=True)
        for problem in problems:
            print(f"     {path}: {problem}", flush=True)
        failures += bool(problems)
    print(f"onnx {onnx.__version__}, onnxruntime {onnxruntime.__version__}, numpy {np.__version__}: "
          f"{len(arguments) // 2 - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "images":
        make_images(sys.argv[2:])
    elif len(sys.argv) >= 4 and sys.argv[1] == "compare":
        sys.exit(compare(sys.argv[2:]))
    else:
        raise SystemExit(__doc__)
