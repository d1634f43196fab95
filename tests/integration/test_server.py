"""Transport and lifecycle behaviour: upload limits, Expect: 100-continue, slow clients,
many connections, graceful shutdown, a full work queue and request timeouts.
Each class configures its own server."""

import os
import select
import subprocess
import sys
import threading
import time
import unittest
import urllib.parse

from harness import (REQUEST_TIMEOUT, LoopbackOrigin, ServerProcess, ServerTestCase, corpus, multipart, read_response,
                     request_head, run_threads, send, sniff_image, socket_closed_by_peer)

MB = 1024 * 1024


def tiny_image():
    """The smallest decodable PNG or JPEG of the corpus: cheap to process anywhere."""
    return corpus().pick("grayscale", "png-interlaced", "photo-small",
                         where=lambda r: r.format in ("png", "jpeg") and r.width and r.pixels <= 128 * 128)


def large_photo():
    return corpus().pick("photo-large", "photo-medium", where=lambda r: r.format == "jpeg",
                         key=lambda r: (-r.pixels, r.bytes))


# Seconds of work from a few-KB upload: enlarge a tiny image and blur it.
HEAVY_SMALL_UPLOAD_WIDTH = 3000
HEAVY_SMALL_UPLOAD = "width=%d&blur=30&format=jpeg" % HEAVY_SMALL_UPLOAD_WIDTH


def post_raw_on_socket(server, path, data, extra_headers=None):
    sock = server.raw_socket()
    headers = {"Content-Type": "application/octet-stream", "Content-Length": str(len(data))}
    headers.update(extra_headers or {})
    sock.sendall(request_head("POST", path, headers) + data)
    return sock


class UploadLimitTest(ServerTestCase):
    server_env = {"MAX_UPLOAD_MB": 1}

    def oversize_head(self, path, content_type="image/jpeg", length=200 * MB, extra=None):
        headers = {"Content-Type": content_type, "Content-Length": str(length)}
        headers.update(extra or {})
        return request_head("POST", path, headers)

    def send_oversize(self, path, content_type="image/jpeg", extra=None):
        """Declares 200 MB, sends 4 KB, and reads the answer without sending more."""
        sock = self.server.raw_socket(timeout=15)
        try:
            start = time.monotonic()
            sock.sendall(self.oversize_head(path, content_type, extra=extra) + b"\xff" * 4096)
            resp, _ = read_response(sock, timeout=15)
            resp.elapsed = time.monotonic() - start
            closed = socket_closed_by_peer(sock, timeout=10)
        finally:
            sock.close()
        return resp, closed

    # Regression (fixed in the server): a declared Content-Length over MAX_UPLOAD_MB makes Beast's header read fail with
    # body_limit, and Session::on_header closes the socket on any error, so the client gets
    # no response at all (curl: "Empty reply from server") instead of 413.
    def test_declared_oversize_body_is_refused_before_it_is_sent(self):
        resp, closed = self.send_oversize("/api/v1/process?format=webp")
        self.assertNativeError(resp, 413, "FILE_TOO_LARGE")
        self.assertLess(resp.elapsed, 10.0)
        self.assertEqual((resp.header("Connection") or "").lower(), "close")
        self.assertTrue(resp.header("X-Request-Id"))
        self.assertTrue(closed, "the server should close the connection after refusing the body")

    # Regression (fixed in the server): same as above (declared Content-Length over the limit: connection closed, no answer).
    def test_declared_oversize_body_in_feather_shape(self):
        resp, _ = self.send_oversize("/api/compress", "multipart/form-data; boundary=xyz")
        self.assertFeatherError(resp, 413, "FILE_TOO_LARGE")

    # Regression (fixed in the server): same as above (declared Content-Length over the limit: connection closed, no answer).
    def test_declared_oversize_body_in_petiteimg_shape_is_400(self):
        resp, _ = self.send_oversize("/v1/process", "multipart/form-data; boundary=xyz")
        self.assertPetiteError(resp, 400)

    # Regression (fixed in the server): same as above (declared Content-Length over the limit: connection closed, no answer).
    def test_expect_continue_with_oversize_length_gets_413_not_100(self):
        sock = self.server.raw_socket(timeout=15)
        try:
            sock.sendall(self.oversize_head("/api/v1/process", extra={"Expect": "100-continue"}))
            resp, _ = read_response(sock, timeout=15)
        finally:
            sock.close()
        self.assertNativeError(resp, 413, "FILE_TOO_LARGE")

    def test_chunked_body_over_the_limit_is_413(self):
        sock = self.server.raw_socket(timeout=30)
        try:
            sock.sendall(request_head("POST", "/api/v1/process", {"Content-Type": "image/jpeg",
                                                                  "Transfer-Encoding": "chunked"}))
            chunk = b"\x00" * 65536
            try:
                for _ in range(40):  # 2.5 MB
                    sock.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
                sock.sendall(b"0\r\n\r\n")
            except OSError:
                pass  # the server may stop reading once it has answered
            resp, _ = read_response(sock, timeout=30)
        finally:
            sock.close()
        self.assertNativeError(resp, 413, "FILE_TOO_LARGE")

    # Regression (fixed in the server): same as above (declared Content-Length over the limit: connection closed, no answer).
    def test_multipart_upload_over_the_limit_is_413(self):
        src = tiny_image()
        resp = self.server.post_multipart("/api/compress", [src.part(), ("filler", "x" * (MB + 100 * 1024))])
        self.assertFeatherError(resp, 413, "FILE_TOO_LARGE")

    def test_body_under_the_limit_is_accepted(self):
        src = corpus().pick("photo-kodak", "photo-medium", "png-alpha",
                            where=lambda r: 0.4 * MB < r.bytes < 0.95 * MB, key=lambda r: (-r.bytes, r.file))
        resp = self.server.post_raw("/api/v1/process?width=64&format=png", src.read())
        self.assertImageResponse(resp, "png", width=64, original=src.bytes)

    def test_connection_still_serves_after_an_in_limit_request(self):
        src = tiny_image()
        conn = self.server.connection()
        try:
            first = send(conn, "POST", "/api/v1/process?format=png", src.read(), {"Content-Type": "image/png"})
            self.assertImageResponse(first, "png")
            second = send(conn, "GET", "/healthz")
            self.assertEqual(second.status, 200)
        finally:
            conn.close()


