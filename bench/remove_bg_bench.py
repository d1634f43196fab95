#!/usr/bin/env python3
"""Background-removal benchmark (not a test), two builds side by side in one run.

Starts build A (--base-exe, e.g. a build of the commit before the ONNX Runtime change)
and build B (PIXMILL_EXE, this tree) as two `pixmill serve` processes, each with one AI
worker and the model preloaded, and sends the same images to A and B in turn
(A B A B ...), never at once, so a shared machine's drift hits both alike. For each
image: the server's own inference time (pixmill_model_inference_seconds from
/metrics, which leaves out decoding and encoding) and the whole request, per build and
as the ratio A/B pair by pair. Then each server's peak RSS (VmHWM) and the IoU of each
build's cut-out of every bg-removal photo against the corpus' published cut-out.

  python3 bench/remove_bg_bench.py --base-exe build-base/out/pixmill [--runs N]
      [--base-env K=V ...] [--env K=V ...]         (PIXMILL_EXE, PIXMILL_CORPUS as for the tests)

Without --base-exe only B is measured.
"""
import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "integration"))
import harness  # noqa: E402
from harness import ServerProcess, corpus  # noqa: E402
from test_remove_bg import iou, png_alpha  # noqa: E402

TIMEOUT = 900


class BuildServer(ServerProcess):
    """A server of a given binary (the harness starts PIXMILL_EXE)."""

    def __init__(self, label, exe, **env):
        super().__init__(**env)
        self.label = label
        self.exe = exe

    def start(self, timeout=300):
        saved, harness.EXE = harness.EXE, self.exe
        try:
            return super().start(timeout=timeout)
        finally:
            harness.EXE = saved

    def peak_rss_mb(self):
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
        return float("nan")

    def inference_totals(self):
        """(seconds, count) summed over pixmill_model_inference_seconds."""
        resp = self.get("/metrics")
        total = count = 0.0
        for line in resp.body.decode().splitlines():
            if line.startswith("pixmill_model_inference_seconds_sum"):
                total += float(line.rsplit(" ", 1)[1])
            elif line.startswith("pixmill_model_inference_seconds_count"):
                count += float(line.rsplit(" ", 1)[1])
        return total, count

    def remove(self, path, data):
        before, _ = self.inference_totals()
        start = time.monotonic()
        resp = self.post_raw(path, data, "application/octet-stream", timeout=TIMEOUT)
        elapsed = time.monotonic() - start
        if resp.status != 200:
            raise SystemExit("%s: %s answered %d: %s" % (self.label, path, resp.status, resp.body[:200]))
        after, _ = self.inference_totals()
        return after - before, elapsed, resp


def env_pairs(pairs):
    return dict(p.split("=", 1) for p in pairs or [])


def median(values):
    return statistics.median(values) if values else float("nan")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-exe", help="build A (the baseline)")
    parser.add_argument("--base-env", nargs="*", help="extra settings for A")
    parser.add_argument("--env", nargs="*", help="extra settings for B")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="only the 1024x1024 case, no IoU (a loaded machine)")
    args = parser.parse_args()
    c = corpus()
    photos = c.category("photo-kodak", "photo-small", "photo-medium", "photo-large")
    big = max(photos, key=lambda r: r.width * r.height)
    common = {"REQUEST_TIMEOUT_MS": TIMEOUT * 1000, "AI_WORKERS": 1, "MODEL_PRELOAD": "true"}

    servers = []
    if args.base_exe:
        servers.append(BuildServer("A", args.base_exe, **common, **env_pairs(args.base_env)))
    servers.append(BuildServer("B", harness.EXE, **common, **env_pairs(args.env)))
    for s in servers:
        s.start()
    try:
        _, _, square = servers[-1].remove("/api/v1/resize?width=1024&height=1024&fit=fill&format=jpeg&quality=90", big.read())
        cases = [("1024x1024 JPEG", square.body), ("%s (%.1f MP)" % (big.file, big.width * big.height / 1e6), big.read())]
        if args.quick:
            cases = cases[:1]
        for s in servers:  # warm-up: first-inference allocations are not the steady state
            s.remove("/api/v1/remove-bg", cases[0][1])
        results = {}
        for name, data in cases:
            for _ in range(args.runs):
                for s in servers:
                    inference, request, _ = s.remove("/api/v1/remove-bg", data)
                    results.setdefault((name, s.label), []).append((inference, request))
        quality = {}
        for row in [] if args.quick else c.category("bg-removal"):
            refs = [r for r in c.category("bg-removal-reference") if r.file.split(".")[0] == row.file.rsplit(".", 1)[0]]
            if not refs:
                continue
            truth = png_alpha(refs[0].read())[2]
            for s in servers:
                _, _, resp = s.remove("/api/v1/remove-bg?format=png", row.read())
                quality[(row.file, s.label)] = iou(png_alpha(resp.body)[2], truth)
        rss = {s.label: s.peak_rss_mb() for s in servers}
    finally:
        for s in servers:
            s.stop()

    print("cores: %d, load average at the end: %s" % (os.cpu_count(), " ".join(open("/proc/loadavg").read().split()[:3])))
    for s in servers:
        print("%s = %s %s" % (s.label, s.exe, " ".join("%s=%s" % kv for kv in sorted(s.env_overrides.items()) if kv[0] not in common)))
    print("\nseconds, median of %d runs (min-max); A/B ratio pair by pair" % args.runs)
    for name, _ in cases:
        for s in servers:
            rows = results[(name, s.label)]
            inf = [r[0] for r in rows]
            req = [r[1] for r in rows]
            print("  %-34s %s: inference %.2f (%.2f-%.2f), request %.2f (%.2f-%.2f)" % (
                name, s.label, median(inf), min(inf), max(inf), median(req), min(req), max(req)))
        if len(servers) == 2:
            a, b = results[(name, "A")], results[(name, "B")]
            inf_ratio = [x[0] / y[0] for x, y in zip(a, b)]
            req_ratio = [x[1] / y[1] for x, y in zip(a, b)]
            print("  %-34s A/B: inference %.2fx (%.2f-%.2f), request %.2fx (%.2f-%.2f)" % (
                name, median(inf_ratio), min(inf_ratio), max(inf_ratio), median(req_ratio), min(req_ratio), max(req_ratio)))
    print("\npeak RSS (VmHWM) of the server, model loaded, after every run: " +
          ", ".join("%s %.0f MB" % (k, v) for k, v in rss.items()))
    if quality:
        print("\nIoU against the published cut-out (threshold 0.5):")
        for (file, label), score in sorted(quality.items()):
            print("  %-28s %s: %.4f" % (file, label, score))


if __name__ == "__main__":
    main()
