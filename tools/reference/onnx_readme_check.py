"""Checks the README's onnxruntime snippet: its preprocessing (the checkpoint's test transform rebuilt from
the metadata props with Pillow) and its run of the exported model must give `dml embed`'s embeddings of the
same image files (dml's full test transform, not --preprocessed) within 1e-5 (norm-relative per row).

  python tools/reference/onnx_readme_check.py MODEL.onnx EMBEDDINGS.safetensors IMAGE...

EMBEDDINGS is `dml embed --checkpoint CK --images DIR --out EMBEDDINGS` of a folder holding exactly the
IMAGE files (PNG: JPEG decoders differ), in path order. Needs onnxruntime, numpy and Pillow.
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "export"))
from check_onnx import read_embeddings, row_errors  # noqa: E402


def snippet(model_path, image_paths):
    # --- the README's snippet, as it stands there ---
    import json
    import numpy as np
    import onnxruntime
    from PIL import Image

    session = onnxruntime.InferenceSession(model_path, providers=["CPUExecutionProvider"])
    meta = session.get_modelmeta().custom_metadata_map      # resize, crop, mean, std, architecture, …

    def preprocess(path):  # the checkpoint's test transform (torchvision's Resize, CenterCrop), then ToTensor
        image = Image.open(path).convert("RGB")
        resize, crop = json.loads(meta["resize"]), json.loads(meta["crop"])
        if resize and "shorter_side" in resize:
            side, (w, h) = resize["shorter_side"], image.size
            image = image.resize((side, int(side * h / w)) if w <= h else (int(side * w / h), side), Image.BILINEAR)
        elif resize:
            image = image.resize((resize["width"], resize["height"]), Image.BILINEAR)
        if crop:
            (w, h), (cw, ch) = image.size, (crop["width"], crop["height"])
            left, top = round((w - cw) / 2), round((h - ch) / 2)
            image = image.crop((left, top, left + cw, top + ch))
        return np.asarray(image, np.float32).transpose(2, 0, 1) / 255

    images = np.stack([preprocess(path) for path in image_paths])     # [N, 3, H, W] in [0, 1]
    embeddings = session.run(["embeddings"], {"images": images})[0]   # [N, d]
    # --- end of the snippet ---
    return embeddings, meta


def main(model_path, embeddings_path, *image_paths):
    got, meta = snippet(model_path, image_paths)
    expected, paths = read_embeddings(embeddings_path)
    if [os.path.basename(p) for p in paths] != [os.path.basename(p) for p in image_paths]:
        raise SystemExit(f"{embeddings_path} holds {paths}, not the images given")
    errors = row_errors(got, expected.astype(np.float64))
    print(f"{meta['architecture']}, resize {meta['resize']}, crop {meta['crop']}: worst row error "
          f"{errors.max():.2e} over {len(errors)} images")
    return 0 if errors.max() <= 1e-5 else 1


if __name__ == "__main__":
    if len(sys.argv) < 4:
        raise SystemExit(__doc__)
    sys.exit(main(*sys.argv[1:]))
