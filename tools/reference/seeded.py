"""The seeded generator shared with Swift (Sources/MLEngine/Tensor/SeededGenerator.swift).

SplitMix64, counter form: draw i (from 1) is mix(seed + i * 0x9E3779B97F4A7C15) mod 2^64. Uniform values
are the top 53 bits over 2^53, mapped to [-1, 1) and multiplied by a per-tensor scale. Fill tensors in order
from one `Seeded` stream; Swift does the same and gets the same float64 values (float32 after rounding).
"""
import numpy as np

GAMMA = np.uint64(0x9E3779B97F4A7C15)
M1 = np.uint64(0xBF58476D1CE4E5B9)
M2 = np.uint64(0x94D049BB133111EB)


def _mix(z):
    with np.errstate(over="ignore"):
        z = (z ^ (z >> np.uint64(30))) * M1
        z = (z ^ (z >> np.uint64(27))) * M2
    return z ^ (z >> np.uint64(31))


class Seeded:
    def __init__(self, seed):
        self.seed = np.uint64(seed)
        self.position = 0

    def bits(self, count):
        idx = np.arange(self.position + 1, self.position + count + 1, dtype=np.uint64)
        self.position += count
        with np.errstate(over="ignore"):
            return _mix(self.seed + idx * GAMMA)

    def unit(self, count):
        return (self.bits(count) >> np.uint64(11)).astype(np.float64) * (2.0 ** -53)

    def signed(self, count, scale=1.0):
        return (2.0 * self.unit(count) - 1.0) * scale

    def array(self, shape, scale=1.0):
        """float64 values of `shape` in [-scale, scale), row-major, as Swift's `tensor(_:scale:)` draws them."""
        n = int(np.prod(shape)) if len(shape) else 1
        return self.signed(n, scale).reshape(shape)

    def array32(self, shape, scale=1.0):
        """The same draws rounded to float32 (what Swift's Float tensors hold), back as float64."""
        return self.array(shape, scale).astype(np.float32).astype(np.float64)

    def fill_state_dict(self, state, batches_tracked, variance_floor, scale=0.5):
        """Fills a torch state dict in place, in its order: each num_batches_tracked = `batches_tracked`, each
        running_var = `variance_floor` + |draw|, every other tensor a draw (all draws float32-rounded, `scale`)."""
        for name, value in state.items():
            if name.endswith("num_batches_tracked"):
                value.fill_(batches_tracked)
            elif name.endswith("running_var"):
                value.copy_(value.new_tensor(variance_floor + np.abs(self.array32(list(value.shape), scale))))
            else:
                value.copy_(value.new_tensor(self.array32(list(value.shape), scale)))
