"""Writes the fuzzers' seed corpora, Fuzz/Corpus/<target>/, from the test fixtures and small files made
here (Python's standard library only). Run from anywhere: python3 Fuzz/make_corpus.py

Seeds are valid inputs (and a few near misses) that reach deep into each reader; libFuzzer mutates them.
Inputs a fuzzer found are added to the same folders by tools/fuzz.sh runs (libFuzzer writes new coverage
into the first corpus folder); crashes become regression tests in the normal suite.
"""
import gzip
import hashlib
import io
import os
import pickle
import shutil
import struct
import zipfile
import zlib

root = os.path.dirname(os.path.abspath(__file__))
fixtures = os.path.join(root, "..", "Tests", "Fixtures")
corpus = os.path.join(root, "Corpus")


def seed(target, data, name=None):
    folder = os.path.join(corpus, target)
    os.makedirs(folder, exist_ok=True)
    name = name or hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def fixture(*path):
    with open(os.path.join(fixtures, *path), "rb") as f:
        return f.read()


shutil.rmtree(corpus, ignore_errors=True)

# safetensors: the reference files, and small hand-made ones (metadata, integer and empty tensors).
for name in ["safetensors_reference.safetensors", "state_dict_model.safetensors"]:
    seed("safetensors", fixture(name), name)


def safetensors(header, data):
    text = header.encode()
    return struct.pack("<Q", len(text)) + text + data


seed("safetensors", safetensors('{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}',
                                struct.pack("<2f", 1.5, -2)), "metadata-f32")
seed("safetensors", safetensors('{"l":{"dtype":"I64","shape":[2],"data_offsets":[0,16]},"e":{"dtype":"BF16","shape":[0,3],"data_offsets":[16,16]}}',
                                struct.pack("<2q", 3, -1)), "i64-empty")

# .pth: torch.save archives (stored, deflated, a refused pickle).
for name in ["pth_reference.pth", "pth_reference_deflated.pth", "state_dict_model.pth", "pth_unsafe.pth"]:
    seed("pth", fixture(name), name)
for name in sorted(os.listdir(os.path.join(fixtures, "hostile_pickles"))):
    seed("pth", fixture("hostile_pickles", name), "hostile-" + name)

# pickle: the data.pkl of those archives, and plain-data pickles of every protocol the reader takes.
for name in ["pth_reference.pth", "state_dict_model.pth"]:
    with zipfile.ZipFile(os.path.join(fixtures, name)) as archive:
        pkl = next(n for n in archive.namelist() if n.endswith("/data.pkl"))
        seed("pickle", archive.read(pkl), name.replace(".pth", ".pkl"))
for name in sorted(os.listdir(os.path.join(fixtures, "hostile_pickles"))):
    with zipfile.ZipFile(os.path.join(fixtures, "hostile_pickles", name)) as archive:
        pkl = next(n for n in archive.namelist() if n.endswith("/data.pkl"))
        seed("pickle", archive.read(pkl), "hostile-" + name.replace(".pth", ".pkl"))
for protocol in (2, 3, 4):
    seed("pickle", pickle.dumps({"a": [1, 2.5, (True, None)], "b": b"xy", "c": 2 ** 40}, protocol=protocol), f"plain-{protocol}")
seed("pickle", b"\x80\x02cos\nsystem\nq\x00X\x04\x00\x00\x00trueq\x01\x85q\x02Rq\x03.", "os-system")

# zip: the archives, a zip64 one and a deflated one with a comment.
for name in ["pth_reference.pth", "pth_reference_deflated.pth"]:
    seed("zip", fixture(name), name)
buffer = io.BytesIO()
with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
    archive.comment = b"comment"
    with archive.open(zipfile.ZipInfo("a/data/0", (1980, 1, 1, 0, 0, 0)), "w", force_zip64=True) as entry:
        entry.write(bytes(range(64)) * 4)
    archive.writestr(zipfile.ZipInfo("a/version", (1980, 1, 1, 0, 0, 0)), "3\n")
seed("zip", buffer.getvalue(), "zip64-deflated")

# .npy: the fixtures.
for name in sorted(os.listdir(os.path.join(fixtures, "npy"))):
    seed("npy", fixture("npy", name), name)