class ExpectContinueTest(ServerTestCase):
    def test_expect_100_continue_raw_upload(self):
        src = tiny_image()
        data = src.read()
        sock = self.server.raw_socket()
        try:
            sock.sendall(request_head("POST", "/api/v1/process?format=png&width=16",
                                      {"Content-Type": "application/octet-stream", "Content-Length": str(len(data)),
                                       "Expect": "100-continue"}))
            interim, rest = read_response(sock, timeout=15)
            self.assertEqual(interim.status, 100)
            sock.sendall(data)
            final, _ = read_response(sock, buffer=rest)
        finally:
            sock.close()
        self.assertImageResponse(final, "png", width=16, original=len(data))

    def test_expect_100_continue_multipart_upload(self):
        src = tiny_image()
        body, content_type = multipart([src.part(), ("outputFormat", "webp")])
        sock = self.server.raw_socket()
        try:
            sock.sendall(request_head("POST", "/api/compress", {"Content-Type": content_type,
                                                                "Content-Length": str(len(body)),
                                                                "Expect": "100-continue"}))
            interim, rest = read_response(sock, timeout=15)
            self.assertEqual(interim.status, 100)
            sock.sendall(body)
            final, _ = read_response(sock, buffer=rest)
        finally:
            sock.close()
        self.assertImageResponse(final, "webp", src.width, src.height)
        self.assertEqual(final.header("Content-Disposition"), 'attachment; filename="%s-compressed.webp"' % src.stem)


