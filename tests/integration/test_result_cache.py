"""The result cache behind the URL grammars: hits without a fetch, 64 identical misses
in flight for one fetch (counted by the origin and by /metrics), a disk tier that
survives a restart, a cache folder that cannot be written (served anyway), and the
negotiation headers (Vary: Accept, client hints with Accept-CH)."""

import os
import shutil
import tempfile
import threading
import unittest

from grammar_support import GrammarTestCase, Origin, three_bands
from harness import ServerProcess, corpus, sniff_image


class CoalescingTest(GrammarTestCase):
    server_env = {"RESULT_CACHE_MB": "64", "FETCH_WORKERS": "16", "QUEUE_MAX": "256", "REQUEST_TIMEOUT_MS": "60000"}
    origin_files = {"/bands.png": three_bands(), "/other.png": three_bands(300, 150)}

    def test_64_identical_misses_cost_one_fetch(self):
        self.origin.delay = 0.5  # keep the first fetch in flight while the others arrive
        path = "/ip/insecure/rs:fill:200:100/plain/" + self.origin.url("/bands.png")
        fetches_before = self.metric("pixmill_grammar_source_fetches_total")
        statuses, sizes = [], []
        lock = threading.Lock()

        def one():
            resp = self.server.get(path, timeout=120)
            with lock:
                statuses.append(resp.status)
                sizes.append(len(resp.body))

        threads = [threading.Thread(target=one) for _ in range(64)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.origin.delay = 0
        self.assertEqual(statuses, [200] * 64)
        self.assertEqual(len(set(sizes)), 1)
        self.assertEqual(self.origin.count("/bands.png"), 1)
        self.assertEqual(self.metric("pixmill_grammar_source_fetches_total") - fetches_before, 1)
        self.assertGreater(self.metric("pixmill_result_cache_events_total", '{event="coalesced_wait"}'), 0)

    def test_a_hit_fetches_nothing_and_the_signature_is_not_in_the_key(self):
        url = "/rs:fit:90:90/plain/" + self.origin.url("/other.png")
        first = self.server.get("/ip/one-signature" + url)
        self.assertEqual(first.status, 200)
        hits = self.metric("pixmill_result_cache_events_total", '{event="hit"}')
        second = self.server.get("/ip/another-signature" + url)
        self.assertEqual(second.status, 200)
        self.assertEqual(second.body, first.body)
        self.assertEqual(self.origin.count("/other.png"), 1)
        self.assertEqual(self.metric("pixmill_result_cache_events_total", '{event="hit"}'), hits + 1)
        self.assertGreater(self.metric("pixmill_result_cache_bytes", '{tier="memory"}'), 0)


class DiskTierTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="pixmill-result-cache-")
        self.origin = Origin({"/bands.png": three_bands()})

    def tearDown(self):
        self.origin.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def serve(self, **env):
        return ServerProcess(FETCH_ALLOW_CIDRS="127.0.0.1/32", RATE_LIMIT_PER_MINUTE="0", **env).start()

    def test_disk_entries_survive_a_restart(self):
        path = "/cdn-cgi/image/width=77/" + self.origin.url("/bands.png")
        server = self.serve(RESULT_CACHE_MB="0", RESULT_CACHE_DIR=self.dir)
        try:
            first = server.get(path)
            self.assertEqual(first.status, 200)
        finally:
            self.assertEqual(server.stop(), 0)
        server = self.serve(RESULT_CACHE_MB="0", RESULT_CACHE_DIR=self.dir)
        try:
            again = server.get(path)
            self.assertEqual(again.status, 200)
            self.assertEqual(again.body, first.body)
            self.assertEqual(self.origin.count("/bands.png"), 1)
        finally:
            self.assertEqual(server.stop(), 0)

    def test_a_cache_folder_that_cannot_be_written_degrades_to_no_cache(self):
        blocker = os.path.join(self.dir, "not-a-folder")
        with open(blocker, "w") as f:
            f.write("x")
        server = self.serve(RESULT_CACHE_MB="0", RESULT_CACHE_DIR=os.path.join(blocker, "cache"))
        try:
            for _ in range(2):
                resp = server.get("/cdn-cgi/image/width=66/" + self.origin.url("/bands.png"))
                self.assertEqual(resp.status, 200)
            self.assertEqual(self.origin.count("/bands.png"), 2)
            self.assertTrue(server.wait_for_record(lambda r: r.get("msg") == "result_cache.disk_disabled", timeout=5))
        finally:
            self.assertEqual(server.stop(), 0)


class NegotiationTest(GrammarTestCase):
    server_env = {"IMGPROXY_AUTO_WEBP": "true", "CLIENT_HINTS": "true"}
    origin_files = {"/bands.png": three_bands()}

    def test_auto_webp_varies_on_accept(self):
        path = "/ip/x/w:100/plain/" + self.origin.url("/bands.png")
        webp = self.server.get(path, headers={"Accept": "image/webp,*/*"})
        png = self.server.get(path, headers={"Accept": "*/*"})
        self.assertEqual(webp.header("Content-Type"), "image/webp")
        self.assertEqual(png.header("Content-Type"), "image/png")
        self.assertIn("Accept", webp.header("Vary"))
        explicit = self.server.get("/ip/x/w:100/f:jpg/plain/" + self.origin.url("/bands.png"), headers={"Accept": "image/webp"})
        self.assertEqual(explicit.header("Content-Type"), "image/jpeg")

    def test_client_hints(self):
        resp = self.server.get("/ip/x/plain/" + self.origin.url("/bands.png"), headers={"Sec-CH-DPR": "2", "Sec-CH-Width": "300"})
        self.assertEqual(resp.status, 200)
        self.assertEqual(sniff_image(resp.body).width, 300)
        self.assertEqual(resp.header("Accept-CH"), "Sec-CH-DPR, Sec-CH-Width")
        self.assertIn("Sec-CH-Width", resp.header("Vary"))