# IDX: images and labels, plain and gzip'd.
images = bytes([0, 0, 8, 3]) + struct.pack(">3I", 3, 4, 4) + bytes(range(48))
labels = bytes([0, 0, 8, 1]) + struct.pack(">I", 3) + bytes([0, 5, 9])
for name, data in [("images", images), ("labels", labels)]:
    seed("idx", data, name)
    seed("idx", gzip.compress(data, mtime=0), name + ".gz")

# MAT v5: the fixtures (compressed and big-endian), which the Cars target also starts from.
for name in ["mat_misc.mat", "mat_big_endian.mat", "cars_annos_tiny.mat", "cars_train_annos_tiny.mat",
             "cars_test_annos_withlabels_tiny.mat"]:
    seed("mat", fixture(name), name)
seed("cars", fixture("cars_annos_tiny.mat"), "cars_annos_tiny.mat")

# Annotation files: the dataset targets cut their input at "\n====\n" into the format's files.
separator = "\n====\n"
seed("cub", ("1 001.Black_footed_Albatross/a.jpg\n2 101.White_Pelican/b.jpg\n3 001.Black_footed_Albatross/c.jpg\n"
             + separator + "1 1\n2 101\n3 1\n").encode(), "cub")
seed("sop", ("image_id class_id super_class_id path\n1 1 1 bicycle_final/111085122871_0.JPG\n2 2 1 bicycle_final/2.JPG\n"
             + separator + "image_id class_id super_class_id path\n1 11319 1 chair_final/3.JPG\n").encode(), "sop")
seed("inshop", ("3\nimage_name item_id evaluation_status\nimg/WOMEN/Dresses/id_1/01_1_front.jpg id_00000001 train\n"
                "img/MEN/id_2/a.jpg id_00000002 query\nimg/MEN/id_2/b.jpg id_00000002 gallery\n").encode(), "inshop")
seed("list", ("images/a,b/1.jpg,0\r\nimages/2.jpg,3\n" + separator + "images/4.jpg,100\n").encode(), "train-test")
seed("list", ("img/1.jpg,0\n" + separator + "img/2.jpg,4000\n" + separator + "img/3.jpg,4001\n").encode(), "inshop-lists")

# Loss specifications: every loss with its parameters, and the miners (on a second line).
losses = [
    "cross_entropy:smoothing=0.1,dropout=0.5,normalize_weight=true", "normalized_softmax:temperature=0.05",
    "arcface:margin=28.6,scale=64", "proxy_nca:softmax_scale=1,distance=lp,p=2,power=2", "proxy_anchor:margin=0.1,alpha=32",
    "center", "spce:present_only=true", "contrastive:pos_margin=0,neg_margin=1,reducer=avg_non_zero",
    "triplet:margin=0.05,swap=true,smooth_loss=false,distance=cosine", "multi_similarity:alpha=2,beta=50,base=0.5",
    "nca:softmax_scale=1,normalize_embeddings=false", "supcon:temperature=0.1", "circle:m=0.4,gamma=80,reducer=sum",
]
miners = ["triplet_margin:margin=0.2,type=semihard", "batch_hard:distance=dot", "multi_similarity:epsilon=0.1",
          "pair_margin:pos_margin=0.2,neg_margin=0.8", "none"]
for index, loss in enumerate(losses):
    seed("loss-specification", (loss + ("\n" + miners[index % len(miners)] if index >= 7 else "")).encode(), f"loss-{index}")

# Images: the decoder fixtures.
for name in sorted(os.listdir(os.path.join(fixtures, "images"))):
    seed("jpeg" if name.endswith(".jpg") else "png", fixture("images", name), name)

# Checkpoints: the round-1 run's checkpoint metadata, as a safetensors file without tensors.
import json
for name in ["last", "best"]:
    with open(os.path.join(fixtures, "run_round1", name + ".header.json")) as f:
        metadata = json.load(f)["__metadata__"]
    header = json.dumps({"__metadata__": metadata}, separators=(",", ":")).encode()
    seed("checkpoint", struct.pack("<Q", len(header)) + header, "round1-" + name)

# Embeddings: dimension byte, float32 values, one label byte per row; ordinary, scaled by 1e30 and 1e-30,
# and the largest finite floats.
values = [0.1, -0.4, 0.3, 0.9, -0.2, 0.5, 0.7, 0.1, -0.8, 0.4, 0.2, -0.6]
for scale, name in [(1, "plain"), (1e30, "1e30"), (1e-30, "1e-30")]:
    seed("embeddings", bytes([1]) + struct.pack("<12f", *[v * scale for v in values]) + bytes([0, 1, 0, 1, 2, 2]), name)