class SlowClientTest(ServerTestCase):
    # One I/O thread and one worker: a server that blocked on a slow client would stall.
    server_env = {"IO_THREADS": 1, "WORKERS": 1}

    TRICKLE_SECONDS = 6

    def test_slow_clients_do_not_block_other_requests(self):
        src = tiny_image()
        data = src.read()
        stop = threading.Event()
        results = {}

        def slow_headers():
            sock = self.server.raw_socket()
            try:
                head = request_head("GET", "/healthz", {"X-Request-Id": "slow-head"})
                for i in range(self.TRICKLE_SECONDS):
                    sock.sendall(head[i:i + 1])
                    time.sleep(1)
                sock.sendall(head[self.TRICKLE_SECONDS:])
                results["headers"], _ = read_response(sock)
            except Exception as e:  # noqa: BLE001
                results["headers"] = e
            finally:
                sock.close()

        def slow_body():
            sock = self.server.raw_socket()
            try:
                sock.sendall(request_head("POST", "/api/v1/process?format=png",
                                          {"Content-Type": "image/png", "Content-Length": str(len(data)),
                                           "X-Request-Id": "slow-body"}))
                for i in range(self.TRICKLE_SECONDS):
                    sock.sendall(data[i:i + 1])
                    time.sleep(1)
                sock.sendall(data[self.TRICKLE_SECONDS:])
                results["body"], _ = read_response(sock)
            except Exception as e:  # noqa: BLE001
                results["body"] = e
            finally:
                sock.close()

        threads = [threading.Thread(target=fn, daemon=True) for fn in (slow_headers, slow_body)]
        for t in threads:
            t.start()
        time.sleep(1.5)
        health = self.server.get("/healthz", timeout=10)
        process = self.server.post_raw("/api/v1/process?format=webp", data, "image/png", timeout=30)
        both_still_trickling = all(t.is_alive() for t in threads)
        stop.set()
        for t in threads:
            t.join(REQUEST_TIMEOUT)

        self.assertEqual(health.status, 200)
        self.assertLess(health.elapsed, 3.0)
        self.assertImageResponse(process, "webp", src.width, src.height)
        self.assertTrue(both_still_trickling, "the other requests had to wait for the slow clients")
        # The slow clients themselves are served once their bytes are in.
        self.assertNotIsInstance(results.get("headers"), Exception, results.get("headers"))
        self.assertEqual(results["headers"].status, 200)
        self.assertNotIsInstance(results.get("body"), Exception, results.get("body"))
        self.assertImageResponse(results["body"], "png", src.width, src.height, original=len(data))


class ManyConnectionsTest(ServerTestCase):
    CONNECTIONS = 200

    def test_200_concurrent_keep_alive_connections_are_served(self):
        conns = [self.server.connection(timeout=REQUEST_TIMEOUT) for _ in range(self.CONNECTIONS)]
        try:
            for c in conns:
                c.connect()
            # Every request is sent before any answer is read: all 200 are open and pending at once.
            for i, c in enumerate(conns):
                c.request("GET", "/healthz", headers={"X-Request-Id": "conn-%d" % i})
            for i, c in enumerate(conns):
                resp = c.getresponse()
                body = resp.read()
                self.assertEqual(resp.status, 200, i)
                self.assertEqual(body, b'{"status":"ok"}')
                self.assertEqual(resp.getheader("X-Request-Id"), "conn-%d" % i)
                self.assertFalse(resp.will_close)
            locals_before = [c.sock.getsockname() for c in conns]
            # A second round on the same sockets proves they were kept alive.
            for c in conns:
                c.request("GET", "/v1/health")
            for c in conns:
                resp = c.getresponse()
                resp.read()
                self.assertEqual(resp.status, 200)
            self.assertEqual([c.sock.getsockname() for c in conns], locals_before)
            # And some of them upload images concurrently.
            src = tiny_image()
            data = src.read()
            uploads = run_threads([
                (lambda c=c: send(c, "POST", "/api/v1/process?format=png", data, {"Content-Type": "image/png"}))
                for c in conns[:20]])
            for resp in uploads:
                self.assertNotIsInstance(resp, Exception, resp)
                self.assertImageResponse(resp, "png", src.width, src.height)
        finally:
            for c in conns:
                c.close()