class AutoJxlTest(GrammarTestCase):
    """IMGPROXY_AUTO_JXL: JPEG XL for a client whose Accept names it, except for an
    animation and a source over JXL_MAX_PIXELS, which take the next accepted format."""
    server_env = {"IMGPROXY_AUTO_JXL": "true", "IMGPROXY_AUTO_WEBP": "true", "JXL_MAX_PIXELS": "100000"}
    origin_files = {"/small.png": three_bands(300, 150), "/large.png": three_bands(600, 300),
                    "/anim.gif": corpus().pick("gif-animated").read()}

    def get(self, source, accept):
        resp = self.server.get("/ip/x/w:80/plain/" + self.origin.url(source), headers={"Accept": accept})
        self.assertEqual(resp.status, 200, resp.body[:200])
        self.assertIn("Accept", resp.header("Vary"))
        return resp, sniff_image(resp.body)

    def test_jxl_when_accept_names_it(self):
        resp, info = self.get("/small.png", "image/jxl,image/webp,*/*")
        self.assertEqual(resp.header("Content-Type"), "image/jxl")
        self.assertEqual((info.format, info.width), ("jxl", 80))

    def test_a_wildcard_is_not_jxl(self):
        resp, info = self.get("/small.png", "image/webp,*/*")
        self.assertEqual(info.format, "webp")
        resp, info = self.get("/small.png", "*/*")
        self.assertEqual(info.format, "png")

    def test_an_animation_is_never_jxl(self):
        resp, info = self.get("/anim.gif", "image/jxl,image/webp")
        self.assertEqual(info.format, "webp")
        self.assertGreater(info.frames, 1)
        resp, info = self.get("/anim.gif", "image/jxl")
        self.assertEqual(info.format, "gif")
        self.assertGreater(info.frames, 1)

    def test_over_jxl_max_pixels_takes_the_next_accepted_format(self):
        resp, info = self.get("/large.png", "image/jxl,image/webp")
        self.assertEqual((info.format, info.width), ("webp", 80))


class AutoAvifTest(GrammarTestCase):
    """IMGPROXY_AUTO_AVIF and Cloudflare format=auto: AVIF for a still whose client names
    it, never for an animation (it would lose its frames), and no acceptance at q=0."""
    server_env = {"IMGPROXY_AUTO_AVIF": "true", "IMGPROXY_AUTO_WEBP": "true"}
    origin_files = {"/small.png": three_bands(300, 150), "/anim.gif": corpus().pick("gif-animated").read()}

    def get(self, path, accept):
        resp = self.server.get(path, headers={"Accept": accept})
        self.assertEqual(resp.status, 200, resp.body[:200])
        self.assertIn("Accept", resp.header("Vary"))
        return sniff_image(resp.body)

    def imgproxy(self, source):
        return "/ip/x/w:80/plain/" + self.origin.url(source)

    def cloudflare(self, source):
        return "/cdn-cgi/image/format=auto,width=80/" + self.origin.url(source)

    def test_a_still_is_avif_when_accept_names_it(self):
        for path in (self.imgproxy("/small.png"), self.cloudflare("/small.png")):
            info = self.get(path, "image/avif,image/webp,*/*")
            self.assertEqual((info.format, info.width), ("avif", 80), path)

    def test_an_animation_keeps_its_frames(self):
        for path in (self.imgproxy("/anim.gif"), self.cloudflare("/anim.gif")):
            info = self.get(path, "image/avif,image/webp")
            self.assertEqual(info.format, "webp", path)
            self.assertGreater(info.frames, 1, path)
            info = self.get(path, "image/avif")
            self.assertEqual(info.format, "gif", path)
            self.assertGreater(info.frames, 1, path)

    def test_a_zero_weight_is_a_refusal(self):
        for path in (self.imgproxy("/small.png"), self.cloudflare("/small.png")):
            self.assertEqual(self.get(path, "image/avif;q=0,image/webp").format, "webp", path)
            self.assertEqual(self.get(path, "image/avif;q=0").format, "png", path)


class SourceDirTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="pixmill-sources-")
        os.makedirs(os.path.join(self.dir, "media"))
        with open(os.path.join(self.dir, "media", "bands.png"), "wb") as f:
            f.write(three_bands())
        with open(os.path.join(self.dir, "secret.txt"), "w") as f:
            f.write("secret")
        os.symlink(os.path.join(self.dir, "secret.txt"), os.path.join(self.dir, "media", "link.png"))
        self.server = ServerProcess(RATE_LIMIT_PER_MINUTE="0", SOURCE_DIR=os.path.join(self.dir, "media")).start()

    def tearDown(self):
        self.assertEqual(self.server.stop(), 0)
        shutil.rmtree(self.dir, ignore_errors=True)

    def test_local_sources_and_no_escape(self):
        ok = self.server.get("/thumbor/unsafe/50x0/bands.png")
        self.assertEqual(ok.status, 200, ok.body[:200])
        self.assertEqual(sniff_image(ok.body).width, 50)
        self.assertEqual(self.server.get("/ip/x/w:50/plain/local:///bands.png").status, 200)
        for escape in ("/thumbor/unsafe/50x0/..%2Fsecret.txt", "/thumbor/unsafe/50x0/link.png", "/ip/x/w:5/plain/local:///..%2Fsecret.txt"):
            resp = self.server.get(escape)
            self.assertIn(resp.status, (400, 403, 404), escape)
            self.assertNotIn(b"secret", resp.body)


if __name__ == "__main__":
    unittest.main()