big = 3.4028234663852886e38
seed("embeddings", bytes([0]) + struct.pack("<4f", big, -big, big, 1) + bytes([0, 1, 0, 1]), "float-max")

# Multipart forms: the first line is the request's Content-Type, the rest its body. Forms as Chrome, Firefox
# and curl send them (a file part holding a fixture image, a text field), a quoted boundary with a preamble
# and an epilogue, and a form whose only part is named "image".


def form(content_type, boundary, parts, preamble=b"", epilogue=b"\r\n"):
    body = preamble
    for headers, content in parts:
        body += b"--" + boundary + b"\r\n" + b"".join(h + b"\r\n" for h in headers) + b"\r\n" + content + b"\r\n"
    return content_type + b"\r\n" + body + b"--" + boundary + b"--" + epilogue


def file_part(name, filename, mime, content):
    disposition = b'Content-Disposition: form-data; name="%s"; filename="%s"' % (name, filename)
    return ([disposition, b"Content-Type: " + mime], content)


def field(name, value):
    return ([b'Content-Disposition: form-data; name="%s"' % name], value)


chrome = b"----WebKitFormBoundary7MA4YWxkTrZu0gW"
seed("multipart", form(b"multipart/form-data; boundary=" + chrome, chrome,
                       [field(b"k", b"10"), file_part(b"image", b"palette.png", b"image/png", fixture("images", "palette.png"))]),
     "chrome-png")
firefox = b"---------------------------974767299852498929531610575"
seed("multipart", form(b"multipart/form-data; boundary=" + firefox, firefox,
                       [file_part(b"file", b"gray.jpg", b"image/jpeg", fixture("images", "gray.jpg"))]), "firefox-jpeg")
curl = b"------------------------d74496d66958873e"
seed("multipart", form(b"multipart/form-data; boundary=" + curl, curl,
                       [file_part(b"image", b"progressive.jpg", b"image/jpeg", fixture("images", "progressive.jpg"))],
                       epilogue=b""), "curl-progressive-jpeg")
seed("multipart", form(b'multipart/form-data; charset=utf-8; boundary="a b;c"', b"a b;c",
                       [field(b"image", fixture("images", "bilevel.png")), field(b"note", b"x; y\r\n--a b")],
                       preamble=b"preamble\r\n", epilogue=b"\r\nepilogue"), "quoted-boundary-field")

# index.json: an exact index of an embeddings file, an HNSW index of a folder and a dataset split, an IVF
# index of a folder — in the layout IndexManifest.encoded() writes (sorted keys, pretty-printed, " : "), which
# IndexManifestTests checks byte for byte, so the seeds are what the code writes.


def manifest(kind, distance, dimension, classes, sources, model_crc="5f1d2c3b", **parameters):
    value = {"format": "dml-index-1", "kind": kind, "distance": distance, "dimension": dimension,
             "count": sum(source["count"] for source in sources), "generation": 1 + len(sources),
             "model": {"checkpoint_crc32": model_crc, "transforms": "fashion-mnist", "image_size": 32,
                       "mean": [0.286, 0.286, 0.286], "std": [0.353, 0.353, 0.353]},
             "classes": classes, "sources": sources, **parameters}
    return json.dumps(value, indent=2, sort_keys=True, separators=(",", " : "), ensure_ascii=False).encode()


seed("index-manifest", manifest("exact", "l2", 128, ["T-shirt/top", "Trouser", "Bag"],
                                [{"kind": "vectors", "count": 6, "file": "/runs/fashion/embeddings.safetensors"}]),
     "exact-vectors.json")
seed("index-manifest", manifest("hnsw", "cosine", 512, ["cat", "dog", "Bag", "Café"],
                                [{"kind": "files", "count": 3, "root": "/gallery",
                                  "paths": ["cat/1.jpg", "dog/2.png", "Café/3.jpg"]},
                                 {"kind": "dataset", "count": 60, "root": "/usr/share/fashion-mnist", "format": "fashion-mnist",
                                  "split": "all"}],
                                hnsw={"m": 32, "ef_construction": 200, "ef_search": 96}), "hnsw-files-dataset.json")
seed("index-manifest", manifest("ivf", "dot", 64, ["a", "b"],
                                [{"kind": "files", "count": 2, "root": "/data/shop", "paths": ["a/x y.png", "b/.hidden/z.jpg"]}],
                                ivf={"lists": 8, "probes": 8}), "ivf-files.json")
