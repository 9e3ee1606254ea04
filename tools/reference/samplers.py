"""Reproduces the batch samplers (Sources/MLData/Sampling/*Sampler.swift) from the shared seeded stream,
so a PyTorch run can use exactly the batches a Swift run uses, and writes their batches to
Tests/Fixtures/samplers.json (sample indices as float64, one row per batch).

The algorithms, as documented in the Swift sources:
- substream(seed, key): a new stream seeded by mix((seed ^ 0xD1B54A32D192ED03) + (key + 1) * GAMMA), i.e.
  the draw at position `key` of the stream of seed ^ 0xD1B54A32D192ED03;
- a sampler's epoch stream: substream(substream(seed, 0x5A4D504C), epoch);
- next_index(n) = min(floor(u * n), n - 1) for the next 53-bit uniform u;
- shuffle: Fisher-Yates from the last element down, j = next_index(i + 1);
- choose(k, xs): partial Fisher-Yates on a copy (swap i with i + next_index(len - i)), or k draws with
  replacement when len(xs) < k.
Run from the repository root: TORCH_PYTHON tools/reference/samplers.py (docs/DESIGN.md §1)
"""
import numpy as np

from fixture_io import write_fixture
from seeded import GAMMA, Seeded, _mix


class Stream:
    def __init__(self, seed):
        self.seeded = Seeded(seed)

    def substream(self, key):
        with np.errstate(over="ignore"):
            keyed = self.seeded.seed ^ np.uint64(0xD1B54A32D192ED03)
            return Stream(_mix(keyed + np.uint64(key + 1) * GAMMA))

    def next_index(self, n):
        return min(int(self.seeded.unit(1)[0] * n), n - 1)

    def shuffle(self, xs):
        for i in range(len(xs) - 1, 0, -1):
            j = self.next_index(i + 1)
            xs[i], xs[j] = xs[j], xs[i]

    def choose(self, k, xs):
        if len(xs) < k:
            return [xs[self.next_index(len(xs))] for _ in range(k)]
        pool = list(xs)
        for i in range(k):
            j = i + self.next_index(len(pool) - i)
            pool[i], pool[j] = pool[j], pool[i]
        return pool[:k]


def epoch_stream(seed, epoch):
    return Stream(seed).substream(0x5A4D504C).substream(epoch)


def by_label(labels):
    return [[i for i, l in enumerate(labels) if l == label] for label in sorted(set(labels))]


def random_batches(count, batch_size, seed, epoch):
    g = epoch_stream(seed, epoch)
    order = list(range(count))
    g.shuffle(order)
    return [order[b * batch_size:(b + 1) * batch_size] for b in range(count // batch_size)]


def m_per_class_batches(labels, m, batch_size, seed, epoch):
    g = epoch_stream(seed, epoch)
    classes = by_label(labels)
    order = list(range(len(classes)))
    batches = []
    for _ in range(len(labels) // batch_size):
        g.shuffle(order)
        batches.append([i for c in order[:batch_size // m] for i in g.choose(m, classes[c])])
    return batches


def identity_batches(labels, identities, per_identity, iterations, seed, epoch):
    g = epoch_stream(seed, epoch)
    eligible = [c for c in by_label(labels) if len(c) >= per_identity]
    batches = []
    for _ in range(iterations):
        chosen = g.choose(identities, list(range(len(eligible))))
        batches.append([i for c in chosen for i in g.choose(per_identity, eligible[c])])
    return batches


# Classes 0…4 with 5, 4, 3, 2 and 1 images (MPerClassSamplerTests.labels).
LABELS = [0, 1, 2, 3, 4, 0, 1, 2, 3, 0, 1, 2, 0, 1, 0]

if __name__ == "__main__":
    write_fixture("Tests/Fixtures/samplers.json", {
        "random_23_5_seed12345_epoch0": random_batches(23, 5, 12345, 0),
        "random_23_5_seed12345_epoch3": random_batches(23, 5, 12345, 3),
        "m_per_class_m2_b6_seed77_epoch1": m_per_class_batches(LABELS, 2, 6, 77, 1),
        "identity_2x2_it4_seed5_epoch2": identity_batches(LABELS, 2, 2, 4, 5, 2),
    }, meta={"script": "tools/reference/samplers.py", "labels": LABELS})
