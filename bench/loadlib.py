"""Shared pieces of the overload, slow-client and soak tools (Python stdlib only).

- Server: starts `pixmill serve` on a loopback port (or attaches to a running one by
  URL + PID) and samples its resident memory from /proc.
- Client: a minimal asyncio HTTP/1.1 client with a pool of keep-alive connections, so
  an open-loop generator can offer a fixed request rate whatever the server answers.
- Stats: percentiles and a status histogram, printed as one summary.
"""

import asyncio
import json
import os
import subprocess
import sys
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
# Images: PIXMILL_CORPUS (any folder with a MANIFEST.tsv, e.g. a larger corpus), else the
# repository's tests/fixtures.
CORPUS = os.environ.get("PIXMILL_CORPUS") or os.path.join(REPO, "tests", "fixtures")


# ---------------------------------------------------------------------- server


class Server:
    """A `pixmill serve` child on 127.0.0.1 (only this PID is ever signalled), or an
    existing server given by --url/--pid."""

    def __init__(self, exe=None, env=None, url=None, pid=None):
        self.proc = None
        self.stderr = []
        if url:
            parts = urllib.parse.urlsplit(url)
            self.host, self.port, self.pid = parts.hostname, parts.port, pid
            return
        exe = exe or os.environ.get("PIXMILL_EXE") or os.path.join(REPO, "build", "pixmill")
        full_env = dict(os.environ)
        full_env.update({"HOST": "127.0.0.1", "PORT": "0", "RATE_LIMIT_PER_MINUTE": "0", "LOG_LEVEL": "warn"})
        full_env.update({k: str(v) for k, v in (env or {}).items()})
        self.proc = subprocess.Popen([exe, "serve"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=full_env)
        self.pid = self.proc.pid
        threading.Thread(target=self._drain_stderr, daemon=True).start()
        deadline = time.monotonic() + 30
        self.host, self.port = "127.0.0.1", None
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if record.get("msg") == "listening":
                self.port = int(record["port"])
                break
        if self.port is None:
            self.stop()
            raise SystemExit("pixmill did not start: %s" % "".join(self.stderr)[-2000:])
        threading.Thread(target=self._drain_stdout, daemon=True).start()

    def _drain_stdout(self):
        for _ in iter(self.proc.stdout.readline, b""):
            pass

    def _drain_stderr(self):
        for line in iter(self.proc.stderr.readline, b""):
            self.stderr.append(line.decode("utf-8", "replace"))

    def alive(self):
        return self.proc is None or self.proc.poll() is None

    def rss_mb(self):
        """Resident memory of the server process now, in MB (None if unknown)."""
        if not self.pid:
            return None
        try:
            with open("/proc/%d/status" % self.pid) as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) / 1024.0
        except OSError:
            return None
        return None

    def stop(self):
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


class RssSampler:
    """Samples the server's RSS every `interval` seconds in a thread."""

    def __init__(self, server, interval=0.5):
        self.server, self.interval = server, interval
        self.samples = []  # (seconds since start, MB)
        self._stop = threading.Event()
        self._start = time.monotonic()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            mb = self.server.rss_mb()
            if mb is not None:
                self.samples.append((time.monotonic() - self._start, mb))
            self._stop.wait(self.interval)

    def stop(self):
        self._stop.set()
        self._thread.join()
        return self

    def peak(self):
        return max((mb for _, mb in self.samples), default=None)


# ---------------------------------------------------------------------- client


class Reply:
    __slots__ = ("status", "headers", "body_len", "latency", "error")

    def __init__(self, status=0, headers=None, body_len=0, latency=0.0, error=None):
        self.status, self.headers, self.body_len, self.latency, self.error = status, headers or {}, body_len, latency, error


def build_request(method, path, body=b"", content_type=None, host="127.0.0.1", extra=None):
    lines = ["%s %s HTTP/1.1" % (method, path), "Host: %s" % host]
    if body or method == "POST":
        lines.append("Content-Length: %d" % len(body))
    if content_type:
        lines.append("Content-Type: %s" % content_type)
    for k, v in (extra or {}).items():
        lines.append("%s: %s" % (k, v))
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


