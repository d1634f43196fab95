"""/metrics parses as the Prometheus text format and moves with the traffic."""

import unittest

from harness import ServerTestCase

import sys

try:
    from prometheus_client.parser import text_string_to_metric_families
except ImportError:
    # Debian's python3-prometheus-client (scripts/install-deps.sh test) is installed for the
    # system interpreter; ctest may have found another one (pyenv). The parser is pure Python.
    sys.path.append("/usr/lib/python3/dist-packages")
    try:
        from prometheus_client.parser import text_string_to_metric_families
    except ImportError:
        text_string_to_metric_families = None


class Scraping:
    def scrape(self):
        if text_string_to_metric_families is None:
            self.skipTest("python3-prometheus-client is not installed")
        resp = self.server.get("/metrics")
        self.assertEqual(resp.status, 200)
        self.assertTrue(resp.header("Content-Type").startswith("text/plain; version=0.0.4"))
        samples = {}
        families = {}
        for family in text_string_to_metric_families(resp.body.decode("utf-8")):
            families[family.name] = family
            for s in family.samples:
                samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
        return families, samples

    @staticmethod
    def value(samples, name, **labels):
        return samples.get((name, tuple(sorted(labels.items()))), 0.0)


class MetricsTest(Scraping, ServerTestCase):
    server_env = {"WORKERS": "2"}

    def test_families_cover_the_service(self):
        families, samples = self.scrape()
        for name in ("pixmill_http_requests", "pixmill_http_request_duration_seconds", "pixmill_http_request_bytes",
                     "pixmill_http_response_bytes", "pixmill_queue_depth", "pixmill_queue_rejections",
                     "pixmill_workers", "pixmill_workers_busy", "pixmill_worker_utilization_ratio",
                     "process_resident_memory_bytes", "process_cpu_seconds", "pixmill_build_info"):
            self.assertIn(name, families)
        self.assertEqual(families["pixmill_http_request_duration_seconds"].type, "histogram")
        self.assertEqual(families["pixmill_http_requests"].type, "counter")
        self.assertGreater(self.value(samples, "process_resident_memory_bytes"), 1 << 20)
        self.assertEqual(self.value(samples, "pixmill_workers"), 2)

    def test_counters_move_with_requests(self):
        photo = self.corpus.pick("photo-small", "photo-medium", "photo-kodak", where=lambda r: r.format == "jpeg")
        _, before = self.scrape()
        key = dict(route="native.process", dialect="native", method="POST", status="200")
        data = photo.read()
        resp = self.server.post_raw("/api/v1/process?width=64&format=webp", data, "image/jpeg")
        self.assertEqual(resp.status, 200)
        bad = self.server.post_raw("/api/v1/process", b"this is not an image at all" * 8, "image/jpeg")
        self.assertEqual(bad.status, 415)
        _, after = self.scrape()
        self.assertEqual(self.value(after, "pixmill_http_requests_total", **key) - self.value(before, "pixmill_http_requests_total", **key), 1)
        failed = dict(key, status="415")
        self.assertEqual(self.value(after, "pixmill_http_requests_total", **failed) - self.value(before, "pixmill_http_requests_total", **failed), 1)
        hist = dict(route="native.process", dialect="native")
        self.assertEqual(self.value(after, "pixmill_http_request_duration_seconds_count", **hist)
                         - self.value(before, "pixmill_http_request_duration_seconds_count", **hist), 2)
        self.assertGreaterEqual(self.value(after, "pixmill_http_request_bytes_total", dialect="native")
                                - self.value(before, "pixmill_http_request_bytes_total", dialect="native"), len(data))
        self.assertGreaterEqual(self.value(after, "pixmill_http_response_bytes_total", dialect="native")
                                - self.value(before, "pixmill_http_response_bytes_total", dialect="native"), len(resp.body))



class AdmissionMetricsTest(Scraping, ServerTestCase):
    server_env = {"RATE_LIMIT_PER_MINUTE": "3"}

    def test_admission_and_fetch_outcomes_are_counted(self):
        _, before = self.scrape()
        statuses = []
        # A loopback image URL is refused by the fetch policy; the limit (3 a minute) then refuses.
        for _ in range(5):
            statuses.append(self.server.get("/api/v1/process?url=http://127.0.0.1:9/a.jpg").status)
        self.assertIn(429, statuses)
        _, after = self.scrape()
        limited = self.value(after, "pixmill_admission_decisions_total", decision="RATE_LIMIT_EXCEEDED") - \
            self.value(before, "pixmill_admission_decisions_total", decision="RATE_LIMIT_EXCEEDED")
        allowed = self.value(after, "pixmill_admission_decisions_total", decision="allowed") - \
            self.value(before, "pixmill_admission_decisions_total", decision="allowed")
        self.assertEqual(limited, statuses.count(429))
        self.assertEqual(allowed, 5 - statuses.count(429))
        refused = self.value(after, "pixmill_fetch_total", kind="image", outcome="URL_NOT_ALLOWED") - \
            self.value(before, "pixmill_fetch_total", kind="image", outcome="URL_NOT_ALLOWED")
        self.assertEqual(refused, allowed)
        families, _ = self.scrape()
        for name in ("pixmill_admission_decisions", "pixmill_fetch", "pixmill_fetch_duration_seconds"):
            self.assertIn(name, families)


if __name__ == "__main__":
    unittest.main()
