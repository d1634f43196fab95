#!/usr/bin/env python3
"""Slow clients: N slow-loris connections must not stop normal clients being served.

  bench/slowloris.py                         # 500 connections for 60 s
  bench/slowloris.py --connections 500 --duration 20
  bench/slowloris.py --url http://127.0.0.1:3000 --pid 1234

Half the attackers trickle a request head one byte at a time (never finishing it), the
other half send a complete head declaring a 1 MB body and trickle the body. Each
sends a byte every --interval seconds; when the server drops one (HEADER_TIMEOUT_MS /
BODY_TIMEOUT_MS) it reconnects at once, so N stay open. Meanwhile a normal client
processes a small image every 200 ms and a prober GETs /healthz every 100 ms.

Prints: attacker connections held (average), how many the server cut (timeouts doing
their job), normal requests ok/total with p50/p99, health latency, RSS start/peak/end.
Exits 1 when a normal request fails, its p99 exceeds --max-p99-ms, or the server dies.
"""

import argparse
import asyncio
import sys
import time

import loadlib


class Attack:
    def __init__(self):
        self.open = 0
        self.cut = 0
        self.open_samples = []


async def attacker(server, kind, interval, stop, attack):
    if kind == "head":
        payload = b"POST /api/v1/process HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 100000
    else:
        payload = (b"POST /api/v1/process HTTP/1.1\r\nHost: x\r\nContent-Type: image/jpeg\r\n"
                   b"Content-Length: 1048576\r\n\r\n" + b"\xff" * 1048576)
    while not stop.is_set():
        try:
            reader, writer = await asyncio.open_connection(server.host, server.port)
        except OSError:
            await asyncio.sleep(0.5)
            continue
        attack.open += 1
        try:
            at = 0
            if kind == "body":  # the whole head at once, then the body a byte at a time
                at = payload.index(b"\r\n\r\n") + 4
                writer.write(payload[:at])
            while not stop.is_set() and at < len(payload):
                writer.write(payload[at:at + 1])
                await writer.drain()
                at += 1
                try:
                    # The server closing the connection ends the wait early.
                    data = await asyncio.wait_for(reader.read(65536), interval)
                    if not data:
                        raise ConnectionResetError
                except asyncio.TimeoutError:
                    pass
        except (OSError, ConnectionResetError):
            attack.cut += 1
        finally:
            attack.open -= 1
            writer.close()


async def normal_client(server, raw, stop, replies):
    while not stop.is_set():
        pool = loadlib.Pool(server.host, server.port)  # a fresh connection each time: a new visitor
        replies.append(await pool.request(raw, timeout=30))
        pool.close()
        try:
            await asyncio.wait_for(stop.wait(), 0.2)
        except asyncio.TimeoutError:
            pass


async def prober(server, stop, latencies, failures):
    raw = loadlib.build_request("GET", "/healthz")
    while not stop.is_set():
        pool = loadlib.Pool(server.host, server.port)
        r = await pool.request(raw, timeout=10)
        pool.close()
        (latencies.append(r.latency) if r.status == 200 else failures.append(r.status or r.error))
        try:
            await asyncio.wait_for(stop.wait(), 0.1)
        except asyncio.TimeoutError:
            pass


async def run(server, connections, duration, interval, raw):
    stop = asyncio.Event()
    attack = Attack()
    attackers = [asyncio.create_task(attacker(server, "head" if i % 2 == 0 else "body", interval, stop, attack))
                 for i in range(connections)]
    await asyncio.sleep(min(5.0, duration / 4))  # let them connect
    replies, health, health_failures = [], [], []
    tasks = [asyncio.create_task(normal_client(server, raw, stop, replies)),
             asyncio.create_task(prober(server, stop, health, health_failures))]
    end = time.monotonic() + duration
    while time.monotonic() < end:
        attack.open_samples.append(attack.open)
        await asyncio.sleep(1.0)
    stop.set()
    await asyncio.gather(*tasks)
    for t in attackers:
        t.cancel()
    await asyncio.gather(*attackers, return_exceptions=True)
    return attack, replies, health, health_failures


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--connections", type=int, default=500)
    ap.add_argument("--duration", type=float, default=60.0)
    ap.add_argument("--interval", type=float, default=5.0, help="seconds between an attacker's bytes")
    ap.add_argument("--max-p99-ms", type=float, default=2000.0)
    ap.add_argument("--exe", default=None)
    ap.add_argument("--url", default=None)
    ap.add_argument("--pid", type=int, default=None)
    args = ap.parse_args()

    files = loadlib.corpus_files({"photo-small"}, formats={"jpeg"})
    with open(files[0][1], "rb") as f:
        raw = loadlib.build_request("POST", "/api/v1/process?width=320&format=webp", f.read(), "image/jpeg")
    server = loadlib.Server(exe=args.exe, url=args.url, pid=args.pid)
    try:
        rss_start = server.rss_mb()
        sampler = loadlib.RssSampler(server, 0.5)
        attack, replies, health, health_failures = asyncio.run(
            run(server, args.connections, args.duration, args.interval, raw))
        sampler.stop()
        rss_end = server.rss_mb()
        alive = server.alive()
    finally:
        server.stop()

    ok = [r.latency for r in replies if r.status == 200]
    held = attack.open_samples
    summary = {
        "machine": loadlib.machine(),
        "attackers": args.connections,
        "attackers_open_avg": round(sum(held) / len(held), 1) if held else 0,
        "attackers_open_min": min(held) if held else 0,
        "attacker_connections_cut": attack.cut,
        "normal_requests": "%d/%d ok" % (len(ok), len(replies)),
        "normal_status_counts": loadlib.histogram(replies),
        "normal_latency": loadlib.latency_summary(ok),
        "health_latency": loadlib.latency_summary(health),
        "health_failures": len(health_failures),
        "rss_mb": {"start": round(rss_start or 0, 1), "peak": round(sampler.peak() or 0, 1), "end": round(rss_end or 0, 1)},
        "server_alive": alive,
    }
    loadlib.print_summary("%d slow-loris connections for %.0f s" % (args.connections, args.duration), summary)
    problems = []
    if not replies or len(ok) != len(replies):
        problems.append("normal requests failed: %s" % loadlib.histogram(replies))
    p99 = loadlib.percentile(ok, 99)
    if p99 is None or p99 * 1000 > args.max_p99_ms:
        problems.append("normal p99 %s ms over %.0f ms" % (loadlib.ms(p99), args.max_p99_ms))
    if health_failures:
        problems.append("%d health checks failed" % len(health_failures))
    return loadlib.verdict(problems, alive)


if __name__ == "__main__":
    sys.exit(main())
