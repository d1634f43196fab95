#!/usr/bin/env python3
"""Benchmarks of the URL grammars and the result cache (stdlib only; loadlib.py's client).

  python3 bench/grammar_bench.py get-vs-post   # uncached GET /ip/… vs POST /api/v1/process, same work (workload a)
  python3 bench/grammar_bench.py hits          # cache hits vs uncached GETs of workload a
  python3 bench/grammar_bench.py memory        # RSS growth of a full memory cache vs RESULT_CACHE_MB
  python3 bench/grammar_bench.py coalescing    # 64 identical concurrent misses -> source fetches (/metrics)

Workload a: a ~12 MP JPEG (BENCH_IMAGE, default the corpus's nasa-53884-4256x2832.jpg)
to WebP, quality 80, 800 px wide. Sources are served by a loopback origin in this
process. Closed loop: C connections, one request outstanding each. Figures: requests
per second, p50/p99 latency, and the server's CPU milliseconds per request (from
/proc/PID/stat), the figure least disturbed by other load; GET and POST run in
alternating rounds so that drift of the shared machine hits both alike.
"""

import argparse
import asyncio
import json
import os
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tests", "integration"))
import loadlib  # noqa: E402
from grammar_support import Origin  # noqa: E402  (the tests' loopback origin)

DEFAULT_IMAGE = os.path.join(loadlib.CORPUS, "photo", "nasa-53884-4256x2832.jpg")


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def metric(server, name):
    text = urllib.request.urlopen("http://%s:%d/metrics" % (server.host, server.port), timeout=30).read().decode()
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name) and not line.startswith("#"):
            total += float(line.rsplit(" ", 1)[1])
    return total


async def closed_loop(server, raw, concurrency, duration):
    pool = loadlib.Pool(server.host, server.port)
    replies = []
    stop = time.monotonic() + duration

    async def worker():
        while time.monotonic() < stop:
            replies.append(await pool.request(raw))

    cpu0, t0 = cpu_seconds(server.pid), time.monotonic()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed, cpu = time.monotonic() - t0, cpu_seconds(server.pid) - cpu0
    pool.close()
    ok = [r for r in replies if r.status == 200]
    lat = sorted(r.latency for r in ok)
    return {"requests": len(replies), "ok": len(ok), "rps": len(ok) / elapsed, "p50_ms": loadlib.ms(loadlib.percentile(lat, 50)),
            "p99_ms": loadlib.ms(loadlib.percentile(lat, 99)), "cpu_ms_per_req": 1000 * cpu / max(1, len(ok)),
            "non200": len(replies) - len(ok)}


def run(server, raw, concurrency, duration, warmup=3):
    asyncio.run(closed_loop(server, raw, concurrency, warmup))
    return asyncio.run(closed_loop(server, raw, concurrency, duration))