class ShutdownTest(unittest.TestCase):
    def start(self, **env):
        server = ServerProcess(**env).start()
        self.addCleanup(server.kill)
        return server

    def test_sigterm_when_idle_exits_zero(self):
        server = self.start()
        self.assertEqual(server.get("/healthz").status, 200)
        start = time.monotonic()
        server.terminate()
        status = server.wait(30)
        self.assertEqual(status, 0, server.stderr_text()[-2000:])
        self.assertLess(time.monotonic() - start, 15)
        self.assertIsNotNone(server.wait_for_record(lambda r: r.get("msg") == "stopped", timeout=5))

    def test_sigterm_finishes_the_in_flight_request_then_exits_zero(self):
        # The request is held in flight by its origin, which answers only once the server
        # has logged that it is draining: the order of SIGTERM and the answer is fixed,
        # not left to how long the image work takes on this machine.
        src = tiny_image().read()
        gate = threading.Event()

        def gated(path, headers):
            gate.wait(REQUEST_TIMEOUT)
            return 200, src

        origin = LoopbackOrigin({"/gated.png": gated}, content_type="image/png")
        self.addCleanup(origin.close)
        self.addCleanup(gate.set)
        server = self.start(SHUTDOWN_GRACE_MS=120000, WORKERS=1, FETCH_ALLOW_PRIVATE="true", FETCH_ALLOW_HTTP="true")
        sock = server.raw_socket()
        try:
            path = "/api/v1/process?format=jpeg&width=40&url=" + urllib.parse.quote(origin.url("/gated.png"), safe="")
            sock.sendall(request_head("GET", path, {"X-Request-Id": "in-flight-1"}))
            deadline = time.monotonic() + REQUEST_TIMEOUT
            while origin.count("/gated.png") == 0 and time.monotonic() < deadline:
                time.sleep(0.02)
            self.assertEqual(origin.count("/gated.png"), 1, "the server never asked the origin")
            server.terminate()
            draining = server.wait_for_record(lambda r: r.get("msg") == "draining", timeout=REQUEST_TIMEOUT)
            self.assertIsNotNone(draining, server.stderr_text()[-2000:])
            self.assertEqual(draining["in_flight"], 1)
            gate.set()
            resp, _ = read_response(sock, timeout=REQUEST_TIMEOUT * 2)
        finally:
            sock.close()
        self.assertEqual(resp.status, 200, resp)
        self.assertEqual(resp.header("X-Request-Id"), "in-flight-1")
        info = sniff_image(resp.body)
        self.assertEqual(info.format, "jpeg")
        self.assertEqual(info.width, 40)
        self.assertEqual((resp.header("Connection") or "").lower(), "close")
        status = server.wait(60)
        self.assertEqual(status, 0, server.stderr_text()[-2000:])

    # Regression: a request used to count as in flight only once its whole body was
    # read, so SIGTERM during an upload reset that connection.
    def test_sigterm_during_an_upload_still_answers_it(self):
        server = self.start(SHUTDOWN_GRACE_MS=30000)
        src = tiny_image()
        data = src.read()
        half = len(data) // 2
        sock = server.raw_socket()
        try:
            sock.sendall(request_head("POST", "/api/v1/process?format=png",
                                      {"Content-Type": "image/png", "Content-Length": str(len(data))}) + data[:half])
            time.sleep(0.3)
            server.terminate()
            time.sleep(0.3)
            try:
                sock.sendall(data[half:])
                resp, _ = read_response(sock, timeout=REQUEST_TIMEOUT)
            except OSError as e:
                self.fail("the upload in progress was cut off by SIGTERM: %r" % e)
        finally:
            sock.close()
        self.assertEqual(resp.status, 200, resp)
        info = sniff_image(resp.body)
        self.assertIsNotNone(info)
        self.assertEqual((info.format, info.width, info.height), ("png", src.width, src.height))
        self.assertEqual(server.wait(30), 0)

    def test_listener_closes_after_sigterm(self):
        server = self.start()
        server.terminate()
        self.assertEqual(server.wait(30), 0)
        with self.assertRaises(OSError):
            server.raw_socket(timeout=5).close()

    # Regression (fixed in the server): a timed-out AVIF encode keeps its worker busy (libheif's encoder is not
    # interrupted), and Server::run() joins the worker pool after io.stop(), so SIGTERM
    # waits for that encode to end however small SHUTDOWN_GRACE_MS is.
    def test_sigterm_exit_is_bounded_by_the_shutdown_grace(self):
        server = self.start(SHUTDOWN_GRACE_MS=500, WORKERS=1)
        # An effort-9 AVIF of a 2 MP photo takes tens of seconds: well past the grace.
        src = corpus().pick("photo-medium", "photo-large", where=lambda r: r.format == "jpeg",
                            key=lambda r: (r.pixels, r.bytes))
        sock = post_raw_on_socket(server, "/api/v1/process?format=avif&effort=9", src.read())
        try:
            time.sleep(1.0)
            start = time.monotonic()
            server.terminate()
            status = server.wait(8)
            elapsed = time.monotonic() - start
        finally:
            sock.close()
        self.assertIsNotNone(status, "still running %.1f s after SIGTERM with SHUTDOWN_GRACE_MS=500" % elapsed)
        self.assertLess(elapsed, 6.0)


