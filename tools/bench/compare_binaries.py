#!/usr/bin/env python3
"""Times two builds of `dml` against each other, alternating them, and prints each benchmark's medians.

    python3 tools/bench/compare_binaries.py OLD_DML NEW_DML --images JPEG_DIR [--rounds 3]

Runs, per round, old then new: `bench model` (ResNet-50, batch 16, 224 px, 2 threads), `bench knn` (SOP
scale: 60,502 × 512, k 1000), `bench losses` (100 timed iterations each: a loss step takes about a millisecond, so 20 are noisy), `bench data` on the JPEG folder (e.g. 300 synthetic 500×375
JPEGs from `tools/reference/bench_data.py DIR --generate 300`) and `bench loader` (Fashion-MNIST, 1000
batches). Prints, per figure, the median of each side and new/old as a speed ratio (> 1: new faster),
so a change that must keep speed (e.g. the module split) can show every ratio ≥ 0.97. Build both with
`swift build -c release`; run on a quiet machine.
"""
import argparse
import json
import statistics
import subprocess

BENCHES = {
    "model": ["bench", "model", "--arch", "resnet50", "--batch", "16", "--size", "224", "--steps", "5",
              "--threads", "2", "--json"],
    "knn": ["bench", "knn", "--json"],
    "losses": ["bench", "losses", "--json", "--iterations", "100"],
    "loader": ["bench", "loader", "--batches", "1000", "--json"],
}


def figures(name, output):
    """(figure name, value, higher is better) of one benchmark's JSON output."""
    result = json.loads(output[output.index("{"):])
    if name == "model":
        return [("model train img/s", result["train_images_per_second"], True),
                ("model inference img/s", result["inference_images_per_second"], True)]
    if name == "knn":
        return [("knn search s", result["search_seconds"], False), ("knn metrics s", result["metrics_seconds"], False)]
    if name == "losses":
        return [(f"loss {entry['name']} ms", entry["ms"], False) for entry in result["losses"]]
    return [(f"{name} img/s", result["images_per_second"], True)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("--images", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    benches = dict(BENCHES, data=["bench", "data", "--images", args.images, "--json"])
    samples = {}
    env = {"OMP_WAIT_POLICY": "passive", "PATH": "/usr/bin:/bin"}
    for round_ in range(args.rounds):
        for name, arguments in benches.items():
            for side, binary in (("old", args.old), ("new", args.new)):
                output = subprocess.run([binary] + arguments, check=True, capture_output=True, text=True, env=env).stdout
                for figure, value, higher in figures(name, output):
                    samples.setdefault(figure, {"old": [], "new": [], "higher": higher})[side].append(value)
                print(f"round {round_ + 1} {name} {side} done", flush=True)
    print(f"| figure | old median | new median | speed new/old |")
    print("|---|---|---|---|")
    for figure, values in samples.items():
        old, new = statistics.median(values["old"]), statistics.median(values["new"])
        ratio = new / old if values["higher"] else old / new
        print(f"| {figure} | {old:.4g} | {new:.4g} | {ratio:.3f} |")


if __name__ == "__main__":
    main()
