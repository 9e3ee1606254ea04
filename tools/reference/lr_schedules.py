"""The learning-rate schedules of DESIGN §3 computed from their formulas, written to
Tests/Fixtures/lr_schedules.json (LearningRateScheduleTests): every iteration of a run with base rate 0.02,
S = 7 iterations per epoch, 30 epochs (T = 210), step interval 10 epochs, warm-up 100 iterations.
"""
import math
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from fixture_io import write_fixture  # noqa: E402

LR, S, EPOCHS, STEP, WARM = 0.02, 7, 30, 10, 100
T = S * EPOCHS


def rate(kind, i):
    warm = (i + 1) / WARM
    cosine = (1 + math.cos(math.pi * i / T)) / 2
    decay = 0.1 ** math.floor(i / (STEP * S))
    return {"warmcos": LR * min(warm, cosine), "cos": LR * cosine, "step": LR * decay,
            "warmstep": LR * min(warm, 1) * decay, "constant": LR}[kind]


kinds = ["warmcos", "cos", "step", "warmstep", "constant"]
out = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "Fixtures", "lr_schedules.json")
write_fixture(out, {k: [rate(k, i) for i in range(T)] for k in kinds},
              meta={"lr": LR, "iterations_per_epoch": S, "epochs": EPOCHS, "step_epochs": STEP, "warmup": WARM})
