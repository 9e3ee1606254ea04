"""Writes test fixtures in the format Tests/MetricLearningTests/FixtureFile.swift reads.

A fixture is one JSON file: {"meta": {...}, "tensors": {name: {"shape": [...], "f64": base64}}} where
f64 is the row-major float64 values, little-endian. Small and exact; no Python ML stack needed to read it.
"""
import base64
import json

import numpy as np


def tensor_entry(array):
    a = np.ascontiguousarray(np.asarray(array, dtype="<f8"))
    return {"shape": list(a.shape), "f64": base64.b64encode(a.tobytes()).decode("ascii")}


def write_fixture(path, tensors, meta=None):
    """tensors: dict name -> array-like (torch tensors: pass .detach().double().numpy())."""
    body = {"meta": meta or {}, "tensors": {k: tensor_entry(v) for k, v in tensors.items()}}
    with open(path, "w") as f:
        json.dump(body, f, separators=(",", ":"), sort_keys=True)
