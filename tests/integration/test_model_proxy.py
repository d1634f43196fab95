"""Feather's /api/model proxy: cold (upstream), warm (memory), restart (disk cache),
and upstream failure, against a real upstream on loopback."""

import json
import os
import shutil
import tempfile
import unittest

from harness import LoopbackOrigin, ServerProcess

MODEL = os.urandom(300_000)  # stands in for an ONNX file: the proxy never parses it


class ModelUpstream(LoopbackOrigin):
    """The model host: /full.onnx is the model; any other path a 503 whose page must not leak."""

    def __init__(self):
        super().__init__({"/full.onnx": MODEL}, fallback=lambda path, headers: (503, b"upstream secret error page"))

    @property
    def hits(self):
        return [(path, headers.get("Authorization")) for path, headers in self.requests]


# The installed model is MODEL_PATH's default: these tests are about the upstream.
NO_LOCAL_MODEL = "/nonexistent/pixmill-test/model.onnx"


class ModelProxyTest(unittest.TestCase):
    def setUp(self):
        self.upstream = ModelUpstream()
        self.addCleanup(self.upstream.close)
        self.cache = tempfile.mkdtemp(prefix="pixmill-models-")
        self.addCleanup(shutil.rmtree, self.cache, ignore_errors=True)
        self.env = {"FETCH_ALLOW_CIDRS": "127.0.0.1/32", "MODEL_CACHE_DIR": self.cache,
                    "MODEL_FULL_URL": self.upstream.url("/full.onnx"),
                    "MODEL_QUANTIZED_URL": self.upstream.url("/broken.onnx"),
                    "HUGGINGFACE_TOKEN": "hf_test_token", "MODEL_FETCH_TIMEOUT_MS": "5000",
                    "MODEL_PATH": NO_LOCAL_MODEL}

    def test_cold_warm_and_restart(self):
        server = ServerProcess(**self.env).start()
        try:
            cold = server.get("/api/model?variant=full")
            self.assertEqual(cold.status, 200)
            self.assertEqual(cold.body, MODEL)
            self.assertEqual(cold.header("Cache-Control"), "public, max-age=31536000, immutable")
            self.assertEqual(self.upstream.hits, [("/full.onnx", "Bearer hf_test_token")])
            warm = server.get("/api/model")  # variant defaults to full
            self.assertEqual(warm.body, MODEL)
            self.assertEqual(len(self.upstream.hits), 1)
        finally:
            server.stop()
        self.assertTrue(os.path.exists(os.path.join(self.cache, "model-full.onnx")))
        restarted = ServerProcess(**self.env).start()
        try:
            again = restarted.get("/api/model?variant=full")
            self.assertEqual(again.body, MODEL)
            self.assertEqual(len(self.upstream.hits), 1)  # served from the disk cache
        finally:
            restarted.stop()

    def test_upstream_failure_is_502_model_fetch_failed(self):
        server = ServerProcess(**self.env).start()
        try:
            resp = server.get("/api/model?variant=quantized")
            self.assertEqual(resp.status, 502)
            error = json.loads(resp.body)["error"]
            self.assertEqual(error["code"], "MODEL_FETCH_FAILED")
            self.assertNotIn(b"secret", resp.body)
            bad = server.get("/api/model?variant=huge")
            self.assertEqual(bad.status, 400)
        finally:
            server.stop()

    def test_no_source_configured_is_502(self):
        server = ServerProcess(MODEL_PATH=NO_LOCAL_MODEL).start()
        try:
            resp = server.get("/api/model")
            self.assertEqual(resp.status, 502)
            self.assertEqual(json.loads(resp.body)["error"]["code"], "MODEL_FETCH_FAILED")
        finally:
            server.stop()


if __name__ == "__main__":
    unittest.main()