async def read_reply(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
    length = int(headers.get("content-length", "0"))
    if length:
        await reader.readexactly(length)
    return status, headers, length


class Pool:
    """Keep-alive connections to one server; a request takes an idle one or opens one."""

    def __init__(self, host, port, max_connections=2000):
        self.host, self.port = host, port
        self.idle = []
        self.open = 0
        self.max = max_connections
        self.stale_retries = 0  # reused connections the server had closed meanwhile

    # A connection idle at least this long may have been closed by the server's idle
    # timeout (HEADER_TIMEOUT_MS, 10 s by default) just as we reused it.
    STALE_AFTER_S = 5.0

    async def request(self, raw, timeout=120.0):
        reused = bool(self.idle) and time.monotonic() - self.idle[-1][2] >= self.STALE_AFTER_S
        reply = await self._request(raw, timeout)
        # Such a connection fails before any byte of an answer: like every HTTP client,
        # send the request again on a fresh connection. A connection closed sooner, or
        # after part of an answer, is reported as a failure.
        if reused and reply.error == "stale":
            self.stale_retries += 1
            reply = await self._request(raw, timeout, fresh=True)
        if reply.error == "stale":
            reply.error = "closed-before-answer"
        return reply

    async def _request(self, raw, timeout, fresh=False):
        start = time.monotonic()
        conn = self.idle.pop() if self.idle and not fresh else None
        try:
            if conn is None:
                if self.open >= self.max:
                    return Reply(error="client-pool-full", latency=0.0)
                self.open += 1
                conn = await asyncio.wait_for(asyncio.open_connection(self.host, self.port), timeout)
                conn = (conn[0], conn[1], time.monotonic())
            reader, writer = conn[0], conn[1]
            writer.write(raw)
            await writer.drain()
            status, headers, length = await asyncio.wait_for(read_reply(reader), timeout)
            if headers.get("connection", "").lower() == "close":
                writer.close()
                self.open -= 1
            else:
                self.idle.append((reader, writer, time.monotonic()))
            return Reply(status, headers, length, time.monotonic() - start)
        except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, ValueError, IndexError) as e:
            if conn is not None:
                try:
                    conn[1].close()
                except Exception:  # noqa: BLE001 - already broken
                    pass
            self.open -= 1
            if isinstance(e, asyncio.IncompleteReadError) and not e.partial:
                kind = "stale"
            elif isinstance(e, ConnectionResetError):
                kind = "stale"
            else:
                kind = "timeout" if isinstance(e, asyncio.TimeoutError) else type(e).__name__
            return Reply(error=kind, latency=time.monotonic() - start)

    def close(self):
        for _, writer, _ in self.idle:
            writer.close()
        self.idle = []


# ---------------------------------------------------------------------- stats


def percentile(values, p):
    if not values:
        return None
    values = sorted(values)
    k = min(len(values) - 1, max(0, int(round(p / 100.0 * (len(values) - 1)))))
    return values[k]


def ms(seconds):
    return None if seconds is None else round(seconds * 1000.0, 1)


def histogram(replies):
    counts = {}
    for r in replies:
        key = str(r.status) if r.status else "error:" + (r.error or "?")
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))


def latency_summary(latencies):
    return {"n": len(latencies), "p50_ms": ms(percentile(latencies, 50)), "p99_ms": ms(percentile(latencies, 99)),
            "max_ms": ms(max(latencies) if latencies else None)}


def machine():
    try:
        with open("/proc/loadavg") as f:
            load = f.read().split()[0]
    except OSError:
        load = "?"
    return {"cores": os.cpu_count(), "load1_end": load, "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


def verdict(problems, alive):
    """Prints the one-line RESULT every tool ends with; returns the exit status."""
    if not alive:
        problems.append("server died")
    print("RESULT: %s" % ("PASS" if not problems else "FAIL: " + "; ".join(problems)))
    return 0 if not problems else 1


def print_summary(title, summary):
    print("== %s" % title)
    for key, value in summary.items():
        print("  %-28s %s" % (key, json.dumps(value) if isinstance(value, (dict, list)) else value))
    sys.stdout.flush()


def corpus_files(categories, formats=None, max_bytes=None):
    """(category, path) of corpus files in these categories, from MANIFEST.tsv."""
    out = []
    manifest = os.path.join(CORPUS, "MANIFEST.tsv")
    with open(manifest, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            row = dict(zip(header, line.rstrip("\n").split("\t")))
            path = os.path.join(CORPUS, row["file"])
            if row["category"] not in categories or not os.path.exists(path):
                continue
            if formats and row["format"] not in formats:
                continue
            if max_bytes and int(row["bytes"]) > max_bytes:
                continue
            out.append((row["category"], path))
    return sorted(out)
