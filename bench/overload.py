#!/usr/bin/env python3
"""Overload: offer N times the server's capacity for D seconds, open loop.

  bench/overload.py                      # 3x capacity for 60 s (the issue's figure)
  bench/overload.py --factor 3 --duration 10 --workers 2
  bench/overload.py --url http://127.0.0.1:3000 --pid 1234   # an already running server

1. Capacity: a closed loop with WORKERS connections for --calibrate seconds (requests/s
   of the workload: a small photo to a 320-px JPEG through /api/v1/process).
2. Overload: requests are sent at factor x capacity on a fixed schedule whatever the
   answers (open loop: a slow server does not slow the offered load down), while a
   prober GETs /healthz every 100 ms and the server's RSS is sampled.

Prints: offered and answered rates, status counts, p50/p99 of accepted (200) and of
refused (503/429) answers, whether every refusal carried Retry-After, health-check
latency, RSS start/peak/end, and lost requests (sent but never answered). Exits 1 when
the acceptance checks fail: a lost request, a 5xx other than 503, a refusal without
Retry-After, a health-check p99 over 100 ms, a peak RSS over --max-rss-mb.
"""

import argparse
import asyncio
import sys
import time

import loadlib


def workload():
    files = loadlib.corpus_files({"photo-small"}, formats={"jpeg"})
    if not files:
        raise SystemExit("no photo-small JPEG in the corpus (%s)" % loadlib.CORPUS)
    with open(files[0][1], "rb") as f:
        body = f.read()
    return loadlib.build_request("POST", "/api/v1/process?width=320&format=jpeg&quality=80", body, "image/jpeg")


async def calibrate(server, raw, connections, seconds):
    pool = loadlib.Pool(server.host, server.port)
    done = []
    end = time.monotonic() + seconds

    async def loop():
        while time.monotonic() < end:
            done.append(await pool.request(raw))

    await asyncio.gather(*(loop() for _ in range(connections)))
    pool.close()
    ok = [r for r in done if r.status == 200]
    return len(ok) / seconds


async def health_prober(server, stop, latencies, failures):
    raw = loadlib.build_request("GET", "/healthz")
    pool = loadlib.Pool(server.host, server.port)
    while not stop.is_set():
        r = await pool.request(raw, timeout=10)
        if r.status == 200:
            latencies.append(r.latency)
        else:
            failures.append(r.status or r.error)
        try:
            await asyncio.wait_for(stop.wait(), 0.1)
        except asyncio.TimeoutError:
            pass
    pool.close()


async def overload(server, raw, rate, seconds):
    pool = loadlib.Pool(server.host, server.port, max_connections=4000)
    replies, tasks = [], []
    stop = asyncio.Event()
    health, health_failures = [], []
    prober = asyncio.create_task(health_prober(server, stop, health, health_failures))

    async def one():
        replies.append(await pool.request(raw, timeout=120))

    start = time.monotonic()
    sent = 0
    while True:
        now = time.monotonic() - start
        if now >= seconds:
            break
        due = int(now * rate) + 1
        while sent < due:
            tasks.append(asyncio.create_task(one()))
            sent += 1
        await asyncio.sleep(0.002)
    await asyncio.gather(*tasks)
    elapsed = time.monotonic() - start
    stop.set()
    await prober
    pool.close()
    return sent, replies, elapsed, health, health_failures, pool.stale_retries


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--factor", type=float, default=3.0)
    ap.add_argument("--duration", type=float, default=60.0)
    ap.add_argument("--calibrate", type=float, default=10.0)
    ap.add_argument("--workers", type=int, default=None, help="WORKERS for the started server (default: cores)")
    ap.add_argument("--queue-max", type=int, default=None, help="QUEUE_MAX for the started server")
    ap.add_argument("--max-rss-mb", type=float, default=1024.0, help="the stated RSS bound checked at the end")
    ap.add_argument("--exe", default=None)
    ap.add_argument("--url", default=None)
    ap.add_argument("--pid", type=int, default=None)
    args = ap.parse_args()

    env = {}
    if args.workers:
        env["WORKERS"] = args.workers
    if args.queue_max is not None:
        env["QUEUE_MAX"] = args.queue_max
    server = loadlib.Server(exe=args.exe, env=env, url=args.url, pid=args.pid)
    try:
        raw = workload()
        workers = args.workers or (loadlib.os.cpu_count() or 2)
        capacity = asyncio.run(calibrate(server, raw, workers, args.calibrate))
        if capacity <= 0:
            raise SystemExit("calibration answered nothing")
        rate = capacity * args.factor
        rss_start = server.rss_mb()
        sampler = loadlib.RssSampler(server, 0.25)
        sent, replies, elapsed, health, health_failures, stale = asyncio.run(overload(server, raw, rate, args.duration))
        sampler.stop()
        rss_end = server.rss_mb()
        alive = server.alive()
    finally:
        server.stop()

    ok = [r.latency for r in replies if r.status == 200]
    refused = [r for r in replies if r.status in (503, 429)]
    other_5xx = [r for r in replies if r.status >= 500 and r.status != 503]
    lost = sent - len([r for r in replies if r.status])
    summary = {
        "machine": loadlib.machine(),
        "capacity_rps": round(capacity, 1),
        "offered_rps": round(rate, 1),
        "duration_s": round(elapsed, 1),
        "sent": sent,
        "status_counts": loadlib.histogram(replies),
        "accepted_rps": round(len(ok) / elapsed, 1),
        "accepted_latency": loadlib.latency_summary(ok),
        "refused_latency": loadlib.latency_summary([r.latency for r in refused]),
        "refusals_with_retry_after": "%d/%d" % (sum(1 for r in refused if "retry-after" in r.headers), len(refused)),
        "lost_or_errored": lost,
        "stale_keepalive_retries": stale,
        "health_latency": loadlib.latency_summary(health),
        "health_failures": len(health_failures),
        "rss_mb": {"start": round(rss_start or 0, 1), "peak": round(sampler.peak() or 0, 1), "end": round(rss_end or 0, 1)},
        "server_alive": alive,
    }
    loadlib.print_summary("overload %.1fx for %.0f s" % (args.factor, args.duration), summary)
    problems = []
    if lost:
        problems.append("%d requests lost or errored" % lost)
    if other_5xx:
        problems.append("%d 5xx answers other than 503" % len(other_5xx))
    if any("retry-after" not in r.headers for r in refused):
        problems.append("refusals without Retry-After")
    h99 = loadlib.percentile(health, 99)
    if h99 is None or h99 > 0.1:
        problems.append("health-check p99 %s ms over 100 ms" % loadlib.ms(h99))
    if (sampler.peak() or 0) > args.max_rss_mb:
        problems.append("peak RSS over %.0f MB" % args.max_rss_mb)
    return loadlib.verdict(problems, alive)


if __name__ == "__main__":
    sys.exit(main())
