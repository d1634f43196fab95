"""No internal state in client-writable places (issue 14 §4): the URL a body was fetched
from travels in a typed field, so a client header cannot make an upload look fetched
(strong ETag, public caching); and every access-log line is one valid JSON object in
valid UTF-8 whatever the path holds (long, control characters, invalid UTF-8), with long
values cut, never the line."""

import json
import unittest

from harness import ServerProcess, make_png, read_response


class InternalStateTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        server = ServerProcess(LOG_LEVEL="info")
        cls.addClassCleanup(server.kill)
        cls.server = server.start()
        cls.png = make_png(24, 20, lambda x, y: (x * 9, y * 11, 70))

    def test_client_cannot_claim_a_fetched_url(self):
        headers = {"X-Pixmill-Fetched-Url": "https://cdn.example/photo.png"}
        resp = self.server.post_raw("/api/v1/process?width=12&format=png", self.png, "image/png", headers)
        self.assertEqual(resp.status, 200, resp.body[:200])
        self.assertIsNone(resp.header("ETag"))
        self.assertNotIn("public", resp.header("Cache-Control") or "")
        info = self.server.post_raw("/api/v1/info", self.png, "image/png", headers)
        self.assertEqual(info.status, 200, info.body[:200])
        self.assertNotIn("public", info.header("Cache-Control") or "")

    def test_access_log_lines_are_json_whatever_the_path(self):
        paths = [
            "/nope/" + "%01%22%5C" * 400,          # control characters, quotes, backslashes
            "/nope/" + "%FF%C3%28" * 300,          # invalid UTF-8 once decoded
            "/nope/" + "%C3%A9" * 700,             # valid multi-byte text, long
            "/api/v1/" + "a" * 6000,
        ]
        for path in paths:
            resp = self.server.get(path)
            self.assertEqual(resp.status, 404, path[:40])
        # Raw bytes above 0x7f in the request target itself.
        sock = self.server.raw_socket()
        try:
            sock.sendall(b"GET /nope/\xff\xfe\x01 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            read_response(sock)
        finally:
            sock.close()
        expected = len(paths)
        self.server.wait_for_record(lambda r: False, timeout=0.5)
        access = [r for r in self.server.records() if r.get("msg") == "request" and r.get("path", "").startswith(("/nope/", "/api/v1/a"))]
        self.assertGreaterEqual(len(access), expected, "access records missing: some line was not JSON")
        for record in access:
            # At most 512 bytes of the path are kept; each invalid byte becomes U+FFFD (3 bytes).
            self.assertLessEqual(len(record["path"].encode("utf-8")), 3 * 512 + 3)
            self.assertIn(record["status"], (400, 404))
            self.assertIn("requestId", record)
        for line in self.server.stdout_lines():
            self.assertIsInstance(json.loads(line), dict, line[:200])
        self.assertEqual(self.server.undecodable_lines(), [])


if __name__ == "__main__":
    unittest.main()
