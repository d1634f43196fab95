"""Access control through HTTP: API keys and 401s in each dialect's shape, public routes,
per-minute limits (429 + Retry-After + X-RateLimit-*), the monthly image quota
(petiteimg's message), signed URLs, CORS preflights; and the same counters shared through
a real redis-server by two replicas, with fail-open/closed when Redis dies."""

import os
import shutil
import subprocess
import tempfile
import time
import unittest
import urllib.parse

from access_support import Redis, wait_for_fresh_minute, write_keys_file
from harness import EXE, BASE_ENV, SERVER_SETTINGS, LoopbackOrigin, ServerProcess, ServerTestCase, corpus, run_threads

SIGNING_SECRET = "cdn-secret-for-tests-0123456789"

PLANS = {
    "roomy": {"cpu_per_minute": 10000, "ai_per_minute": 10000, "images_per_month": 100000},
    "two_per_minute": {"cpu_per_minute": 2},
    "three_images": {"cpu_per_minute": 1000, "images_per_month": 3},
    "one_ai": {"cpu_per_minute": 1000, "ai_per_minute": 1},
    "small_uploads": {"cpu_per_minute": 1000, "max_upload_mb": 1},
}
KEYS = {
    "pm_main_key_for_tests": ("main", "roomy"),
    "pm_minute_key_for_tests": ("minute", "two_per_minute"),
    "pm_quota_key_for_tests": ("quota", "three_images"),
    "pm_ai_key_for_tests": ("ai", "one_ai"),
    "pm_ai_key_for_redaction": ("ai-redaction", "one_ai"),
    "pm_ai_key_for_face_crops": ("ai-face-crops", "one_ai"),
    "pm_small_key_for_tests": ("small", "small_uploads"),
}
MAIN = "pm_main_key_for_tests"


def image_origin(data):
    """A loopback origin answering every path with one small photo, for signed GET URLs (url=)."""
    return LoopbackOrigin(content_type="image/jpeg", fallback=lambda path, headers: (200, data))


def sign(url, expires=None, kid=None):
    env = dict(os.environ, SIGNING_KEYS="cdn:%s:roomy,old:%s-old:roomy" % (SIGNING_SECRET, SIGNING_SECRET))
    args = [EXE, "sign", url]
    if expires is not None:
        args += ["--expires", str(expires)]
    if kid:
        args += ["--kid", kid]
    return subprocess.run(args, env=env, capture_output=True, text=True, check=True, timeout=30).stdout.strip()


class KeyedAccessTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="pixmill-keys-")
        cls.addClassCleanup(shutil.rmtree, cls.tmp, ignore_errors=True)
        cls.server_env = {
            "KEYS_FILE": write_keys_file(cls.tmp, PLANS, KEYS),
            "SIGNING_KEYS": "cdn:%s:roomy,old:%s-old:roomy" % (SIGNING_SECRET, SIGNING_SECRET),
            "CORS_ORIGINS": "https://app.example",
            "FETCH_ALLOW_PRIVATE": "true",
            "WORKERS": "2",
        }
        super().setUpClass()
        cls.photo = corpus().pick("photo-small")
        cls.origin = image_origin(cls.photo.read())
        cls.addClassCleanup(cls.origin.close)

    def native(self, key=None, header="X-API-Key", path="/api/v1/resize?width=40"):
        h = {header: ("Bearer " + key if header == "Authorization" else key)} if key else {}
        return self.server.post_raw(path, self.photo.read(), "image/jpeg", headers=h)

    def feather(self, key=None):
        return self.server.post_multipart("/api/compress", [self.photo.part(), ("quality", "60")],
                                          headers={"X-API-Key": key} if key else {})

    def petite(self, key=None):
        return self.server.post_multipart("/v1/process", [self.photo.part()],
                                          headers={"Authorization": "Bearer " + key} if key else {})

    def test_401_in_each_dialects_shape(self):
        for key in (None, "pm_not_a_key"):
            r = self.native(key)
            self.assertNativeError(r, 401, "UNAUTHORIZED")
            self.assertEqual(r.header("WWW-Authenticate"), "Bearer")
            self.assertFeatherError(self.feather(key), 401, "UNAUTHORIZED")
            self.assertPetiteError(self.petite(key), 401)
        # The stored hash is not a key.
        from access_support import sha256_hex
        self.assertNativeError(self.native(sha256_hex(MAIN)), 401, "UNAUTHORIZED")

    def test_public_routes_stay_open(self):
        for path in ("/healthz", "/api/health", "/api/formats", "/v1/health", "/v1/presets"):
            r = self.server.get(path)
            self.assertEqual(r.status, 200, (path, r))
            self.assertIsNone(r.header("X-RateLimit-Limit"), path)

    def test_each_key_header_is_accepted(self):
        for header in ("Authorization", "X-API-Key", "X-RapidAPI-Key"):
            r = self.native(MAIN, header)
            self.assertEqual(r.status, 200, (header, r))
            self.assertEqual(r.header("X-RateLimit-Limit"), "10000")
            self.assertLess(int(r.header("X-RateLimit-Remaining")), 10000)
            self.assertGreater(int(r.header("X-RateLimit-Reset")), time.time())
        self.assertEqual(self.feather(MAIN).status, 200)
        self.assertEqual(self.petite(MAIN).status, 200)

    def test_per_minute_limit_gives_429_with_retry_after_in_each_shape(self):
        key = "pm_minute_key_for_tests"
        wait_for_fresh_minute()
        first, second = self.native(key), self.native(key)
        self.assertEqual((first.status, second.status), (200, 200))
        self.assertEqual([first.header("X-RateLimit-Remaining"), second.header("X-RateLimit-Remaining")], ["1", "0"])
        refusals = [(self.native(key), "native"), (self.feather(key), "feather"), (self.petite(key), "petite")]
        for r, dialect in refusals:
            if dialect == "native":
                self.assertNativeError(r, 429, "RATE_LIMIT_EXCEEDED")
            elif dialect == "feather":
                self.assertFeatherError(r, 429, "RATE_LIMIT_EXCEEDED")
            else:
                self.assertPetiteError(r, 429)
            self.assertTrue(1 <= int(r.header("Retry-After")) <= 60, r.headers)
            self.assertEqual(r.header("X-RateLimit-Limit"), "2")
            self.assertEqual(r.header("X-RateLimit-Remaining"), "0")
            self.assertEqual(int(r.header("X-RateLimit-Reset")), first_reset(first))

    def test_monthly_quota_is_counted_per_image_with_petiteimgs_message(self):
        key = "pm_quota_key_for_tests"
        # Each admitted image counts once; a request refused at admission (401, 429) costs nothing.
        self.assertPetiteError(self.petite("pm_wrong"), 401)
        remaining = []
        for _ in range(3):
            r = self.petite(key)
            self.assertEqual(r.status, 200, r)
            remaining.append(r.header("X-Quota-Remaining"))
        self.assertEqual(remaining, ["2", "1", "0"])
        spent = self.petite(key)
        doc = self.assertPetiteError(spent, 429)
        self.assertEqual(doc["error"], "Monthly API limit exceeded. Upgrade your plan for more capacity.")
        self.assertGreater(int(spent.header("Retry-After")), 0)
        self.assertEqual(spent.header("X-Quota-Limit"), "3")
        self.assertFeatherError(self.feather(key), 429, "QUOTA_EXCEEDED")

    def test_ai_work_has_its_own_bucket(self):
        key = "pm_ai_key_for_tests"
        wait_for_fresh_minute()
        # Both at once: admission decides before any work, so the second is refused inside
        # the same minute however long the first one's inference takes on a loaded machine
        # (one after the other, a slow inference let the second land in the next minute).
        answers = run_threads([lambda: self.native(key, path="/api/v1/remove-bg")] * 2)
        for answer in answers:
            self.assertNotIsInstance(answer, BaseException)
        refused = [a for a in answers if a.status == 429]
        self.assertEqual(len(refused), 1, answers)
        self.assertNativeError(refused[0], 429, "RATE_LIMIT_EXCEEDED")
        # 200 with a model, 503 MODEL_UNAVAILABLE without, 504 when slower than the time limit.
        (admitted,) = [a for a in answers if a.status != 429]
        self.assertEqual(admitted.header("X-RateLimit-Limit"), "1")
        self.assertEqual(self.native(key).status, 200)  # CPU work is unaffected

    def test_face_options_count_in_the_ai_bucket(self):
        for key, path in (("pm_ai_key_for_redaction", "/api/v1/resize?width=40&redactFaces=blur"),
                          ("pm_ai_key_for_face_crops", "/api/v1/resize?width=40&height=40&fit=fill&gravity=face")):
            # A key of its own per path, used by no other test: its AI bucket is full, and both
            # requests fall in one window unless the minute is nearly over (a detection under
            # ASan takes seconds).
            wait_for_fresh_minute(margin=20)
            first = self.native(key, path=path)
            self.assertNotEqual(first.status, 429, first)  # 200 with the models, 503 MODEL_UNAVAILABLE without
            self.assertEqual(first.header("X-RateLimit-Limit"), "1", path)
            self.assertNativeError(self.native(key, path=path), 429, "RATE_LIMIT_EXCEEDED")
            self.assertEqual(self.native(key).status, 200)  # CPU work is unaffected

    def test_plan_upload_limit(self):
        big = b"\xff\xd8" + b"\0" * (1 << 20)
        r = self.server.post_raw("/api/v1/resize?width=10", big, "image/jpeg", headers={"X-API-Key": "pm_small_key_for_tests"})
        self.assertNativeError(r, 413, "FILE_TOO_LARGE")

    def test_signed_urls(self):
        base = "http://127.0.0.1:%d/api/v1/process?url=%s&width=40" % (
            self.server.port, urllib.parse.quote("http://127.0.0.1:%d/p.jpg" % self.origin.port, safe=""))
        signed = sign(base)
        path = signed[signed.index("/api/"):]
        ok = self.server.get(path)
        self.assertImageResponse(ok, "jpeg", width=40)
        self.assertIsNotNone(ok.header("X-RateLimit-Limit"))  # counted against the signing key's plan
        # Rotation: the older live key signs too.
        self.assertEqual(self.server.get(sign(base, kid="old")[len("http://127.0.0.1:%d" % self.server.port):]).status, 200)
        self.assertNativeError(self.server.get(path.replace("width=40", "width=41")), 401, "UNAUTHORIZED")
        self.assertNativeError(self.server.get(path.replace("kid=cdn", "kid=zzz")), 401, "UNAUTHORIZED")
        self.assertNativeError(self.server.get(path[:-1] + ("0" if path[-1] != "0" else "1")), 401, "UNAUTHORIZED")
        short = sign(base, expires=1)
        time.sleep(2.1)
        doc = self.assertNativeError(self.server.get(short[short.index("/api/"):]), 401, "UNAUTHORIZED")
        self.assertIn("expired", doc["error"]["message"])

    def test_cors_preflight_on_every_route_and_exposed_headers(self):
        origin = {"Origin": "https://app.example", "Access-Control-Request-Method": "POST",
                  "Access-Control-Request-Headers": "authorization, x-api-key"}
        for route in self.server_routes():
            r = self.server.request("OPTIONS", route, headers=origin)
            self.assertEqual(r.status, 204, (route, r))
            self.assertEqual(r.header("Access-Control-Allow-Origin"), "https://app.example")
            self.assertIn("POST", r.header("Access-Control-Allow-Methods"))
            self.assertIn("authorization", r.header("Access-Control-Allow-Headers").lower())
        r = self.server.post_raw("/api/v1/resize?width=40", self.photo.read(), "image/jpeg",
                                 headers={"X-API-Key": MAIN, "Origin": "https://app.example"})
        exposed = r.header("Access-Control-Expose-Headers")
        for name in ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "X-Quota-Remaining", "Retry-After"):
            self.assertIn(name, exposed)
        # A refusal carries CORS headers too, so the page can read the 401.
        self.assertEqual(self.native().header("Access-Control-Allow-Origin"), None)  # no Origin sent
        r = self.server.post_raw("/api/v1/resize", b"x", "image/jpeg", headers={"Origin": "https://app.example"})
        self.assertEqual((r.status, r.header("Access-Control-Allow-Origin")), (401, "https://app.example"))

    @staticmethod
    def server_routes():
        return ["/healthz", "/api/health", "/api/formats", "/api/compress", "/api/convert", "/api/model",
                "/v1/process", "/v1/presets", "/v1/health", "/api/v1/process", "/api/v1/resize", "/api/v1/convert",
                "/api/v1/effects", "/api/v1/optimize", "/api/v1/remove-bg", "/api/v1/preset/ig-post"]