class QueueFullTest(ServerTestCase):
    server_env = {"WORKERS": 1, "QUEUE_MAX": 0, "SHUTDOWN_GRACE_MS": 60000}

    @staticmethod
    def answered(sock):
        return bool(select.select([sock], [], [], 0)[0])

    def make_busy(self, probe, then=None):
        """Occupies the only worker with a slow request, then repeats `probe` until it is
        refused as busy (on a loaded machine the slow request may take a moment to reach
        the worker, or a probe may get there first). Runs `then` while the slow request
        is still working. Returns (busy response, then's result or None, whether the slow
        request was still unanswered after `then`)."""
        src = tiny_image()
        for _ in range(5):
            sock = post_raw_on_socket(self.server, "/api/v1/process?" + HEAVY_SMALL_UPLOAD, src.read())
            busy = extra = None
            still_working = False
            try:
                while busy is None and not self.answered(sock):
                    resp = probe()
                    if resp.status == 503:
                        busy = resp
                        extra = then() if then else None
                        still_working = not self.answered(sock)
                    else:
                        self.assertEqual(resp.status, 200, resp)
                        time.sleep(0.05)
                heavy, _ = read_response(sock, timeout=REQUEST_TIMEOUT * 2)
            finally:
                sock.close()
            if busy is not None and heavy.status == 200:
                self.assertEqual(sniff_image(heavy.body).width, HEAVY_SMALL_UPLOAD_WIDTH)
                return busy, extra, still_working
        self.skipTest("could not observe a full queue on this machine")

    def tiny_native(self):
        src = tiny_image()
        return self.server.post_raw("/api/v1/process?format=png", src.read(), "image/png")

    def test_full_queue_answers_503_busy_with_retry_after(self):
        busy, _, _ = self.make_busy(self.tiny_native)
        self.assertNativeError(busy, 503, "SERVER_BUSY")
        self.assertGreaterEqual(int(busy.header("Retry-After")), 1)
        self.assertLess(busy.elapsed, 3.0)

    def test_full_queue_in_feather_and_petiteimg_shapes(self):
        src = tiny_image()
        feather, petite, still_working = self.make_busy(
            lambda: self.server.post_multipart("/api/compress", [src.part()]),
            then=lambda: self.server.post_multipart("/v1/process", [src.part()]))
        self.assertFeatherError(feather, 503, "SERVER_BUSY")
        self.assertTrue(feather.header("Retry-After"))
        if not still_working and petite.status == 200:
            self.skipTest("the slow request finished before the petiteimg probe")
        self.assertPetiteError(petite, 503)
        self.assertTrue(petite.header("Retry-After"))

    def test_concurrent_burst_gets_some_served_and_the_rest_503(self):
        data = tiny_image().read()
        results = run_threads([
            (lambda: self.server.post_raw("/api/v1/process?" + HEAVY_SMALL_UPLOAD, data, "image/png",
                                          timeout=REQUEST_TIMEOUT * 2)) for _ in range(4)])
        for r in results:
            self.assertNotIsInstance(r, Exception, r)
        served = [r for r in results if r.status == 200]
        busy = [r for r in results if r.status == 503]
        self.assertEqual(len(served) + len(busy), 4, [r.status for r in results])
        self.assertGreaterEqual(len(served), 1)
        if not busy:
            self.skipTest("the requests did not overlap on this machine")
        for r in busy:
            self.assertNativeError(r, 503, "SERVER_BUSY")
            self.assertTrue(r.header("Retry-After"))
            self.assertLess(r.elapsed, max(s.elapsed for s in served))

    def test_server_serves_again_after_being_busy(self):
        self.make_busy(self.tiny_native)
        # (The worker frees its slot just after its answer is sent; see SequentialCapacityTest.)
        src = tiny_image()
        for _ in range(20):
            resp = self.tiny_native()
            if resp.status != 503:
                break
            time.sleep(0.1)
        self.assertImageResponse(resp, "png", src.width, src.height)


