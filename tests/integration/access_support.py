"""Helpers for the access-control tests: keys files, a throw-away redis-server and nginx
on loopback ports in temporary folders (nothing system-wide is touched)."""

import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

from harness import marker_fds, track_child


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.05)
    return False


def sha256_hex(text):
    return hashlib.sha256(text.encode()).hexdigest()


def write_keys_file(folder, plans, keys):
    """keys: {plaintext: (name, plan)}; only the hashes reach the file."""
    path = os.path.join(folder, "keys.json")
    doc = {"plans": plans, "keys": [{"name": n, "plan": p, "sha256": sha256_hex(k)} for k, (n, p) in keys.items()]}
    with open(path, "w") as f:
        json.dump(doc, f)
    return path


def wait_for_fresh_minute(margin=8):
    """Per-minute tests must not straddle a window edge: wait when the minute is nearly over."""
    left = 60 - time.time() % 60
    if left < margin:
        time.sleep(left + 0.2)


class Redis:
    """A redis-server child on a free loopback port: no persistence, its own temp dir."""

    def __init__(self):
        self.binary = shutil.which("redis-server")
        if not self.binary:
            raise unittest.SkipTest("redis-server is not installed (scripts/install-deps.sh test installs it)")
        self.dir = tempfile.mkdtemp(prefix="pixmill-redis-")
        self.port = free_port()
        self.proc = track_child(subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", self.dir, "--protected-mode", "no", "--logfile", os.path.join(self.dir, "redis.log")],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, pass_fds=marker_fds()))
        if not wait_for_port(self.port):
            self.stop()
            raise AssertionError("redis-server did not start")

    @property
    def url(self):
        return "redis://127.0.0.1:%d" % self.port

    def command(self, *args):
        """One RESP command over a socket (no client library needed); returns the reply."""
        payload = b"*%d\r\n" % len(args) + b"".join(b"$%d\r\n%s\r\n" % (len(a.encode()), a.encode()) for a in args)
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as s:
            s.sendall(payload)
            return self._reply(s.makefile("rb"))

    def _reply(self, f):
        line = f.readline().rstrip(b"\r\n")
        kind, rest = line[:1], line[1:]
        if kind == b"$":
            n = int(rest)
            return None if n < 0 else f.read(n + 2)[:-2].decode()
        if kind == b"*":
            return [self._reply(f) for _ in range(int(rest))]
        if kind == b":":
            return int(rest)
        if kind == b"-":
            raise AssertionError("redis error: " + rest.decode())
        return rest.decode()

    def counters(self, pattern):
        """{key: int} for keys matching pattern (KEYS is fine on a test instance)."""
        return {n: int(self.command("GET", n)) for n in self.command("KEYS", pattern)}

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self):
        self.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


class Nginx:
    """nginx in front of replicas: a generated config under a temp prefix (-p), a loopback
    port, retries of connection failures like deploy/nginx/pixmill.conf."""

    def __init__(self, upstream_ports):
        self.binary = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
        if not self.binary:
            raise unittest.SkipTest("nginx is not installed (scripts/install-deps.sh test installs it)")
        self.dir = tempfile.mkdtemp(prefix="pixmill-nginx-")
        os.chmod(self.dir, 0o755)
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi", "logs"):
            os.makedirs(os.path.join(self.dir, sub))
            os.chmod(os.path.join(self.dir, sub), 0o777)  # workers may run as another user
        self.port = free_port()
        servers = "\n".join("    server 127.0.0.1:%d max_fails=1 fail_timeout=5s;" % p for p in upstream_ports)
        conf = """
worker_processes 1;
pid %(d)s/nginx.pid;
error_log %(d)s/logs/error.log warn;
events { worker_connections 512; }
http {
  access_log %(d)s/logs/access.log;
  client_body_temp_path %(d)s/body;
  proxy_temp_path %(d)s/proxy;
  fastcgi_temp_path %(d)s/fastcgi;
  uwsgi_temp_path %(d)s/uwsgi;
  scgi_temp_path %(d)s/scgi;
  upstream pixmill {
%(servers)s
    keepalive 16;
  }
  server {
    listen 127.0.0.1:%(port)d;
    client_max_body_size 30m;
    location / {
      proxy_pass http://pixmill;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_connect_timeout 1s;
      proxy_read_timeout 60s;
      proxy_next_upstream error timeout;
      proxy_next_upstream_tries 3;
    }
  }
}
""" % {"d": self.dir, "servers": servers, "port": self.port}
        self.conf = os.path.join(self.dir, "nginx.conf")
        with open(self.conf, "w") as f:
            f.write(conf)
        # Its own process group: nginx workers outlive a killed master, so a forced stop
        # signals the whole group.
        self.proc = track_child(
            subprocess.Popen([self.binary, "-p", self.dir, "-e", os.path.join(self.dir, "logs", "error.log"),
                              "-c", self.conf, "-g", "daemon off;"],
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             start_new_session=True, pass_fds=marker_fds()),
            stop=self.stop)
        if not wait_for_port(self.port):
            err = self.proc.stderr.read().decode() if self.proc.poll() is not None else ""
            self.stop()
            raise AssertionError("nginx did not start: " + err)

    def error_log(self):
        try:
            with open(os.path.join(self.dir, "logs", "error.log")) as f:
                return f.read()
        except OSError:
            return ""

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)  # workers left behind by a forced stop
            except (ProcessLookupError, PermissionError):
                pass
        shutil.rmtree(self.dir, ignore_errors=True)
