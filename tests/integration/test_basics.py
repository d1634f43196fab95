"""Liveness, discovery routes, routing errors, request ids, HEAD, keep-alive, access log."""

import datetime
import unittest

from harness import ServerTestCase, read_response, request_head, send, socket_closed_by_peer


class HealthAndDiscoveryTest(ServerTestCase):
    # No local model either (the installed one is MODEL_PATH's default).
    server_env = {"MODEL_PATH": "/nonexistent/pixmill-test/model.onnx"}

    def test_healthz_answers_ok(self):
        resp = self.server.get("/healthz")
        self.assertEqual(resp.status, 200)
        self.assertTrue(resp.header("Content-Type").startswith("application/json"))
        self.assertEqual(resp.json(), {"status": "ok"})

    def test_feather_health_reports_version_env_and_iso_timestamp(self):
        resp = self.server.get("/api/health")
        self.assertEqual(resp.status, 200)
        doc = resp.json()
        self.assertIs(doc["ok"], True)
        self.assertIsInstance(doc["version"], str)
        self.assertTrue(doc["version"])
        self.assertIsInstance(doc["env"], str)
        stamp = doc["timestamp"]
        self.assertRegex(stamp, r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
        parsed = datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        now = datetime.datetime.now(datetime.timezone.utc)
        self.assertLess(abs((now - parsed).total_seconds()), 300)

    def test_feather_formats_lists_inputs_and_outputs(self):
        resp = self.server.get("/api/formats")
        self.assertEqual(resp.status, 200)
        doc = resp.json()
        self.assertEqual(doc["output"], ["jpeg", "png", "webp", "avif"])
        for fmt in ("jpeg", "png", "webp", "avif", "gif", "tiff", "heic"):
            self.assertIn(fmt, doc["input"])

    def test_feather_model_without_a_source_is_502(self):
        resp = self.server.get("/api/model")
        self.assertFeatherError(resp, 502, "MODEL_FETCH_FAILED")

    def test_petiteimg_health_answers_ok(self):
        resp = self.server.get("/v1/health")
        self.assertEqual(resp.status, 200)
        self.assertEqual(resp.json(), {"status": "ok"})

    def test_petiteimg_presets_are_grouped_with_documented_sizes(self):
        resp = self.server.get("/v1/presets")
        self.assertEqual(resp.status, 200)
        groups = resp.json()
        self.assertIsInstance(groups, list)
        self.assertEqual([g["group"] for g in groups], ["Social Media", "Google Ads", "Covers"])
        by_id = {}
        for g in groups:
            self.assertTrue(g["presets"], g)
            for p in g["presets"]:
                self.assertEqual(set(p), {"id", "name", "width", "height"}, p)
                self.assertNotIn(p["id"], by_id, "duplicate preset id")
                by_id[p["id"]] = (g["group"], p["width"], p["height"])
        expected = {
            "ig-post": ("Social Media", 1080, 1080),
            "ig-story": ("Social Media", 1080, 1920),
            "fb-post": ("Social Media", 1200, 630),
            "ad-leaderboard": ("Google Ads", 728, 90),
            "ad-med-rect": ("Google Ads", 300, 250),
            "og-image": ("Covers", 1200, 630),
            "podcast-cover": ("Covers", 3000, 3000),
        }
        for pid, want in expected.items():
            self.assertEqual(by_id.get(pid), want, pid)


class RoutingErrorTest(ServerTestCase):
    def test_unknown_path_outside_dialects_is_404_json(self):
        resp = self.server.get("/no/such/thing")
        self.assertNativeError(resp, 404, "NOT_FOUND")

    def test_unknown_feather_path_is_404_in_feather_shape(self):
        resp = self.server.get("/api/nope")
        self.assertFeatherError(resp, 404, "NOT_FOUND")

    def test_unknown_native_path_is_404_in_native_shape(self):
        resp = self.server.get("/api/v1/nope")
        self.assertNativeError(resp, 404, "NOT_FOUND")

    def test_unknown_petiteimg_path_is_404_in_petiteimg_shape(self):
        resp = self.server.get("/v1/nope")
        self.assertPetiteError(resp, 404)

    def test_wrong_method_on_feather_route_is_405(self):
        resp = self.server.get("/api/compress")
        self.assertFeatherError(resp, 405, "METHOD_NOT_ALLOWED")

    def test_wrong_method_on_native_route_is_405(self):
        resp = self.server.request("DELETE", "/api/v1/process")
        self.assertNativeError(resp, 405, "METHOD_NOT_ALLOWED")

    def test_wrong_method_on_petiteimg_route_is_405(self):
        resp = self.server.request("POST", "/v1/presets", b"", {"Content-Type": "application/json"})
        self.assertPetiteError(resp, 405)

    def test_wrong_method_on_healthz_is_405(self):
        resp = self.server.request("POST", "/healthz", b"")
        self.assertEqual(resp.status, 405)
        self.assertEqual(resp.json()["error"]["code"], "METHOD_NOT_ALLOWED")

    def test_malformed_percent_encoding_in_target_is_400(self):
        sock = self.server.raw_socket()
        try:
            sock.sendall(request_head("GET", "/api/v1/process?width=%zz", {"Connection": "close"}))
            resp, _ = read_response(sock)
        finally:
            sock.close()
        self.assertEqual(resp.status, 400)
        self.assertEqual(resp.json()["error"]["code"], "INVALID_INPUT")


class RequestIdTest(ServerTestCase):
    def test_generated_request_ids_are_present_and_unique(self):
        ids = set()
        for _ in range(5):
            resp = self.server.get("/healthz")
            rid = resp.header("X-Request-Id")
            self.assertTrue(rid)
            self.assertRegex(rid, r"^[A-Za-z0-9._-]{8,128}$")
            ids.add(rid)
        self.assertEqual(len(ids), 5)

    def test_plain_client_request_id_is_echoed(self):
        resp = self.server.get("/healthz", headers={"X-Request-Id": "client-abc_123.x"})
        self.assertEqual(resp.header("X-Request-Id"), "client-abc_123.x")

    def test_unsafe_client_request_id_is_replaced(self):
        resp = self.server.get("/healthz", headers={"X-Request-Id": "evil id\"with quotes"})
        rid = resp.header("X-Request-Id")
        self.assertTrue(rid)
        self.assertNotEqual(rid, "evil id\"with quotes")
        self.assertRegex(rid, r"^[A-Za-z0-9._-]+$")

    def test_overlong_client_request_id_is_replaced(self):
        resp = self.server.get("/healthz", headers={"X-Request-Id": "a" * 500})
        self.assertTrue(resp.header("X-Request-Id"))
        self.assertNotEqual(resp.header("X-Request-Id"), "a" * 500)

    def test_error_responses_carry_request_id(self):
        for path, method in (("/nope", "GET"), ("/api/v1/process", "POST"), ("/v1/process", "POST"), ("/api/compress", "POST")):
            with self.subTest(path=path):
                resp = self.server.request(method, path, b"" if method == "POST" else None,
                                           {"X-Request-Id": "err-check-1"})
                self.assertGreaterEqual(resp.status, 400)
                self.assertEqual(resp.header("X-Request-Id"), "err-check-1")

    def test_access_log_records_each_request_as_json(self):
        resp = self.server.get("/api/formats", headers={"X-Request-Id": "log-check-42"})
        self.assertEqual(resp.status, 200)
        record = self.server.wait_for_record(lambda r: r.get("requestId") == "log-check-42", timeout=10)
        self.assertIsNotNone(record, "no access-log line for the request")
        self.assertEqual(record.get("method"), "GET")
        self.assertEqual(record.get("path"), "/api/formats")
        self.assertEqual(record.get("status"), 200)
        self.assertEqual(record.get("bytesOut"), len(resp.body))


class HeadAndKeepAliveTest(ServerTestCase):
    def test_head_healthz_has_headers_but_no_body(self):
        conn = self.server.connection()
        try:
            head = send(conn, "HEAD", "/healthz")
            self.assertEqual(head.status, 200)
            self.assertEqual(head.body, b"")
            self.assertEqual(int(head.header("Content-Length")), len(b'{"status":"ok"}'))
            self.assertTrue(head.header("X-Request-Id"))
            # No stray body bytes on the connection: the next response parses cleanly.
            follow = send(conn, "GET", "/healthz")
            self.assertEqual(follow.status, 200)
            self.assertEqual(follow.json(), {"status": "ok"})
        finally:
            conn.close()

    def test_head_presets_matches_get(self):
        get = self.server.get("/v1/presets")
        sock = self.server.raw_socket()
        try:
            sock.sendall(request_head("HEAD", "/v1/presets", {}))
            head, leftover = read_response(sock, head_request=True)
            self.assertEqual(head.status, 200)
            self.assertEqual(int(head.header("Content-Length")), len(get.body))
            self.assertEqual(head.header("Content-Type"), get.header("Content-Type"))
            self.assertEqual(leftover, b"")
        finally:
            sock.close()

    def test_head_on_unknown_path_is_404_without_body(self):
        conn = self.server.connection()
        try:
            resp = send(conn, "HEAD", "/api/v1/nope")
            self.assertEqual(resp.status, 404)
            self.assertEqual(resp.body, b"")
        finally:
            conn.close()

    def test_keep_alive_connection_serves_several_requests(self):
        small = self.corpus.pick("photo-small")
        conn = self.server.connection()
        try:
            first = send(conn, "GET", "/healthz")
            self.assertEqual(first.status, 200)
            local = conn.sock.getsockname()
            for i in range(3):
                resp = send(conn, "POST", "/api/v1/process?width=32&format=png", small.read(),
                            {"Content-Type": "application/octet-stream"})
                self.assertImageResponse(resp, "png", width=32)
                self.assertFalse(resp.will_close)
            last = send(conn, "GET", "/api/formats")
            self.assertEqual(last.status, 200)
            self.assertEqual(conn.sock.getsockname(), local, "the client had to reconnect")
        finally:
            conn.close()

    def test_keep_alive_survives_error_responses(self):
        conn = self.server.connection()
        try:
            bad = send(conn, "POST", "/api/v1/process?bogus=1", b"not an image", {"Content-Type": "image/jpeg"})
            self.assertEqual(bad.status, 400)
            missing = send(conn, "GET", "/api/v1/nope")
            self.assertEqual(missing.status, 404)
            local = conn.sock.getsockname()
            ok = send(conn, "GET", "/healthz")
            self.assertEqual(ok.status, 200)
            self.assertEqual(conn.sock.getsockname(), local)
        finally:
            conn.close()

    def test_connection_close_is_honoured(self):
        sock = self.server.raw_socket()
        try:
            sock.sendall(request_head("GET", "/healthz", {"Connection": "close"}))
            resp, leftover = read_response(sock)
            self.assertEqual(resp.status, 200)
            self.assertEqual((resp.header("Connection") or "").lower(), "close")
            self.assertTrue(socket_closed_by_peer(sock, timeout=5))
        finally:
            sock.close()

    def test_pipelined_requests_are_answered_in_order(self):
        sock = self.server.raw_socket()
        try:
            sock.sendall(request_head("GET", "/healthz", {"X-Request-Id": "pipe-1"}) +
                         request_head("GET", "/v1/health", {"X-Request-Id": "pipe-2"}) +
                         request_head("GET", "/api/formats", {"X-Request-Id": "pipe-3", "Connection": "close"}))
            rest = b""
            ids = []
            for _ in range(3):
                resp, rest = read_response(sock, buffer=rest)
                self.assertEqual(resp.status, 200)
                ids.append(resp.header("X-Request-Id"))
            self.assertEqual(ids, ["pipe-1", "pipe-2", "pipe-3"])
        finally:
            sock.close()


if __name__ == "__main__":
    unittest.main()
