"""PIL + torchvision side of `dml bench data` (DESIGN §6): decode + the CUB train transform per image.

    TORCH_PYTHON tools/reference/bench_data.py DIR [--workers N]
        prints {"images", "workers", "images_per_second", "cpu_seconds_per_image", "failed",
                "pillow", "torchvision"} as JSON. Files: every non-hidden regular file under DIR, recursively,
        in sorted order (as the Swift side lists them). CPU seconds: with one worker, this process's
        (getrusage) over the timed loop; with N > 1, the pool is started before the timed window and the
        workers' CPU time per image (process_time) is added to this process's. One torch thread per process.
    TORCH_PYTHON tools/reference/bench_data.py DIR --generate N
        writes N synthetic 500×375 JPEGs (quality 85, 4:2:0; smooth shapes, texture and noise) to DIR.
"""
import argparse
import json
import os
import resource
import sys
import time
from multiprocessing import Pool

import numpy as np


def list_files(directory):
    found = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [os.path.join(root, f) for f in files if not f.startswith(".")]
    return sorted(found)


def generate(directory, count):
    from PIL import Image

    os.makedirs(directory, exist_ok=True)
    rng = np.random.default_rng(0)
    y, x = np.mgrid[0:375, 0:500].astype(np.float32)
    for n in range(count):
        planes = []
        for _ in range(3):
            value = np.full((375, 500), rng.uniform(60, 190), dtype=np.float32)
            for _ in range(6):
                fx, fy, phase = rng.uniform(0.005, 0.08), rng.uniform(0.005, 0.08), rng.uniform(0, 6.3)
                value += rng.uniform(10, 40) * np.sin(fx * x + fy * y + phase)
            cx, cy, r = rng.uniform(0, 500), rng.uniform(0, 375), rng.uniform(30, 150)
            value += rng.uniform(-60, 60) * (((x - cx) ** 2 + (y - cy) ** 2) < r * r)
            planes.append(value + rng.normal(0, 6, size=value.shape))
        pixels = np.clip(np.stack(planes, axis=2), 0, 255).astype(np.uint8)
        Image.fromarray(pixels, "RGB").save(os.path.join(directory, f"bench_{n:04d}.jpg"), quality=85)


_transform = None


def _init():
    global _transform
    import torch
    from torchvision import transforms as T

    torch.set_num_threads(1)
    _transform = T.Compose([
        T.Resize(256),
        T.ColorJitter(0.25, 0.25, 0.25, 0),
        T.RandomResizedCrop(224, scale=(0.16, 1), ratio=(3 / 4, 4 / 3)),
        T.RandomHorizontalFlip(),
        T.ToTensor(),
    ])


def _process(path):
    """Decodes and transforms one file; returns (the path if it failed, else None, CPU seconds taken)."""
    from PIL import Image

    start = time.process_time()
    try:
        with Image.open(path) as image:
            _transform(image.convert("RGB"))
        failed = None
    except Exception:  # noqa: BLE001 - a failing file is reported, the rest still measured
        failed = path
    return failed, time.process_time() - start


def _ready(_):
    return os.getpid()


def cpu_seconds():
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def bench(directory, workers):
    import PIL
    import torchvision

    files = list_files(directory)
    _init()
    pool = None
    if workers > 1:
        # The pool starts (and its workers import torch) before the timed window; each worker then reports
        # the CPU time of its own images, which are added to this process's time in the window.
        pool = Pool(workers, initializer=_init)
        for _ in range(20):  # until every worker has answered (it has imported torch)
            if len(set(pool.map(_ready, range(8 * workers), chunksize=1))) == workers:
                break
    cpu0, wall0 = cpu_seconds(), time.perf_counter()
    if pool is None:
        results = list(map(_process, files))
    else:
        results = pool.map(_process, files, chunksize=8)
    wall, cpu = time.perf_counter() - wall0, cpu_seconds() - cpu0
    if pool is not None:
        cpu += sum(seconds for _, seconds in results)
        pool.close()
        pool.join()
    failed = [path for path, _ in results if path is not None]
    done = len(files) - len(failed)
    return {"images": done, "workers": workers, "images_per_second": done / wall if wall > 0 else 0,
            "cpu_seconds_per_image": cpu / done if done else 0, "failed": failed,
            "pillow": PIL.__version__, "torchvision": torchvision.__version__}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("directory")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--generate", type=int, default=0, help="write this many synthetic JPEGs to DIR")
    args = parser.parse_args()
    if args.generate:
        generate(args.directory, args.generate)
        return
    json.dump(bench(args.directory, args.workers), sys.stdout)
    print()


if __name__ == "__main__":
    main()