def first_reset(response):
    return int(response.header("X-RateLimit-Reset"))


class ConfigurationTest(unittest.TestCase):
    def start_failure(self, **overrides):
        env = {k: v for k, v in os.environ.items() if k not in SERVER_SETTINGS}
        env.update(BASE_ENV)
        env.update(overrides)
        p = subprocess.run([EXE, "serve"], env=env, capture_output=True, text=True, timeout=30)
        return p.returncode, p.stderr

    def test_bad_settings_stop_start_up_naming_them(self):
        with tempfile.TemporaryDirectory() as tmp:
            bad = os.path.join(tmp, "keys.json")
            with open(bad, "w") as f:
                f.write('{"keys": [{"name": "x", "plan": "pro", "sha256": "pm_plaintext"}]}')
            for overrides, name in (({"KEYS_FILE": bad}, "KEYS_FILE"), ({"KEYS_FILE": tmp + "/missing.json"}, "KEYS_FILE"),
                                    ({"REDIS_URL": "http://x"}, "REDIS_URL"), ({"SIGNING_KEYS": "a:short"}, "SIGNING_KEYS"),
                                    ({"TRUST_PROXY": "proxy.example"}, "TRUST_PROXY"),
                                    ({"RATE_LIMIT_FAIL_MODE": "maybe"}, "RATE_LIMIT_FAIL_MODE")):
                code, err = self.start_failure(**overrides)
                self.assertEqual(code, 2, (overrides, err))
                self.assertIn(name, err)

    def test_keys_new_prints_a_key_and_its_hash_once(self):
        from access_support import sha256_hex
        out = subprocess.run([EXE, "keys", "new", "--plan", "pro", "--name", "acme"], capture_output=True, text=True,
                             check=True, timeout=30).stdout
        key = out.splitlines()[0].split()[-1]
        self.assertTrue(key.startswith("pm_"))
        self.assertIn('"name": "acme", "plan": "pro", "sha256": "%s"' % sha256_hex(key), out)
        self.assertEqual(out.count(key), 1)
        bad = subprocess.run([EXE, "keys", "new", "--plan", "platinum"], capture_output=True, text=True, timeout=30)
        self.assertEqual(bad.returncode, 2)