def median(values):
    values = sorted(values)
    return values[len(values) // 2]


def get_vs_post(args, image):
    origin = Origin({"/a.jpg": image})
    server = loadlib.Server(env={"RESULT_CACHE_MB": "0", "FETCH_ALLOW_CIDRS": "127.0.0.1/32", "QUEUE_MAX": "256"})
    try:
        get = loadlib.build_request("GET", "/ip/insecure/rs:fit:800:0/q:80/plain/%s@webp" % origin.url("/a.jpg"))
        post = loadlib.build_request("POST", "/api/v1/process?width=800&format=webp&quality=80", image, "image/jpeg")
        rounds = {"GET": [], "POST": []}
        for _ in range(args.rounds):
            for name, raw in (("GET", get), ("POST", post)):
                rounds[name].append(run(server, raw, args.concurrency, args.duration))
                print(name, json.dumps(rounds[name][-1]), file=sys.stderr)
        summary = {name: {k: median([r[k] for r in rs]) for k in rs[0]} for name, rs in rounds.items()}
        pairs = [g["cpu_ms_per_req"] / p["cpu_ms_per_req"] for g, p in zip(rounds["GET"], rounds["POST"])]
        rps_pairs = [g["rps"] / p["rps"] for g, p in zip(rounds["GET"], rounds["POST"])]
        return {"summary": summary, "cpu_ratio_get_over_post": pairs, "rps_ratio_get_over_post": rps_pairs, "fetches": origin.count("/a.jpg")}
    finally:
        server.stop()


def hits(args, image):
    origin = Origin({"/a.jpg": image})
    server = loadlib.Server(env={"RESULT_CACHE_MB": "128", "FETCH_ALLOW_CIDRS": "127.0.0.1/32", "QUEUE_MAX": "256"})
    try:
        hit = loadlib.build_request("GET", "/ip/insecure/rs:fit:800:0/q:80/plain/%s@webp" % origin.url("/a.jpg"))
        results = {"uncached": [], "hit": []}
        for i in range(args.rounds):
            # A new cachebuster each time: every request of this run is a miss.
            misses = [loadlib.build_request("GET", "/ip/insecure/rs:fit:800:0/q:80/cb:r%d-%d/plain/%s@webp" % (i, n, origin.url("/a.jpg")))
                      for n in range(100000)]
            results["uncached"].append(asyncio.run(uncached_loop(server, misses, args.concurrency, args.duration)))
            results["hit"].append(run(server, hit, args.hit_concurrency, args.duration))
            print(json.dumps({k: v[-1] for k, v in results.items()}), file=sys.stderr)
        summary = {name: {k: median([r[k] for r in rs]) for k in rs[0]} for name, rs in results.items()}
        ratios = [h["rps"] / u["rps"] for h, u in zip(results["hit"], results["uncached"])]
        return {"summary": summary, "hit_over_uncached_rps": ratios}
    finally:
        server.stop()


async def uncached_loop(server, requests, concurrency, duration):
    pool = loadlib.Pool(server.host, server.port)
    replies, index = [], [0]
    stop = time.monotonic() + duration

    async def worker():
        while time.monotonic() < stop:
            raw = requests[index[0]]
            index[0] += 1
            replies.append(await pool.request(raw))

    cpu0, t0 = cpu_seconds(server.pid), time.monotonic()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed, cpu = time.monotonic() - t0, cpu_seconds(server.pid) - cpu0
    pool.close()
    ok = sorted(r.latency for r in replies if r.status == 200)
    return {"requests": len(replies), "ok": len(ok), "rps": len(ok) / elapsed, "p50_ms": loadlib.ms(loadlib.percentile(ok, 50)),
            "p99_ms": loadlib.ms(loadlib.percentile(ok, 99)), "cpu_ms_per_req": 1000 * cpu / max(1, len(ok)), "non200": len(replies) - len(ok)}


def memory(args, image):
    origin = Origin({"/a.jpg": image})
    cap_mb = args.cache_mb
    server = loadlib.Server(env={"RESULT_CACHE_MB": str(cap_mb), "FETCH_ALLOW_CIDRS": "127.0.0.1/32", "QUEUE_MAX": "256"})
    try:
        def get(n):
            # 1600 px lossless PNG of the photo: ~3 MB results, so the cache fills in tens of requests.
            path = "/ip/insecure/rs:fit:1600:0/cb:%d/plain/%s@png" % (n, origin.url("/a.jpg"))
            raw = loadlib.build_request("GET", path)
            return asyncio.run(closed_loop_once(server, raw))

        for n in range(4):  # warm-up: the pipeline's own buffers, allocator arenas
            get(-1 - n)
        baseline_rss = server.rss_mb()
        baseline_cache = metric(server, 'pixmill_result_cache_bytes{tier="memory"}') / 2**20
        sampler = loadlib.RssSampler(server, interval=0.2)
        n = 0
        while metric(server, 'pixmill_result_cache_events_total{event="eviction"}') < args.evictions:
            get(n)
            n += 1
        sampler.stop()
        final_rss = server.rss_mb()
        cache_mb = metric(server, 'pixmill_result_cache_bytes{tier="memory"}') / 2**20
        return {"cap_mb": cap_mb, "requests": n, "baseline_rss_mb": baseline_rss, "baseline_cache_mb": baseline_cache,
                "final_rss_mb": final_rss, "peak_rss_mb": sampler.peak(), "cache_bytes_mb": cache_mb,
                "rss_growth_mb": final_rss - baseline_rss, "growth_over_cap": (final_rss - baseline_rss + baseline_cache) / cap_mb,
                "peak_growth_over_cap": (sampler.peak() - baseline_rss + baseline_cache) / cap_mb}
    finally:
        server.stop()


async def closed_loop_once(server, raw):
    pool = loadlib.Pool(server.host, server.port)
    reply = await pool.request(raw)
    pool.close()
    return reply


def coalescing(args, image):
    origin = Origin({"/a.jpg": image})
    origin.delay = 0.3
    server = loadlib.Server(env={"RESULT_CACHE_MB": "128", "FETCH_ALLOW_CIDRS": "127.0.0.1/32", "QUEUE_MAX": "256",
                                 "FETCH_WORKERS": "16", "REQUEST_TIMEOUT_MS": "120000"})
    try:
        before = metric(server, "pixmill_grammar_source_fetches_total")
        waits_before = metric(server, 'pixmill_result_cache_events_total{event="coalesced_wait"}')
        raw = loadlib.build_request("GET", "/ip/insecure/rs:fit:800:0/q:80/plain/%s@webp" % origin.url("/a.jpg"))

        async def burst():
            pool = loadlib.Pool(server.host, server.port)
            replies = await asyncio.gather(*(pool.request(raw) for _ in range(64)))
            pool.close()
            return replies

        t0 = time.monotonic()
        replies = asyncio.run(burst())
        elapsed = time.monotonic() - t0
        return {"requests": len(replies), "ok": sum(r.status == 200 for r in replies), "seconds": elapsed,
                "source_fetches": metric(server, "pixmill_grammar_source_fetches_total") - before,
                "coalesced_waits": metric(server, 'pixmill_result_cache_events_total{event="coalesced_wait"}') - waits_before,
                "origin_requests": origin.count("/a.jpg"), "p99_ms": loadlib.ms(loadlib.percentile(sorted(r.latency for r in replies), 99))}
    finally:
        server.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("bench", choices=["get-vs-post", "hits", "memory", "coalescing"])
    parser.add_argument("--image", default=os.environ.get("BENCH_IMAGE", DEFAULT_IMAGE))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=15)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--hit-concurrency", type=int, default=16)
    parser.add_argument("--cache-mb", type=int, default=64)
    parser.add_argument("--evictions", type=int, default=20)
    args = parser.parse_args()
    with open(args.image, "rb") as f:
        image = f.read()
    result = {"get-vs-post": get_vs_post, "hits": hits, "memory": memory, "coalescing": coalescing}[args.bench](args, image)
    result["machine"] = loadlib.machine()
    result["command"] = " ".join(["python3", "bench/grammar_bench.py"] + sys.argv[1:])
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
