"""Writes small MATLAB v5 files (compressed, as scipy.io.savemat writes them) for the MAT reader and the
Cars196 dataset tests, shaped like the real annotation files:

- cars_annos_tiny.mat: struct array `annotations` (1 x N) with relative_im_path, bbox_x1..bbox_y2, class,
  test (as the original `cars_annos.mat`), plus the cell array `class_names`;
- cars_train_annos_tiny.mat / cars_test_annos_withlabels_tiny.mat: the devkit's `annotations` (bbox_*,
  class, fname);
- mat_misc.mat: a double matrix, negative int16 values, a two-row char array, a mixed cell array, a logical;
- mat_big_endian.mat: written by hand (scipy writes only native order): big-endian, uncompressed, small
  data elements for names, `x` = [1.5, -2] stored as doubles and `y` = [300; -2] (class double) stored
  as int16, as MATLAB compacts integral doubles.

The expected contents are the literals below; the Swift tests (MATFileTests, CarsDatasetTests) state them.
Run from the repository root: TORCH_PYTHON tools/reference/mat_fixtures.py (docs/DESIGN.md §1)
"""
import os

import struct

import numpy as np
from scipy.io import savemat

OUT = "Tests/Fixtures"

# (image number, class): classes 1..98 train, 99..196 test.
CARS = [(1, 1), (2, 1), (3, 2), (4, 98), (5, 99), (6, 99), (7, 150), (8, 196)]


def struct_array(fields, rows):
    array = np.zeros((1, len(rows)), dtype=[(f, "O") for f in fields])
    for i, row in enumerate(rows):
        for f in fields:
            array[0, i][f] = row[f]
    return array


def bbox(n):
    return {"bbox_x1": np.array([[n]], np.uint16), "bbox_y1": np.array([[2 * n]], np.uint16),
            "bbox_x2": np.array([[300 + n]], np.uint16), "bbox_y2": np.array([[200 + n]], np.uint16)}


def cars_original():
    fields = ["relative_im_path", "bbox_x1", "bbox_y1", "bbox_x2", "bbox_y2", "class", "test"]
    rows = [dict(bbox(n), relative_im_path=np.array(["car_ims/%06d.jpg" % n]),
                 **{"class": np.array([[c]], np.uint8), "test": np.array([[n % 2]], np.uint8)}) for n, c in CARS]
    names = np.empty((1, 196), dtype="O")
    for c in range(196):
        names[0, c] = np.array(["Model %d" % (c + 1)])
    savemat(os.path.join(OUT, "cars_annos_tiny.mat"),
            {"annotations": struct_array(fields, rows), "class_names": names}, do_compression=True)


def cars_devkit():
    fields = ["bbox_x1", "bbox_y1", "bbox_x2", "bbox_y2", "class", "fname"]
    for name, part in [("cars_train_annos_tiny.mat", CARS[0::2]), ("cars_test_annos_withlabels_tiny.mat", CARS[1::2])]:
        rows = [dict(bbox(n), fname=np.array(["%05d.jpg" % n]), **{"class": np.array([[c]], np.uint8)})
                for n, c in part]
        savemat(os.path.join(OUT, name), {"annotations": struct_array(fields, rows)}, do_compression=True)


def misc():
    cell = np.empty((1, 3), dtype="O")
    cell[0, 0] = np.array(["abc"])
    cell[0, 1] = np.array([[1.5, -2.0]])
    cell[0, 2] = np.array([[7]], np.int32)
    savemat(os.path.join(OUT, "mat_misc.mat"), {
        "matrix": np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]),
        "negative": np.array([[-3, 0, 32000]], np.int16),
        "rows": np.array(["ab", "cd"]),
        "mixed": cell,
        "flag": np.array([[True, False]]),
    }, do_compression=True)


def big_endian():
    def element(data_type, payload):
        padded = payload + b"\0" * (-len(payload) % 8)
        return struct.pack(">II", data_type, len(payload)) + padded

    def small(data_type, payload):
        return struct.pack(">HH", len(payload), data_type) + payload + b"\0" * (4 - len(payload))

    def matrix(name, dims, real):
        body = (element(6, struct.pack(">II", 6, 0))            # array flags: mxDOUBLE_CLASS
                + element(5, struct.pack(">%di" % len(dims), *dims))
                + small(1, name.encode()) + real)
        return element(14, body)

    header = b"MATLAB 5.0 MAT-file, written by tools/reference/mat_fixtures.py".ljust(116, b" ")
    header += b"\0" * 8 + struct.pack(">H", 0x0100) + b"MI"
    x = matrix("x", [1, 2], element(9, struct.pack(">2d", 1.5, -2.0)))
    y = matrix("y", [2, 1], element(3, struct.pack(">2h", 300, -2)))
    with open(os.path.join(OUT, "mat_big_endian.mat"), "wb") as f:
        f.write(header + x + y)


if __name__ == "__main__":
    cars_original()
    cars_devkit()
    misc()
    big_endian()
