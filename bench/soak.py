#!/usr/bin/env python3
"""Soak: many mixed requests (corpus x recipes x dialects); RSS must stop growing.

  bench/soak.py                                  # 20 000 requests, build/pixmill
  bench/soak.py --requests 2000 --exe build-glibc/pixmill
  bench/soak.sh                                  # jemalloc vs glibc vs glibc+MALLOC_ARENA_MAX=2

Requests cycle through every corpus file of the photo, PNG, GIF, WebP, TIFF, HEIC,
AVIF, BMP and SVG categories (up to --max-file-mb) and a list of recipes in all three
dialects, from --concurrency keep-alive connections (default: 2 x cores). RSS is
sampled throughout; "after warm-up" is the RSS once --warmup requests (default 10%)
are done, "end" the RSS after the last one. Growth = end / after-warm-up - 1.

Prints status counts (every answer must be 200 or a documented 4xx for the file),
p50/p99, RSS start / after warm-up / peak / end and the growth. Exits 1 when growth
exceeds --max-growth (default 10%), a request errors or gets a 5xx, or the server dies.
"""

import argparse
import asyncio
import itertools
import json
import sys
import time
import uuid

import loadlib

CATEGORIES = {"photo-small", "photo-medium", "photo-kodak", "exif-orientation", "jpeg-cmyk", "jpeg-progressive",
              "grayscale", "png-alpha", "png-palette-alpha", "png-interlaced", "png-16bit", "gif-animated", "gif-static",
              "webp-lossy", "webp-lossy-alpha", "webp-lossless-alpha", "webp-animated", "tiff", "tiff-16bit", "heic",
              "avif", "bmp", "svg", "icc-adobe-rgb", "icc-display-p3"}

# (dialect, path, fields): native fields go in the query, Feather fields in the form,
# petiteimg's operations JSON in the form.
RECIPES = [
    ("native", "/api/v1/process", {"width": "640", "format": "webp", "quality": "80"}),
    ("native", "/api/v1/process", {"width": "300", "height": "300", "fit": "fill", "gravity": "attention", "format": "jpeg"}),
    ("native", "/api/v1/process", {"width": "800", "brightness": "10", "contrast": "15", "sharpen": "20", "format": "png"}),
    ("native", "/api/v1/process", {"rotate": "33", "width": "400", "blur": "2", "format": "jpeg"}),
    ("native", "/api/v1/optimize", {"width": "1200", "targetKb": "60"}),
    ("feather", "/api/compress", {"outputFormat": "webp", "quality": "75", "maxWidth": "1024"}),
    ("feather", "/api/compress", {"outputFormat": "avif", "quality": "50", "maxWidth": "256"}),
    ("feather", "/api/convert", {"outputFormat": "png", "maxWidth": "600", "grayscale": "true"}),
    ("petiteimg", "/v1/process", {"operations": json.dumps([{"op": "resize", "settings": {"width": 800}},
                                                            {"op": "compress", "settings": {"quality": 75}}])}),
    ("petiteimg", "/v1/process", {"operations": json.dumps([{"op": "crop", "settings": {"width": 300, "height": 200}},
                                                            {"op": "convert", "settings": {"format": "webp"}}])}),
]


def multipart(fields, filename, data):
    boundary = "----soak" + uuid.uuid4().hex
    out = []
    for k, v in fields.items():
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n" % (boundary, k, v)).encode())
    out.append(("--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\n"
                "Content-Type: application/octet-stream\r\n\r\n" % (boundary, filename)).encode())
    out.append(data)
    out.append(("\r\n--%s--\r\n" % boundary).encode())
    return b"".join(out), "multipart/form-data; boundary=" + boundary


def build_requests(max_bytes):
    files = loadlib.corpus_files(CATEGORIES, max_bytes=max_bytes)
    if not files:
        raise SystemExit("no corpus files (%s)" % loadlib.CORPUS)
    requests = []
    for (category, path), (dialect, route, fields) in itertools.product(files, RECIPES):
        with open(path, "rb") as f:
            data = f.read()
        if dialect == "native":
            query = "&".join("%s=%s" % kv for kv in fields.items())
            raw = loadlib.build_request("POST", route + "?" + query, data, "application/octet-stream")
        else:
            body, ctype = multipart(fields, path.rsplit("/", 1)[-1], data)
            raw = loadlib.build_request("POST", route, body, ctype)
        requests.append(("%s %s %s" % (category, dialect, route), raw))
    # Interleave files and recipes so every stretch of the run is a mix.
    requests.sort(key=lambda r: hash(r[0]) & 0xFFFF)
    return files, requests


