"""onnxruntime's side of `dml bench export`: CPU images per second of an exported model.

  python onnxruntime_export.py --model M.onnx --batch B --steps S --threads T [--optimization all|basic|disable]

A random batch [B, 3, H, W] in [0, 1] (H, W from the model's input), one untimed warm-up run (which also
lets onnxruntime finish its own setup), then S timed runs. intra-op threads T, one inter-op thread,
sequential execution, CPU provider. Prints one JSON object.
"""
import argparse
import json
import time

import numpy as np
import onnxruntime

LEVELS = {"all": onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL,
          "basic": onnxruntime.GraphOptimizationLevel.ORT_ENABLE_BASIC,
          "disable": onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--optimization", choices=sorted(LEVELS), default="all")
    args = parser.parse_args()

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = args.threads
    options.inter_op_num_threads = 1
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = LEVELS[args.optimization]
    start = time.perf_counter()
    session = onnxruntime.InferenceSession(args.model, options, providers=["CPUExecutionProvider"])
    session_seconds = time.perf_counter() - start
    _, channels, height, width = session.get_inputs()[0].shape
    x = np.random.default_rng(0).random((args.batch, channels, height, width), dtype=np.float32)
    session.run(["embeddings"], {"images": x})
    start = time.perf_counter()
    for _ in range(args.steps):
        session.run(["embeddings"], {"images": x})
    seconds = time.perf_counter() - start
    print(json.dumps({"images_per_second": args.batch * args.steps / seconds, "session_seconds": session_seconds,
                      "optimization": args.optimization, "onnxruntime": onnxruntime.__version__}))


if __name__ == "__main__":
    main()
