#!/usr/bin/env python3
"""Checks that two run folders hold the same training: bit-identical checkpoint tensors and identical logs.

    python3 tools/compare-runs.py RUN_A RUN_B

Compared exactly: every tensor of last.safetensors and best.safetensors (names, dtypes, shapes, bytes) and
their metadata apart from the configuration's provenance; every line of metrics.jsonl and train_log.jsonl
apart from the timing keys (`seconds`, `images_per_second`); config.json apart from provenance. A change
that means to keep behaviour (a refactor, a module split) must pass this on a 1-epoch run of
`dml train --preset fashion-mnist --epochs 1` made before and after it, at the same thread count.
Exit status 0 when equal; otherwise each difference is printed and the status is 1.
"""
import json
import pathlib
import struct
import sys

TIMING_KEYS = {"seconds", "images_per_second"}


def without(value, keys):
    if isinstance(value, dict):
        return {k: without(v, keys) for k, v in value.items() if k not in keys}
    return value


def read_safetensors(path):
    data = path.read_bytes()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    metadata = header.pop("__metadata__", {})
    body = data[8 + length:]
    tensors = {name: (info["dtype"], info["shape"], body[info["data_offsets"][0]:info["data_offsets"][1]])
               for name, info in header.items()}
    return metadata, tensors


def normalised_metadata(metadata):
    result = dict(metadata)
    if "config" in result:
        result["config"] = without(json.loads(result["config"]), {"provenance", "data_path"})
    return result


def compare_checkpoint(a, b, problems):
    (meta_a, tensors_a), (meta_b, tensors_b) = read_safetensors(a), read_safetensors(b)
    if normalised_metadata(meta_a) != normalised_metadata(meta_b):
        problems.append(f"{a.name}: metadata differs")
    if tensors_a.keys() != tensors_b.keys():
        problems.append(f"{a.name}: tensor names differ: {sorted(tensors_a.keys() ^ tensors_b.keys())}")
    for name in sorted(tensors_a.keys() & tensors_b.keys()):
        if tensors_a[name][:2] != tensors_b[name][:2]:
            problems.append(f"{a.name}: {name}: dtype/shape {tensors_a[name][:2]} vs {tensors_b[name][:2]}")
        elif tensors_a[name][2] != tensors_b[name][2]:
            problems.append(f"{a.name}: {name}: values differ")


def compare_lines(a, b, problems):
    lines_a, lines_b = a.read_text().splitlines(), b.read_text().splitlines()
    if len(lines_a) != len(lines_b):
        problems.append(f"{a.name}: {len(lines_a)} lines vs {len(lines_b)}")
    for number, (x, y) in enumerate(zip(lines_a, lines_b), 1):
        if without(json.loads(x), TIMING_KEYS) != without(json.loads(y), TIMING_KEYS):
            problems.append(f"{a.name}:{number}: {x} vs {y}")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    run_a, run_b = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    problems = []
    for name in ("last.safetensors", "best.safetensors"):
        compare_checkpoint(run_a / name, run_b / name, problems)
    for name in ("metrics.jsonl", "train_log.jsonl"):
        compare_lines(run_a / name, run_b / name, problems)
    configs = [without(json.loads((run / "config.json").read_text()), {"provenance", "data_path"}) for run in (run_a, run_b)]
    if configs[0] != configs[1]:
        problems.append("config.json differs")
    for problem in problems:
        print(problem)
    print("identical" if not problems else f"{len(problems)} differences")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
