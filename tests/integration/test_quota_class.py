"""The access class of a request comes from its parsed recipe (issue 14 §3): every
spelling and placement of a flag that runs a model, in every dialect that can ask for
one, is metered in the AI bucket. With AI_RATE_LIMIT_PER_MINUTE=1 the first such
request of a client reports the AI limit (X-RateLimit-Limit: 1) and the second is a 429.

Each case is its own client (TRUST_PROXY and a distinct X-Forwarded-For), so the cases
do not share a bucket. The model paths point nowhere: a request that is admitted answers
503 quickly instead of running a model, which is all metering needs."""

import base64
import json
import os
import shutil
import subprocess
import tempfile
import unittest
import urllib.parse

from harness import EXE, FilePart, LoopbackOrigin, ServerTestCase, make_png

AI_LIMIT = "1"
CPU_LIMIT = "1000"


class QuotaClassTest(ServerTestCase):
    source_dir = tempfile.mkdtemp(prefix="pixmill-quota-class-")
    server_env = {
        "AI_RATE_LIMIT_PER_MINUTE": AI_LIMIT,
        "RATE_LIMIT_PER_MINUTE": CPU_LIMIT,
        "TRUST_PROXY": "127.0.0.1/32",
        "MODEL_PATH": "/nonexistent/model.onnx",
        "FACE_MODEL_PATH": "/nonexistent/faces.onnx",
        "FETCH_ALLOW_PRIVATE": "true",
        "FETCH_ALLOW_HTTP": "true",
        "SOURCE_DIR": source_dir,
    }
    next_client = [0]

    @classmethod
    def setUpClass(cls):
        cls.addClassCleanup(shutil.rmtree, cls.source_dir, True)
        cls.png = make_png(48, 40, lambda x, y: (x * 5, y * 6, 128))
        with open(os.path.join(cls.source_dir, "photo.png"), "wb") as f:
            f.write(cls.png)
        super().setUpClass()
        cls.origin = LoopbackOrigin({"/photo.png": cls.png}, content_type="image/png")
        cls.addClassCleanup(cls.origin.close)
        cls.image_url = cls.origin.url("/photo.png")

    def client(self):
        self.next_client[0] += 1
        return {"X-Forwarded-For": "203.0.113.%d" % self.next_client[0]}

    def assertMetered(self, send, expected_limit):
        """send(headers) twice as one client: the first names the bucket's limit, the second
        is refused when that bucket holds one request."""
        headers = self.client()
        first = send(headers)
        self.assertNotEqual(first.status, 429, first.body[:300])
        self.assertEqual(first.header("X-RateLimit-Limit"), expected_limit, "%r %r" % (first, first.body[:300]))
        second = send(headers)
        if expected_limit == AI_LIMIT:
            self.assertEqual(second.status, 429, second.body[:300])
            self.assertEqual(second.header("X-RateLimit-Limit"), AI_LIMIT)
        else:
            self.assertNotEqual(second.status, 429, second.body[:300])

    # -- native: the query, in every spelling the parser accepts

    def test_query_spellings(self):
        for query in ("removeBackground=true", "removeBackground=on", "removeBackground=TRUE", "removeBackground=1",
                      "removeBackground=yes", "removeBackground", "removeBackground=", "removeBg=true"):
            with self.subTest(query=query):
                self.assertMetered(lambda h: self.server.post_raw("/api/v1/process?" + query, self.png, "image/png", headers=h), AI_LIMIT)

    def test_query_false_is_cpu(self):
        for query in ("removeBackground=false", "removeBackground=off", "width=10"):
            with self.subTest(query=query):
                self.assertMetered(lambda h: self.server.post_raw("/api/v1/process?" + query, self.png, "image/png", headers=h), CPU_LIMIT)

    # -- native: the body, in each shape

    def test_multipart_field(self):
        for value in ("true", "on", "TRUE", ""):
            with self.subTest(value=value):
                parts = [("file", FilePart("file", "photo.png", self.png, "image/png")), ("removeBackground", value)]
                self.assertMetered(lambda h: self.server.post_multipart("/api/v1/process", parts, headers=h), AI_LIMIT)

    def test_json_body(self):
        for value in (True, "true", "on", 1):
            with self.subTest(value=value):
                body = {"image": base64.b64encode(self.png).decode(), "removeBackground": value}
                self.assertMetered(lambda h: self.server.post_json("/api/v1/process", body, headers=h), AI_LIMIT)

    def test_urlencoded_form(self):
        form = urllib.parse.urlencode({"image": base64.b64encode(self.png).decode(), "removeBackground": "true"}).encode()
        self.assertMetered(lambda h: self.server.post_raw("/api/v1/process", form, "application/x-www-form-urlencoded", headers=h), AI_LIMIT)

    def test_other_endpoints_and_ai_parameters(self):
        cases = [
            "/api/v1/resize?width=32&height=32&gravity=face",
            "/api/v1/resize?width=32&height=32&position=faces",
            "/api/v1/process?redactFaces=blur",
            "/api/v1/effects?redactFaces=pixelate",
            "/api/v1/preset/instagram-square?redactFaces=fill",
        ]
        for path in cases:
            with self.subTest(path=path):
                self.assertMetered(lambda h: self.server.post_raw(path, self.png, "image/png", headers=h), AI_LIMIT)

    def test_remove_bg_endpoint_is_always_ai(self):
        self.assertMetered(lambda h: self.server.post_raw("/api/v1/remove-bg", self.png, "image/png", headers=h), AI_LIMIT)

    # -- native: URL input, with the flag in the query and in a small body

    def test_url_input(self):
        q = urllib.parse.urlencode({"url": self.image_url, "removeBackground": "on"})
        self.assertMetered(lambda h: self.server.get("/api/v1/process?" + q, headers=h), AI_LIMIT)
        body = {"url": self.image_url, "removeBackground": True}
        self.assertMetered(lambda h: self.server.post_json("/api/v1/process", body, headers=h), AI_LIMIT)
        plain = urllib.parse.urlencode({"url": self.image_url, "width": "10"})
        self.assertMetered(lambda h: self.server.get("/api/v1/process?" + plain, headers=h), CPU_LIMIT)

    # -- the image facts: faces=true runs the detector

    def test_info_faces(self):
        self.assertMetered(lambda h: self.server.post_raw("/api/v1/info?faces=true", self.png, "image/png", headers=h), AI_LIMIT)
        parts = [("file", FilePart("file", "photo.png", self.png, "image/png")), ("faces", "on")]
        self.assertMetered(lambda h: self.server.post_multipart("/api/v1/info", parts, headers=h), AI_LIMIT)
        self.assertMetered(lambda h: self.server.post_raw("/api/v1/info", self.png, "image/png", headers=h), CPU_LIMIT)

    # -- the URL grammars

    def test_cloudflare_segment_foreground(self):
        self.assertMetered(lambda h: self.server.get("/cdn-cgi/image/segment=foreground/photo.png", headers=h), AI_LIMIT)
        self.assertMetered(lambda h: self.server.get("/cdn-cgi/image/width=10/photo.png", headers=h), CPU_LIMIT)

    # -- dialects that cannot ask for a model stay CPU

    def test_feather_and_petiteimg_are_cpu(self):
        parts = [("file", FilePart("file", "photo.png", self.png, "image/png")), ("removeBackground", "true")]
        self.assertMetered(lambda h: self.server.post_multipart("/api/compress", parts, headers=h), CPU_LIMIT)
        parts = [("file", FilePart("file", "photo.png", self.png, "image/png")), ("operations", json.dumps([]))]
        self.assertMetered(lambda h: self.server.post_multipart("/v1/process", parts, headers=h), CPU_LIMIT)


