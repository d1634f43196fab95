"""Integration-test harness for pixmill: starts the real server on a loopback port
and speaks HTTP to it, using only the Python standard library.

Environment:
  PIXMILL_EXE     the pixmill binary (default: <repo>/build/pixmill)
  PIXMILL_CORPUS  a folder of test images with a MANIFEST.tsv (default: <repo>/tests/fixtures);
                  tests choose files by category, so a larger corpus runs the same tests
  PIXMILL_TEST_REQUEST_TIMEOUT  per-request client timeout in seconds (default 60)
  PIXMILL_TEST_OWNER  a marker file (set by ctest): every process started here holds it open,
                  so that integration.leftovers (leftovers.py) finds any a test forgot to stop

Tests stop what they start even when setUpClass/setUp skips or fails: register the stop
with addClassCleanup/addCleanup right after the start (ServerTestCase does). Every child
started here is also killed when the interpreter exits, as a last resort.
"""

import atexit
import csv
import http.client
import http.server
import json
import os
import signal
import socket
import struct
import subprocess
import threading
import time
import unittest
import urllib.parse
import uuid
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))

EXE = os.environ.get("PIXMILL_EXE") or os.path.join(REPO, "build", "pixmill")
FIXTURES = os.path.join(REPO, "tests", "fixtures")
CORPUS = os.environ.get("PIXMILL_CORPUS") or FIXTURES

# Generous: under AddressSanitizer the server is about three times slower, and the
# suite shares two cores with whatever else runs.
REQUEST_TIMEOUT = float(os.environ.get("PIXMILL_TEST_REQUEST_TIMEOUT", "60"))
STARTUP_TIMEOUT = 20.0

# Server settings inherited from the caller's environment are dropped: each test says
# what it needs.
SERVER_SETTINGS = (
    "HOST", "PORT", "WORKERS", "IO_THREADS", "QUEUE_MAX", "MAX_UPLOAD_MB", "MAX_PIXELS", "MAX_FRAMES",
    "REQUEST_TIMEOUT_MS", "HEADER_TIMEOUT_MS", "BODY_TIMEOUT_MS", "SHUTDOWN_GRACE_MS", "MAX_CONNECTIONS",
    "RATE_LIMIT_PER_MINUTE", "CORS_ORIGINS", "API_KEYS", "SVG_TIMEOUT_MS", "SVG_MAX_MEMORY_MB",
    "VIPS_CONCURRENCY", "LOG_LEVEL", "APP_ENV", "FETCH_ENABLED", "FETCH_ALLOW_PRIVATE", "FETCH_ALLOW_HTTP",
    "FETCH_ALLOW_HOSTS", "FETCH_DENY_HOSTS", "FETCH_ALLOW_CIDRS", "FETCH_MAX_REDIRECTS", "FETCH_TIMEOUT_MS", "FETCH_MAX_MB",
    "FETCH_WORKERS", "CACHE_MAX_AGE", "MODEL_PATH", "MODEL_FULL_URL", "MODEL_QUANTIZED_URL", "MODEL_CACHE_DIR",
    "MODEL_FETCH_TIMEOUT_MS", "HUGGINGFACE_TOKEN",
    "AI_RATE_LIMIT_PER_MINUTE", "KEYS_FILE", "REDIS_URL", "REDIS_TIMEOUT_MS", "RATE_LIMIT_FAIL_MODE", "SIGNING_KEYS",
    "TRUST_PROXY",
    "MODEL_PRELOAD", "MODEL_INPUT_SIZE", "MODEL_NORMALIZE", "AI_WORKERS", "AI_QUEUE_MAX", "AI_THREADS",
    "MODEL", "AI_BACKEND", "FACE_MODEL_PATH", "FACE_MIN_SCORE", "FACE_MAX_SIDE",
    "IMGPROXY_PATH_PREFIX", "THUMBOR_PATH_PREFIX", "CLOUDFLARE_PATH_PREFIX", "IMGPROXY_KEY", "IMGPROXY_SALT",
    "IMGPROXY_SIGNATURE_SIZE", "IMGPROXY_PRESETS", "IMGPROXY_TTL", "IMGPROXY_AUTO_WEBP", "IMGPROXY_AUTO_AVIF", "IMGPROXY_AUTO_JXL",
    "THUMBOR_SECURITY_KEY", "IMAGOR_SECRET", "IMAGOR_SIGNER_TYPE", "IMAGOR_SIGNER_TRUNCATE", "AUTO_WEBP",
    "IMAGOR_AUTO_WEBP", "IMAGOR_AUTO_AVIF", "CLIENT_HINTS", "IMGPROXY_ENABLE_CLIENT_HINTS", "SOURCE_BASE_URL",
    "SOURCE_DIR", "RESULT_CACHE_MB", "RESULT_CACHE_DIR", "RESULT_CACHE_DISK_MB", "RESULT_CACHE_TTL",
)

