"""Structured logs: every stdout line is one JSON object, LOG_LEVEL applies to all of
them, and no key, query string or image byte ever reaches the logs, at any level."""

import base64
import json
import unittest

from harness import FilePart, ServerProcess, corpus

SECRET = "pk_live_DoNotLogThis_7f3a9c"
MARKER = b"PIXMILL-IMAGE-BYTES-MARKER-91c2"


class LoggingTest(unittest.TestCase):
    def run_server(self, level, exercise):
        server = ServerProcess(LOG_LEVEL=level, RATE_LIMIT_PER_MINUTE="0").start()
        try:
            exercise(server)
        finally:
            status = server.stop(timeout=60)
        self.assertEqual(status, 0, server.stderr_text()[-2000:])
        lines = server.stdout_lines()
        for line in lines:
            record = json.loads(line)  # every line is one JSON object
            self.assertIsInstance(record, dict, line)
            self.assertIn(record.get("level"), ("debug", "info", "warn", "error"), line)
            self.assertTrue(record.get("msg"), line)
        return server, [json.loads(line) for line in lines]

    def exercise(self, server):
        photo = corpus().pick("photo-small", "photo-medium", "photo-kodak", where=lambda r: r.format == "jpeg")
        data = photo.read()
        secret_headers = {"X-API-Key": SECRET, "Authorization": "Bearer " + SECRET, "Cookie": "session=" + SECRET}
        # Keys in headers and the query string; image bytes raw, in a form and as base64.
        resp = server.post_raw("/api/v1/process?width=32&format=png", data + MARKER, "image/jpeg", secret_headers)
        self.assertEqual(resp.status, 200)
        resp = server.post_multipart("/api/compress?api_key=" + SECRET, [FilePart("file", "x.jpg", data + MARKER)], headers=secret_headers)
        self.assertEqual(resp.status, 200)
        server.post_json("/api/v1/convert", {"image": base64.b64encode(data).decode(), "format": "webp", "key": SECRET},
                         headers=secret_headers)
        # Failures too: a non-image body, a bad parameter echoing the secret, an unknown route.
        bad = server.post_raw("/api/v1/process", MARKER * 40, "image/jpeg", secret_headers)
        self.assertEqual(bad.status, 415)
        server.get("/api/v1/process?url=http://127.0.0.1:9/" + SECRET, secret_headers)
        server.get("/nope?token=" + SECRET, secret_headers)
        return base64.b64encode(data)[1000:1064].decode()

    def assertNothingSecret(self, server, b64_chunk):
        everything = "\n".join(server.stdout_lines()) + server.stderr_text()
        self.assertNotIn(SECRET, everything)
        self.assertNotIn(MARKER.decode(), everything)
        self.assertNotIn(b64_chunk, everything)

    def test_debug_logs_everything_but_secrets(self):
        chunk = []
        server, records = self.run_server("debug", lambda s: chunk.append(self.exercise(s)))
        self.assertNothingSecret(server, chunk[0])
        msgs = [r["msg"] for r in records]
        self.assertIn("request.start", msgs)  # debug records are on
        access = [r for r in records if r["msg"] == "request"]
        self.assertEqual(len(access), 6)
        for r in access:
            self.assertTrue(r["requestId"])
            self.assertNotIn("?", r["path"])
        starts = [r for r in records if r["msg"] == "request.start"]
        self.assertTrue(any("x-api-key" in r["headers"] for r in starts))  # names, never values

    def test_info_has_access_lines_but_no_debug(self):
        chunk = []
        server, records = self.run_server("info", lambda s: chunk.append(self.exercise(s)))
        self.assertNothingSecret(server, chunk[0])
        levels = {r["level"] for r in records}
        self.assertNotIn("debug", levels)
        self.assertEqual(len([r for r in records if r["msg"] == "request"]), 6)

    def test_error_level_keeps_only_lifecycle_records(self):
        server, records = self.run_server("error", lambda s: self.exercise(s))
        msgs = [r["msg"] for r in records]
        self.assertEqual(msgs, ["listening", "draining", "stopped"])


if __name__ == "__main__":
    unittest.main()