class RedisSharedTest(unittest.TestCase):
    """Two replicas share one set of counters through a real redis-server."""

    @classmethod
    def setUpClass(cls):
        # Each clean-up is registered as soon as its thing exists: a failure or skip later
        # in setUpClass still stops everything started before it.
        cls.redis = Redis()
        cls.addClassCleanup(cls.redis.stop)
        cls.tmp = tempfile.mkdtemp(prefix="pixmill-keys-")
        cls.addClassCleanup(shutil.rmtree, cls.tmp, ignore_errors=True)
        keys_file = write_keys_file(cls.tmp, {"five": {"cpu_per_minute": 1000, "images_per_month": 5}},
                                    {"pm_shared_key": ("shared", "five"), "pm_other_key": ("other", "five")})
        common = {"KEYS_FILE": keys_file, "REDIS_URL": cls.redis.url, "WORKERS": "1", "REDIS_TIMEOUT_MS": "200"}
        cls.a = ServerProcess(**common)
        cls.addClassCleanup(cls.a.stop, timeout=30)
        cls.a.start()
        cls.b = ServerProcess(**common, RATE_LIMIT_FAIL_MODE="closed")
        cls.addClassCleanup(cls.b.stop, timeout=30)
        cls.b.start()
        cls.photo = corpus().pick("photo-small").read()

    def post(self, server, key):
        return server.post_raw("/api/v1/resize?width=32", self.photo, "image/jpeg", headers={"X-API-Key": key})

    def test_1_quota_is_shared_across_replicas(self):
        statuses = [self.post(s, "pm_shared_key").status for s in (self.a, self.b, self.a, self.b, self.a, self.b, self.a)]
        self.assertEqual(statuses, [200] * 5 + [429] * 2)
        counters = self.redis.counters("pixmill:q:*")
        self.assertEqual(sorted(counters.values()), [5])  # one key: refusals added nothing
        # Concurrent requests on both replicas for another key: exactly five get through.
        results = run_threads([lambda s=s: self.post(s, "pm_other_key").status for s in (self.a, self.b) * 6])
        self.assertEqual(sorted(results), [200] * 5 + [429] * 7)

    def test_2_dead_redis_fails_open_or_closed_quickly(self):
        self.redis.kill()
        for server, expected in ((self.a, 200), (self.b, 503)):
            for _ in range(3):  # the first hits a dead pooled connection, the rest the back-off
                start = time.monotonic()
                r = self.post(server, "pm_shared_key")
                elapsed = time.monotonic() - start
                self.assertEqual(r.status, expected, r)
                self.assertLess(elapsed, 5.0)  # never the request timeout
        closed = self.post(self.b, "pm_shared_key")
        self.assertEqual(closed.json()["error"]["code"], "SERVER_BUSY")
        self.assertEqual(closed.header("Retry-After"), "1")
        self.assertIn("rate-limit store unavailable", self.a.stderr_text())
        self.assertIn('"failMode":"closed"', self.b.stderr_text())


if __name__ == "__main__":
    unittest.main()