BASE_ENV = {
    "HOST": "127.0.0.1",
    "PORT": "0",
    "RATE_LIMIT_PER_MINUTE": "0",
    "AI_RATE_LIMIT_PER_MINUTE": "0",
}


_sanitized = None


def binary_is_sanitized():
    """True when PIXMILL_EXE was built with AddressSanitizer or ThreadSanitizer. Its SVG
    sandbox cannot work there: RLIMIT_AS is far below the address space the sanitizer
    reserves for its shadow memory."""
    global _sanitized
    if _sanitized is None:
        import mmap
        try:
            with open(EXE, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
                _sanitized = m.find(b"__asan_init") >= 0 or m.find(b"__tsan_init") >= 0
        except (OSError, ValueError):
            _sanitized = False
    return _sanitized


# ------------------------------------------------------------------- child processes

_children = []

# The marker every child holds open: an inherited descriptor survives exec and the
# setproctitle of nginx and redis-server (which overwrite argv and environ), and is what
# leftovers.py looks for.
_marker = {"path": None, "fd": None}


def set_process_marker(path):
    """Children started from now on hold `path` open (None: no marker). Returns the
    previous marker's path."""
    previous = _marker["path"]
    if _marker["fd"] is not None:
        os.close(_marker["fd"])
    _marker["path"], _marker["fd"] = None, None
    if path:
        fd = os.open(path, os.O_RDONLY | os.O_CREAT, 0o644)
        os.set_inheritable(fd, True)
        _marker["path"], _marker["fd"] = os.path.realpath(path), fd
    return previous


def marker_fds():
    """For Popen(pass_fds=...): the marker descriptor, if there is one."""
    return () if _marker["fd"] is None else (_marker["fd"],)


set_process_marker(os.environ.get("PIXMILL_TEST_OWNER"))


def track_child(proc, stop=None):
    """Remembers a child process so that it is stopped when the interpreter exits if the
    test that started it did not (a last resort: tests stop what they start). `stop` is
    how to end it (default: SIGKILL and reap)."""
    _children.append((proc, stop))
    return proc


@atexit.register
def _stop_children():
    for proc, stop in reversed(_children):
        if proc.poll() is not None:
            continue
        try:
            if stop is not None:
                stop()
            if proc.poll() is None:
                proc.kill()
            proc.wait(timeout=10)
        except Exception:  # noqa: BLE001 - the interpreter is exiting; do what can be done
            pass


# --------------------------------------------------------------------------- server


class ServerProcess:
    """One `pixmill serve` child. Only this PID is ever signalled."""

    def __init__(self, **overrides):
        self.env_overrides = {k: str(v) for k, v in overrides.items()}
        self.proc = None
        self.host = "127.0.0.1"
        self.port = None
        self._lines = []  # every stdout line, raw text
        self._records = []  # stdout lines that parsed as JSON objects
        self._stderr = []
        self._undecodable = []  # stdout lines that were not valid UTF-8
        self._cond = threading.Condition()
        self._threads = []
        self._stdout_done = False

    # -- lifecycle

    def start(self, timeout=STARTUP_TIMEOUT):
        if not os.path.exists(EXE):
            raise unittest.SkipTest("pixmill binary not found: %s (set PIXMILL_EXE)" % EXE)
        env = dict(os.environ)
        # Configuration comes only from what the test says.
        for name in list(env):
            if name in SERVER_SETTINGS:
                del env[name]
        env.update(BASE_ENV)
        env.update(self.env_overrides)
        self.proc = track_child(subprocess.Popen([EXE, "serve"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                                 stderr=subprocess.PIPE, env=env, pass_fds=marker_fds()))
        for target, stream in ((self._read_stdout, self.proc.stdout), (self._read_stderr, self.proc.stderr)):
            t = threading.Thread(target=target, args=(stream,), daemon=True)
            t.start()
            self._threads.append(t)
        listening = self.wait_for_record(lambda r: r.get("msg") == "listening", timeout=timeout)
        if listening is None:
            self.kill()
            raise RuntimeError("pixmill did not report listening within %.0f s; stderr:\n%s" % (timeout, self.stderr_text()))
        self.port = int(listening["port"])
        self.host = listening.get("host", "127.0.0.1")
        return self

    def _read_stdout(self, stream):
        for raw in iter(stream.readline, b""):
            text = raw.decode("utf-8", "replace").rstrip("\r\n")
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                self._undecodable.append(text)
            record = None
            try:
                parsed = json.loads(text)
                if isinstance(parsed, dict):
                    record = parsed
            except ValueError:
                pass
            with self._cond:
                self._lines.append(text)
                if record is not None:
                    self._records.append(record)
                self._cond.notify_all()
        stream.close()
        with self._cond:
            self._stdout_done = True
            self._cond.notify_all()

    def _read_stderr(self, stream):
        for raw in iter(stream.readline, b""):
            with self._cond:
                self._stderr.append(raw.decode("utf-8", "replace"))
        stream.close()

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def terminate(self):
        """Sends SIGTERM (graceful shutdown) without waiting."""
        if self.running():
            self.proc.send_signal(signal.SIGTERM)

    def wait(self, timeout):
        """The exit status, or None if still running after `timeout` seconds."""
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def kill(self):
        if self.running():
            self.proc.kill()
        if self.proc is not None:
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
        self._join_readers()

    def stop(self, timeout=60):
        """SIGTERM, then wait; SIGKILL if it does not exit in time. Returns the exit status
        of the graceful stop, or None when it had to be killed."""
        if self.proc is None:
            return None
        if self.proc.poll() is not None:
            self._join_readers()
            return self.proc.returncode
        self.terminate()
        status = self.wait(timeout)
        if status is None:
            self.kill()
            return None
        self._join_readers()
        return status

    def _join_readers(self):
        for t in self._threads:
            t.join(timeout=5)

    # -- logs

    def records(self):
        with self._cond:
            return list(self._records)

    def stdout_lines(self):
        with self._cond:
            return list(self._lines)

    def undecodable_lines(self):
        with self._cond:
            return list(self._undecodable)

    def stderr_text(self):
        with self._cond:
            return "".join(self._stderr)

    def wait_for_record(self, predicate, timeout=10.0):
        deadline = time.monotonic() + timeout
        seen = 0
        with self._cond:
            while True:
                while seen < len(self._records):
                    record = self._records[seen]
                    seen += 1
                    if predicate(record):
                        return record
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._stdout_done:
                    return None
                self._cond.wait(min(remaining, 0.2))

    # -- HTTP

    def connection(self, timeout=REQUEST_TIMEOUT):
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def request(self, method, path, body=None, headers=None, timeout=REQUEST_TIMEOUT):
        conn = self.connection(timeout)
        try:
            return send(conn, method, path, body, headers)
        finally:
            conn.close()

    def get(self, path, headers=None, timeout=REQUEST_TIMEOUT):
        return self.request("GET", path, None, headers, timeout)

    def post_multipart(self, path, parts, headers=None, timeout=REQUEST_TIMEOUT):
        body, content_type = multipart(parts)
        h = {"Content-Type": content_type}
        h.update(headers or {})
        return self.request("POST", path, body, h, timeout)

    def post_raw(self, path, data, content_type="application/octet-stream", headers=None, timeout=REQUEST_TIMEOUT):
        h = {"Content-Type": content_type} if content_type else {}
        h.update(headers or {})
        return self.request("POST", path, data, h, timeout)

    def post_json(self, path, obj, headers=None, timeout=REQUEST_TIMEOUT):
        h = {"Content-Type": "application/json"}
        h.update(headers or {})
        return self.request("POST", path, json.dumps(obj).encode(), h, timeout)

    def raw_socket(self, timeout=REQUEST_TIMEOUT):
        s = socket.create_connection((self.host, self.port), timeout=timeout)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return s


class Response:
    def __init__(self, status, reason, headers, body, elapsed, will_close=None):
        self.status = status
        self.reason = reason
        self.headers = headers  # list of (name, value)
        self.body = body
        self.elapsed = elapsed
        self.will_close = will_close

    def header(self, name, default=None):
        lname = name.lower()
        for k, v in self.headers:
            if k.lower() == lname:
                return v
        return default

    def header_all(self, name):
        lname = name.lower()
        return [v for k, v in self.headers if k.lower() == lname]

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def image(self):
        return sniff_image(self.body)

    def __repr__(self):
        preview = self.body[:300] if self.header("content-type", "").startswith("application/json") else b"<%d bytes>" % len(self.body)
        return "<Response %d %r>" % (self.status, preview)


def send(conn, method, path, body=None, headers=None):
    """One request on an http.client connection (which may be kept alive)."""
    start = time.monotonic()
    conn.request(method, path, body=body, headers=headers or {})
    resp = conn.getresponse()
    data = resp.read()
    return Response(resp.status, resp.reason, resp.getheaders(), data, time.monotonic() - start, resp.will_close)


# ---------------------------------------------------------------- raw HTTP over a socket


def read_response(sock, head_request=False, timeout=REQUEST_TIMEOUT, buffer=b""):
    """Reads one HTTP/1.1 response from a socket. Returns (Response, leftover bytes).
    1xx interim responses are returned like any other (the caller decides)."""
    deadline = time.monotonic() + timeout
    data = buffer
    start = time.monotonic()

    def more():
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise socket.timeout("no complete response within %.0f s" % timeout)
        sock.settimeout(remaining)
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("connection closed before the response was complete")
        return chunk

    while b"\r\n\r\n" not in data:
        data += more()
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    version, status, *reason = lines[0].split(" ", 2)
    status = int(status)
    headers = []
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.append((name.strip(), value.strip()))
    resp = Response(status, reason[0] if reason else "", headers, b"", 0.0)
    if status < 200 or status in (204, 304) or head_request:
        resp.elapsed = time.monotonic() - start
        return resp, rest
    if (resp.header("transfer-encoding") or "").lower() == "chunked":
        body = b""
        while True:
            while b"\r\n" not in rest:
                rest += more()
            size_line, _, rest = rest.partition(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            while len(rest) < size + 2:
                rest += more()
            body += rest[:size]
            rest = rest[size + 2:]
            if size == 0:
                break
        resp.body = body
    elif resp.header("content-length") is not None:
        length = int(resp.header("content-length"))
        while len(rest) < length:
            rest += more()
        resp.body, rest = rest[:length], rest[length:]
    else:
        while True:
            try:
                rest += more()
            except ConnectionError:
                break
        resp.body, rest = rest, b""
    resp.elapsed = time.monotonic() - start
    return resp, rest


def request_head(method, path, headers, host="127.0.0.1"):
    lines = ["%s %s HTTP/1.1" % (method, path), "Host: %s" % host]
    lines += ["%s: %s" % (k, v) for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def socket_closed_by_peer(sock, timeout=5.0):
    """True when the peer closes (EOF or reset) within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            sock.settimeout(max(0.01, deadline - time.monotonic()))
            chunk = sock.recv(65536)
            if not chunk:
                return True
    except socket.timeout:
        return False
    except OSError:
        return True
    return False


# ------------------------------------------------------------------- multipart bodies

_CURL_TYPES = {
    ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif",
    ".svg": "image/svg+xml", ".txt": "text/plain", ".webp": "image/webp", ".avif": "image/avif",
    ".heic": "image/heic", ".heif": "image/heif", ".tif": "image/tiff", ".tiff": "image/tiff",
    ".bmp": "image/bmp",
}


def guess_type(filename):
    return _CURL_TYPES.get(os.path.splitext(filename)[1].lower(), "application/octet-stream")


class FilePart:
    def __init__(self, name, filename, data, content_type=None):
        self.name = name
        self.filename = filename
        self.data = data
        self.content_type = content_type or guess_type(filename)


def multipart(parts, boundary=None):
    """Builds a multipart/form-data body the way `curl -F` does.

    parts: a list (or dict) of (name, value) where value is str/bytes for a text field,
    or a FilePart for a file. Returns (body bytes, Content-Type header value)."""
    if isinstance(parts, dict):
        parts = list(parts.items())
    boundary = boundary or ("------------------------" + uuid.uuid4().hex[:22])
    out = []
    for item in parts:
        if isinstance(item, FilePart):
            name, value = item.name, item
        else:
            name, value = item
        out.append(b"--" + boundary.encode() + b"\r\n")
        if isinstance(value, FilePart):
            out.append(('Content-Disposition: form-data; name="%s"; filename="%s"\r\n' % (name, value.filename)).encode())
            out.append(("Content-Type: %s\r\n\r\n" % value.content_type).encode())
            out.append(value.data)
        else:
            out.append(('Content-Disposition: form-data; name="%s"\r\n\r\n' % name).encode())
            out.append(value if isinstance(value, bytes) else str(value).encode())
        out.append(b"\r\n")
    out.append(b"--" + boundary.encode() + b"--\r\n")
    return b"".join(out), "multipart/form-data; boundary=" + boundary


# -------------------------------------------------------------------- image sniffing


class ImageInfo:
    def __init__(self, fmt, width, height, **extra):
        self.format = fmt
        self.width = width
        self.height = height
        self.progressive = extra.get("progressive")
        self.components = extra.get("components")  # JPEG colour components
        self.frames = extra.get("frames")  # GIF/WebP/AVIF-sequence animation frames
        self.delays_ms = extra.get("delays_ms")  # AVIF sequence: each frame's duration
        self.color_type = extra.get("color_type")  # PNG IHDR colour type
        self.has_exif = extra.get("has_exif")  # JPEG APP1 Exif segment present
        self.extra = extra

    def __repr__(self):
        return "<%s %dx%d %r>" % (self.format, self.width or 0, self.height or 0,
                                  {k: v for k, v in self.extra.items() if v is not None})


def sniff_image(data):
    """Format and dimensions from the bytes alone; None when not recognised."""
    if data[:3] == b"\xff\xd8\xff":
        return _sniff_jpeg(data)
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return _sniff_png(data)
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return _sniff_gif(data)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _sniff_webp(data)
    if data[4:8] == b"ftyp":
        return _sniff_isobmff(data)
    if data[:2] == b"\xff\x0a" or data[:12] == b"\x00\x00\x00\x0cJXL \r\n\x87\n":
        return _sniff_jxl(data)
    if data[:2] == b"BM" and len(data) >= 26:
        return _sniff_bmp(data)
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return _sniff_tiff(data)
    return None


def _sniff_jxl(data):
    """JPEG XL: the SizeHeader at the start of the codestream (naked, or in the
    container's jxlc box or first jxlp box), a bit stream read least significant bit first."""
    if data[:2] != b"\xff\x0a":
        at = 0
        while at + 8 <= len(data):
            size, kind = struct.unpack(">I4s", data[at:at + 8])
            if kind in (b"jxlc", b"jxlp"):
                body = at + 8 + (4 if kind == b"jxlp" else 0)
                return _sniff_jxl(data[body:])
            if size < 8:
                return None
            at += size
        return None
    bits = [(byte >> i) & 1 for byte in data[2:20] for i in range(8)]

    def read(pos, count):
        return sum(bits[pos + i] << i for i in range(count)), pos + count

    def dimension(pos, small):
        if small:
            value, pos = read(pos, 5)
            return (value + 1) * 8, pos
        selector, pos = read(pos, 2)
        value, pos = read(pos, (9, 13, 18, 30)[selector])
        return value + 1, pos

    small, pos = read(0, 1)
    height, pos = dimension(pos, small)
    ratio, pos = read(pos, 3)
    ratios = {1: (1, 1), 2: (12, 10), 3: (4, 3), 4: (3, 2), 5: (16, 9), 6: (5, 4), 7: (2, 1)}
    if ratio:
        num, den = ratios[ratio]
        width = height * num // den
    else:
        width, pos = dimension(pos, small)
    return ImageInfo("jxl", width, height)


def _sniff_jpeg(data):
    i = 2
    has_exif = False
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        (length,) = struct.unpack(">H", data[i + 2:i + 4])
        if marker == 0xE1 and data[i + 4:i + 10] == b"Exif\x00\x00":
            has_exif = True
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[i + 5:i + 9])
            components = data[i + 9]
            return ImageInfo("jpeg", width, height, progressive=marker in (0xC2, 0xC6, 0xCA),
                             components=components, has_exif=has_exif)
        if marker == 0xDA:  # start of scan before any frame header
            return None
        i += 2 + length
    return None


def _sniff_png(data):
    if data[12:16] != b"IHDR":
        return None
    width, height, bit_depth, color_type = struct.unpack(">IIBB", data[16:26])
    frames = None
    if b"acTL" in data[:4096]:
        pos = data.find(b"acTL")
        (frames,) = struct.unpack(">I", data[pos + 4:pos + 8])
    return ImageInfo("png", width, height, color_type=color_type, bit_depth=bit_depth, frames=frames)


def _sniff_gif(data):
    width, height, flags = struct.unpack("<HHB", data[6:11])
    i = 13
    if flags & 0x80:
        i += 3 * (2 << (flags & 7))
    frames = 0
    try:
        while i < len(data):
            b = data[i]
            if b == 0x3B:
                break
            if b == 0x21:
                i += 2
                while data[i] != 0:
                    i += data[i] + 1
                i += 1
            elif b == 0x2C:
                frames += 1
                lflags = data[i + 9]
                i += 10
                if lflags & 0x80:
                    i += 3 * (2 << (lflags & 7))
                i += 1  # LZW minimum code size
                while data[i] != 0:
                    i += data[i] + 1
                i += 1
            else:
                break
    except IndexError:
        pass
    return ImageInfo("gif", width, height, frames=frames)


def _sniff_webp(data):
    chunk = data[12:16]
    if chunk == b"VP8 ":
        if data[23:26] != b"\x9d\x01\x2a":
            return None
        w, h = struct.unpack("<HH", data[26:30])
        return ImageInfo("webp", w & 0x3FFF, h & 0x3FFF, lossless=False, frames=1)
    if chunk == b"VP8L":
        if data[20] != 0x2F:
            return None
        (bits,) = struct.unpack("<I", data[21:25])
        return ImageInfo("webp", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1, lossless=True, frames=1)
    if chunk == b"VP8X":
        flags = data[20]
        w = int.from_bytes(data[24:27], "little") + 1
        h = int.from_bytes(data[27:30], "little") + 1
        frames = 0
        pos = 12
        while pos + 8 <= len(data):
            name = data[pos:pos + 4]
            (size,) = struct.unpack("<I", data[pos + 4:pos + 8])
            if name == b"ANMF":
                frames += 1
            pos += 8 + size + (size & 1)
        return ImageInfo("webp", w, h, animated=bool(flags & 0x02), alpha=bool(flags & 0x10), frames=frames or 1)
    return None


def _boxes(data, start, end):
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack(">I4s", data[pos:pos + 8])
        header = 8
        if size == 1:
            (size,) = struct.unpack(">Q", data[pos + 8:pos + 16])
            header = 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            return
        yield kind.decode("latin-1"), pos + header, pos + size
        pos += size


def _sniff_isobmff(data):
    brands = set()
    for kind, body, end in _boxes(data, 0, len(data)):
        if kind == "ftyp":
            brands.add(data[body:body + 4].decode("latin-1"))
            for off in range(body + 8, end - 3, 4):
                brands.add(data[off:off + 4].decode("latin-1"))
            break
    if "avif" in brands or "avis" in brands:
        fmt = "avif"
    elif brands & {"heic", "heix", "mif1", "msf1", "heim", "heis"}:
        fmt = "heif"
    else:
        return None
    width = height = None
    primary = None
    properties = []
    associations = {}
    for kind, body, end in _boxes(data, 0, len(data)):
        if kind != "meta":
            continue
        for k2, b2, e2 in _boxes(data, body + 4, end):  # meta is a full box
            if k2 == "pitm":
                version = data[b2]
                primary = struct.unpack(">H" if version == 0 else ">I", data[b2 + 4:b2 + (6 if version == 0 else 8)])[0]
            elif k2 == "iprp":
                for k3, b3, e3 in _boxes(data, b2, e2):
                    if k3 == "ipco":
                        properties = list(_boxes(data, b3, e3))
                    elif k3 == "ipma":
                        version, flags = data[b3], int.from_bytes(data[b3 + 1:b3 + 4], "big")
                        (count,) = struct.unpack(">I", data[b3 + 4:b3 + 8])
                        p = b3 + 8
                        for _ in range(count):
                            if version < 1:
                                (item,) = struct.unpack(">H", data[p:p + 2])
                                p += 2
                            else:
                                (item,) = struct.unpack(">I", data[p:p + 4])
                                p += 4
                            n = data[p]
                            p += 1
                            idx = []
                            for _ in range(n):
                                if flags & 1:
                                    (v,) = struct.unpack(">H", data[p:p + 2])
                                    idx.append(v & 0x7FFF)
                                    p += 2
                                else:
                                    idx.append(data[p] & 0x7F)
                                    p += 1
                            associations[item] = idx
        break
    rotation = 0
    wanted = associations.get(primary) if primary is not None else None
    candidates = [properties[i - 1] for i in wanted if 0 < i <= len(properties)] if wanted else properties
    for kind, body, end in candidates:
        if kind == "ispe" and width is None:
            width, height = struct.unpack(">II", data[body + 4:body + 12])
        elif kind == "irot" and wanted:
            rotation = (data[body] & 3) * 90
    if width is not None and rotation in (90, 270):
        width, height = height, width
    frames, delays = _sequence_timing(data)
    return ImageInfo(fmt, width, height, brands=sorted(brands), frames=frames, delays_ms=delays)


def _sequence_timing(data):
    """An image sequence's frame count and durations (ms) from its first track's sample
    table (moov/trak/mdia: mdhd's timescale, stbl's stts); (1, None) for a still."""
    def child(start, end, name):
        return next(((b, e) for k, b, e in _boxes(data, start, end) if k == name), None)

    moov = child(0, len(data), "moov")
    trak = moov and child(*moov, "trak")
    mdia = trak and child(*trak, "mdia")
    mdhd = mdia and child(*mdia, "mdhd")
    stbl = mdia and child(*mdia, "minf")
    stbl = stbl and child(*stbl, "stbl")
    stts = stbl and child(*stbl, "stts")
    if not (mdhd and stts):
        return 1, None
    body = mdhd[0]
    timescale_at = body + (20 if data[body] == 1 else 12)  # after version/flags and the (long) times
    (timescale,) = struct.unpack(">I", data[timescale_at:timescale_at + 4])
    (entries,) = struct.unpack(">I", data[stts[0] + 4:stts[0] + 8])
    delays = []
    for i in range(entries):
        count, delta = struct.unpack(">II", data[stts[0] + 8 + 8 * i:stts[0] + 16 + 8 * i])
        delays += [round(delta * 1000 / timescale)] * count
    return len(delays), delays


def _sniff_bmp(data):
    (dib,) = struct.unpack("<I", data[14:18])
    if dib == 12:
        width, height = struct.unpack("<HH", data[18:22])
    elif dib >= 40:
        width, height = struct.unpack("<ii", data[18:26])
    else:
        return None
    (bpp,) = struct.unpack("<H", data[28:30]) if dib >= 40 else struct.unpack("<H", data[24:26])
    return ImageInfo("bmp", abs(width), abs(height), bits=bpp)


def _sniff_tiff(data):
    endian = "<" if data[:2] == b"II" else ">"
    (ifd,) = struct.unpack(endian + "I", data[4:8])
    (count,) = struct.unpack(endian + "H", data[ifd:ifd + 2])
    width = height = None
    for n in range(count):
        entry = data[ifd + 2 + 12 * n: ifd + 14 + 12 * n]
        tag, typ, cnt = struct.unpack(endian + "HHI", entry[:8])
        if typ == 3:
            (value,) = struct.unpack(endian + "H", entry[8:10])
        elif typ == 4:
            (value,) = struct.unpack(endian + "I", entry[8:12])
        else:
            continue
        if tag == 256:
            width = value
        elif tag == 257:
            height = value
    return ImageInfo("tiff", width, height)


# ------------------------------------------------------------------------- corpus


class CorpusFile:
    def __init__(self, row):
        self.file = row["file"]
        self.category = row["category"]
        self.format = row["format"]
        self.width = int(row["width"]) if row["width"].isdigit() else None
        self.height = int(row["height"]) if row["height"].isdigit() else None
        self.bytes = int(row["bytes"])
        self.path = os.path.join(CORPUS, self.file)

    @property
    def name(self):
        return os.path.basename(self.file)

    @property
    def stem(self):
        return os.path.splitext(self.name)[0]

    @property
    def pixels(self):
        return (self.width or 0) * (self.height or 0)

    def read(self):
        with open(self.path, "rb") as f:
            return f.read()

    def part(self, name="file"):
        return FilePart(name, self.name, self.read())

    def __repr__(self):
        return "<%s %s %sx%s>" % (self.file, self.category, self.width, self.height)


class Corpus:
    """The test images listed in MANIFEST.tsv, chosen by category, never by name."""

    def __init__(self, root=CORPUS):
        self.root = root
        manifest = os.path.join(root, "MANIFEST.tsv")
        if not os.path.exists(manifest):
            raise unittest.SkipTest("corpus manifest not found: %s (PIXMILL_CORPUS)" % manifest)
        with open(manifest, newline="", encoding="utf-8") as f:
            self.files = [CorpusFile(row) for row in csv.DictReader(f, delimiter="\t")]

    def category(self, *names, where=None):
        rows = [r for r in self.files if r.category in names and os.path.exists(r.path)]
        if where:
            rows = [r for r in rows if where(r)]
        return rows

    @property
    def is_fixtures(self):
        return os.path.abspath(self.root) == os.path.abspath(FIXTURES)

    def pick(self, *names, where=None, key=None):
        """The first file of the categories by `key` (default: fewest bytes). When there is
        none: a failure on the committed fixtures (they must cover every category a test
        needs), a skip on another corpus."""
        rows = self.category(*names, where=where)
        if not rows:
            message = "no file in categories %s matching the test's needs in %s" % (names, self.root)
            if self.is_fixtures:
                raise AssertionError(message)
            raise unittest.SkipTest(message)
        return min(rows, key=key or (lambda r: (r.bytes, r.file)))


_corpus = None


def corpus():
    global _corpus
    if _corpus is None:
        _corpus = Corpus()
    return _corpus


# ---------------------------------------------------------------- test base classes


# --------------------------------------------------------------------------- PNG
# The standard library has zlib but no PNG codec: images made at test time, and answers
# read back pixel by pixel (the five row filters undone here).



class LoopbackOrigin:
    """A small HTTP/1.1 server on 127.0.0.1 standing in for an upstream: image URLs,
    watermark URLs, the model proxy's download. `routes` maps a path (the query is
    ignored) to bytes, answered 200 with `content_type`, or to a function(path, headers)
    returning (status, body) or (status, body, {header: value}); `fallback` answers the
    paths `routes` lacks (default: 404 "not found"). It records each request's path and
    headers (`requests`), counts them per path (`count`) and counts accepted connections
    (`connections`); `delay` seconds are slept before each answer. Stop it with close()."""

    def __init__(self, routes=None, content_type="application/octet-stream", fallback=None):
        self.routes = dict(routes or {})
        self.content_type = content_type
        self.fallback = fallback
        self.requests = []
        self.connections = 0
        self.delay = 0.0
        self.lock = threading.Lock()
        origin = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def setup(self):
                with origin.lock:
                    origin.connections += 1
                super().setup()

            def do_GET(self):
                path = urllib.parse.urlparse(self.path).path
                with origin.lock:
                    origin.requests.append((path, self.headers))
                if origin.delay:
                    time.sleep(origin.delay)
                status, body, headers = origin.answer(path, self.headers)
                self.send_response(status)
                headers = dict(headers)
                headers.setdefault("Content-Type", origin.content_type)
                headers["Content-Length"] = str(len(body))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def answer(self, path, headers):
        route = self.routes.get(path, self.fallback)
        if route is None:
            return 404, b"not found", {"Content-Type": "text/plain"}
        if isinstance(route, (bytes, bytearray)):
            return 200, bytes(route), {}
        reply = route(path, headers)
        return reply if len(reply) == 3 else (reply[0], reply[1], {})

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def count(self, path):
        with self.lock:
            return sum(1 for p, _ in self.requests if p == path)

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def make_png(width, height, pixel):
    """An 8-bit RGB PNG; pixel(x, y) -> (r, g, b)."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)
        for x in range(width):
            rows.extend(pixel(x, y))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(rows), 6)) + chunk(b"IEND", b"")


class Pixels:
    def __init__(self, width, height, channels, data):
        self.width, self.height, self.channels, self.data = width, height, channels, data

    def at(self, x, y):
        i = (y * self.width + x) * self.channels
        px = self.data[i:i + self.channels]
        if self.channels < 3:
            return (px[0], px[0], px[0])
        return tuple(px[:3])


def read_png(data):
    """Decodes a non-interlaced 8-bit PNG (grey, grey+alpha, RGB, RGBA, palette)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, palette = 8, b"", None
    width = height = colour = 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and interlace == 0, "only 8-bit non-interlaced PNGs"
        elif kind == b"PLTE":
            palette = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour]
    raw = zlib.decompress(idat)
    stride = width * channels
    out = bytearray()
    prev = bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        out.extend(line)
        prev = line
    if colour == 3:
        rgb = bytearray()
        for index in out:
            rgb.extend(palette[index * 3:index * 3 + 3])
        return Pixels(width, height, 3, rgb)
    return Pixels(width, height, channels, out)



class ServerTestCase(unittest.TestCase):
    """One server shared by the test methods of a class."""

    server_env = {}
    server = None
    # Seconds to wait for "listening": more for a server that loads a model first.
    startup_timeout = STARTUP_TIMEOUT

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.corpus = corpus()
        server = ServerProcess(**cls.server_env)
        # Registered before anything else can fail: when a subclass's setUpClass skips or
        # raises after this, tearDownClass is not called but class clean-ups are.
        cls.addClassCleanup(server.kill)
        cls.server = server.start(timeout=cls.startup_timeout)

    @classmethod
    def tearDownClass(cls):
        server, cls.server = cls.server, None
        if server is not None:
            status = server.stop(timeout=60)
            if status != 0:
                raise AssertionError("server did not stop cleanly (exit status %r); stderr:\n%s" % (status, server.stderr_text()[-4000:]))
        super().tearDownClass()

    # -- assertions

    def assertImageResponse(self, resp, fmt, width=None, height=None, original=None):
        """A 200 image response whose headers agree with its body; returns the ImageInfo."""
        self.assertEqual(resp.status, 200, resp)
        self.assertEqual(resp.header("Content-Type"), "image/" + fmt)
        info = sniff_image(resp.body)
        self.assertIsNotNone(info, "body is not a recognisable image")
        self.assertEqual(info.format, fmt)
        self.assertEqual(int(resp.header("X-Output-Bytes")), len(resp.body))
        self.assertEqual(int(resp.header("X-Output-Width")), info.width)
        self.assertEqual(int(resp.header("X-Output-Height")), info.height)
        if width is not None:
            self.assertEqual(info.width, width, info)
        if height is not None:
            self.assertEqual(info.height, height, info)
        orig = int(resp.header("X-Original-Bytes"))
        if original is not None:
            self.assertEqual(orig, original)
        self.assertAlmostEqual(float(resp.header("X-Compression-Ratio")), orig / len(resp.body), delta=0.0051)
        self.assertIn(resp.header("X-Target-Met"), ("true", "false"))
        self.assertIn(resp.header("X-Resized"), ("true", "false"))
        self.assertGreaterEqual(int(resp.header("X-Iterations")), 1)
        self.assertGreaterEqual(int(resp.header("X-Processing-Time-Ms")), 0)
        self.assertTrue(resp.header("X-Request-Id"))
        return info

    def _assertJsonError(self, resp, status, code):
        """A JSON error body {"error": {"code", "message", ...}} with this status and code."""
        self.assertEqual(resp.status, status, resp)
        self.assertTrue(resp.header("Content-Type", "").startswith("application/json"), resp.headers)
        doc = resp.json()
        self.assertIsInstance(doc.get("error"), dict, doc)
        self.assertEqual(doc["error"].get("code"), code, doc)
        self.assertIsInstance(doc["error"].get("message"), str)
        self.assertTrue(doc["error"]["message"])
        return doc

    def assertFeatherError(self, resp, status, code, field=None):
        doc = self._assertJsonError(resp, status, code)
        if field is not None:
            self.assertEqual(doc["error"].get("details", {}).get("field"), field, doc)
        return doc

    def assertNativeError(self, resp, status, code, field=None):
        doc = self._assertJsonError(resp, status, code)
        if field is not None:
            self.assertEqual(doc["error"].get("field"), field, doc)
        return doc

    def assertPetiteError(self, resp, status=400):
        self.assertEqual(resp.status, status, resp)
        self.assertTrue(resp.header("Content-Type", "").startswith("application/json"), resp.headers)
        doc = resp.json()
        self.assertIsInstance(doc, dict, doc)
        self.assertEqual(list(doc.keys()), ["error"], doc)
        self.assertIsInstance(doc["error"], str, doc)
        self.assertTrue(doc["error"])
        return doc


def run_threads(functions, timeout=REQUEST_TIMEOUT * 2):
    """Runs callables concurrently; returns their results (an exception object on failure)."""
    results = [None] * len(functions)

    def wrap(i, fn):
        try:
            results[i] = fn()
        except BaseException as e:  # noqa: BLE001 - reported to the caller
            results[i] = e

    threads = [threading.Thread(target=wrap, args=(i, fn), daemon=True) for i, fn in enumerate(functions)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + timeout
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()))
    return results