async def soak(server, requests, total, concurrency, warmup, sampler_marks):
    pool = loadlib.Pool(server.host, server.port)
    replies = []
    by_kind = {}
    counter = itertools.count()

    async def worker():
        while True:
            i = next(counter)
            if i >= total:
                return
            kind, raw = requests[i % len(requests)]
            r = await pool.request(raw, timeout=120)
            replies.append(r)
            by_kind.setdefault(kind, {}).setdefault(r.status or r.error, 0)
            by_kind[kind][r.status or r.error] += 1
            if len(replies) == warmup:
                sampler_marks["warm"] = server.rss_mb()
            if len(replies) % max(100, total // 10) == 0:
                print("  %6d done, RSS %.1f MB" % (len(replies), server.rss_mb() or 0), flush=True)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    pool.close()
    return replies, by_kind


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--requests", type=int, default=20000)
    ap.add_argument("--concurrency", type=int, default=2 * (loadlib.os.cpu_count() or 2))
    ap.add_argument("--warmup", type=int, default=None, help="requests before the reference RSS (default 10%%)")
    ap.add_argument("--max-growth", type=float, default=0.10)
    ap.add_argument("--max-file-mb", type=float, default=0.5)
    ap.add_argument("--label", default="")
    ap.add_argument("--exe", default=None)
    ap.add_argument("--url", default=None)
    ap.add_argument("--pid", type=int, default=None)
    args = ap.parse_args()

    files, requests = build_requests(int(args.max_file_mb * 1024 * 1024))
    warmup = args.warmup if args.warmup is not None else max(1, args.requests // 10)
    server = loadlib.Server(exe=args.exe, url=args.url, pid=args.pid,
                            env={"MAX_UPLOAD_MB": 100, "QUEUE_MAX": 1000, "REQUEST_TIMEOUT_MS": 120000})
    marks = {}
    try:
        rss_start = server.rss_mb()
        sampler = loadlib.RssSampler(server, 0.5)
        start = time.monotonic()
        replies, by_kind = asyncio.run(soak(server, requests, args.requests, args.concurrency, warmup, marks))
        elapsed = time.monotonic() - start
        sampler.stop()
        rss_end = server.rss_mb()
        alive = server.alive()
    finally:
        server.stop()

    ok = [r.latency for r in replies if r.status == 200]
    bad = [r for r in replies if not r.status or r.status >= 500]
    warm = marks.get("warm") or rss_start
    growth = (rss_end / warm - 1.0) if warm and rss_end else None
    summary = {
        "machine": loadlib.machine(),
        "label": args.label or args.exe or "build/pixmill",
        "files_x_recipes": "%d x %d" % (len(files), len(RECIPES)),
        "requests": len(replies),
        "duration_s": round(elapsed, 1),
        "rps": round(len(replies) / elapsed, 1),
        "status_counts": loadlib.histogram(replies),
        "latency_200": loadlib.latency_summary(ok),
        "rss_mb": {"start": round(rss_start or 0, 1), "after_warmup": round(warm or 0, 1),
                   "peak": round(sampler.peak() or 0, 1), "end": round(rss_end or 0, 1)},
        "rss_growth_after_warmup": None if growth is None else "%+.1f%%" % (growth * 100),
        "server_alive": alive,
    }
    non_ok = {k: v for k, v in by_kind.items() if any(s != 200 for s in v)}
    if non_ok:
        summary["non_200_by_kind"] = non_ok
    loadlib.print_summary("soak: %d mixed requests" % args.requests, summary)
    problems = []
    if bad:
        problems.append("%d errors or 5xx: %s" % (len(bad), loadlib.histogram(bad)))
    if growth is None or growth > args.max_growth:
        problems.append("RSS growth after warm-up %s over %.0f%%" % (summary["rss_growth_after_warmup"], args.max_growth * 100))
    return loadlib.verdict(problems, alive)


if __name__ == "__main__":
    sys.exit(main())