class SequentialCapacityTest(ServerTestCase):
    server_env = {"WORKERS": 1, "QUEUE_MAX": 0}

    # Regression (fixed in the server): WorkerPool::run() decrements busy_ only after the task returns, and the task
    # posts its response to the I/O thread before returning; a client that sends its
    # next request as soon as it has the previous answer is refused with 503 SERVER_BUSY
    # although nothing else is running, whenever the worker thread is preempted in that
    # window (1-10% of requests with WORKERS=1 QUEUE_MAX=0 on a busy machine).
    def test_sequential_client_is_never_refused_as_busy(self):
        data = tiny_image().read()
        refused = 0
        # Busy CPUs make the window visible; the burners are this test's own children.
        burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"], stdin=subprocess.DEVNULL)
                   for _ in range(os.cpu_count() or 2)]
        try:
            conn = self.server.connection()
            try:
                for _ in range(1500):
                    resp = send(conn, "POST", "/api/v1/process?format=png", data, {"Content-Type": "image/png"})
                    self.assertIn(resp.status, (200, 503), resp)
                    if resp.status == 503:
                        refused += 1
                        break
            finally:
                conn.close()
        finally:
            for b in burners:
                b.kill()
                b.wait()
        self.assertEqual(refused, 0, "a lone sequential client was refused as busy")


class RequestTimeoutTest(ServerTestCase):
    server_env = {"REQUEST_TIMEOUT_MS": 200, "WORKERS": 1}

    def heavy_native(self):
        src = large_photo()
        return self.server.post_raw("/api/v1/process?format=jpeg&blur=100", src.read(), "image/jpeg")

    def test_heavy_work_answers_504_timeout(self):
        resp = self.heavy_native()
        self.assertNativeError(resp, 504, "TIMEOUT")
        self.assertLess(resp.elapsed, 10.0, "the 504 must come when the budget is spent, not when the work ends")

    def test_timeout_in_feather_shape(self):
        src = large_photo()
        resp = self.server.post_multipart("/api/compress", [src.part(), ("outputFormat", "png"), ("blur", "10")])
        self.assertFeatherError(resp, 504, "TIMEOUT")

    def test_server_keeps_answering_after_a_timeout(self):
        self.assertEqual(self.heavy_native().status, 504)
        health = self.server.get("/healthz")
        self.assertEqual(health.status, 200)
        self.assertLess(health.elapsed, 3.0)
        # The cancelled work stops at its next tile; allow it a moment under slow builds.
        src = tiny_image()
        for _ in range(5):
            resp = self.server.post_raw("/api/v1/process?format=png", src.read(), "image/png")
            if resp.status != 504:
                break
            time.sleep(0.5)
        self.assertImageResponse(resp, "png", src.width, src.height)

    def test_timed_out_connection_stays_usable(self):
        src = large_photo()
        conn = self.server.connection()
        try:
            first = send(conn, "POST", "/api/v1/process?format=jpeg&blur=100", src.read(), {"Content-Type": "image/jpeg"})
            self.assertEqual(first.status, 504)
            second = send(conn, "GET", "/healthz")
            self.assertEqual(second.status, 200)
        finally:
            conn.close()


class TimeoutReleasesWorkerTest(unittest.TestCase):
    # Regression (fixed in the server): when REQUEST_TIMEOUT_MS expires during an AVIF encode, the client gets its 504
    # but the worker keeps encoding until libheif finishes; with WORKERS=1 every request
    # behind it times out too (the deadline only stops libvips pixel pipelines).
    def test_worker_is_free_again_right_after_an_avif_timeout(self):
        server = ServerProcess(REQUEST_TIMEOUT_MS=200, WORKERS=1).start()
        self.addCleanup(server.kill)
        src = corpus().pick("photo-kodak", "photo-medium", key=lambda r: (r.pixels, r.bytes))
        heavy = server.post_raw("/api/v1/process?format=avif&effort=9", src.read(), "image/png")
        self.assertEqual(heavy.status, 504, heavy)
        tiny = tiny_image()
        resp = server.post_raw("/api/v1/process?format=png", tiny.read(), "image/png")
        self.assertEqual(resp.status, 200, resp)


if __name__ == "__main__":
    unittest.main()