SIGNING_SECRET = "quota-class-signing-secret-0123456789"


class SignedQuotaClassTest(ServerTestCase):
    """A signed URL's AI flag is read after the signature is verified and its parameters
    (kid, exp, sig) stripped: the request counts in the signing key's AI bucket (the
    built-in plan "free": 60 CPU and 5 AI requests a minute)."""

    server_env = {
        "SIGNING_KEYS": "cdn:%s:free" % SIGNING_SECRET,
        "MODEL_PATH": "/nonexistent/model.onnx",
        "FACE_MODEL_PATH": "/nonexistent/faces.onnx",
        "FETCH_ALLOW_PRIVATE": "true",
        "FETCH_ALLOW_HTTP": "true",
    }

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.origin = LoopbackOrigin({"/p.png": make_png(32, 24, lambda x, y: (x * 7, y * 9, 60))}, content_type="image/png")
        cls.addClassCleanup(cls.origin.close)

    def signed(self, query):
        base = "http://127.0.0.1:%d%s" % (self.server.port, query)
        env = dict(os.environ, SIGNING_KEYS="cdn:%s:free" % SIGNING_SECRET)
        url = subprocess.run([EXE, "sign", base], env=env, capture_output=True, text=True, check=True, timeout=30).stdout.strip()
        return url[url.index("/api/"):]

    def test_signed_requests_are_classified_after_the_signature(self):
        image = urllib.parse.quote(self.origin.url("/p.png"), safe="")
        cases = [("/api/v1/process?url=%s&removeBackground=true" % image, "5"),
                 ("/api/v1/info?url=%s&faces=true" % image, "5"),
                 ("/api/v1/process?url=%s&width=10" % image, "60")]
        for query, limit in cases:
            with self.subTest(query=query):
                resp = self.server.get(self.signed(query))
                self.assertNotIn(resp.status, (401, 429), resp.body[:300])
                self.assertEqual(resp.header("X-RateLimit-Limit"), limit, resp.body[:300])


if __name__ == "__main__":
    unittest.main()
