"""/openapi.json against the running server: the document is valid OpenAPI 3.1 (checked
by a packaged validator), every operation it lists is answered, and every route the
server answers is in it."""

import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from harness import REPO, ServerTestCase

BROWSER_TOOLS = os.path.join(REPO, "tests", "browser")
METHODS = ("get", "post", "put", "delete", "patch")


def concrete(path, operation):
    """A request path for a templated one: the first allowed value of each path parameter."""
    def value(match):
        for p in operation.get("parameters", []):
            if p.get("in") == "path" and p["name"] == match.group(1):
                return (p.get("schema", {}).get("enum") or ["x"])[0]
        return "x"
    return re.sub(r"\{([^}]+)\}", value, path)


def template_regex(path, item):
    """A regex for a templated path: a parameter is one segment, except the trailing one of
    a URL-grammar route (`/ip/{path}`), which is the rest of the URL."""
    rx = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path))
    grammar = any("grammars" in op.get("tags", []) for op in item.values())
    if grammar and rx.endswith("[^/]+"):
        rx = rx[: -len("[^/]+")] + ".+"
    return rx


class OpenApiTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        resp = cls.server.get("/openapi.json")
        assert resp.status == 200, resp
        cls.doc = resp.json()

    def test_is_valid_openapi_3_1(self):
        self.assertEqual(self.doc["openapi"], "3.1.0")
        node = shutil.which("node")
        if not node or not os.path.isdir(os.path.join(BROWSER_TOOLS, "node_modules", "@seriousme")):
            self.skipTest("the OpenAPI validator is not installed (scripts/install-deps.sh test)")
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(self.doc, f)
        try:
            run = subprocess.run([node, os.path.join(BROWSER_TOOLS, "validate_openapi.mjs"), f.name],
                                 capture_output=True, text=True, timeout=120, cwd=BROWSER_TOOLS)
        finally:
            os.unlink(f.name)
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
        self.assertIn("valid OpenAPI 3.1", run.stdout)

    def test_every_operation_is_answered(self):
        count = 0
        for path, item in self.doc["paths"].items():
            for method, operation in item.items():
                count += 1
                target = concrete(path, operation)
                resp = self.server.request(method.upper(), target, body=b"" if method == "post" else None)
                # A handler may answer 404 itself (imgproxy's grammar says "Invalid URL" with a 404,
                # as imgproxy does); the router's own 404 names the missing route.
                unrouted = resp.status == 405 or (resp.status == 404 and b"no such route" in resp.body)
                self.assertFalse(unrouted, "%s %s (%s) is documented but answered %d" % (method, path, target, resp.status))
        self.assertGreater(count, 20)

    def test_undocumented_methods_are_refused(self):
        for path, item in self.doc["paths"].items():
            target = concrete(path, next(iter(item.values())))
            for method in METHODS:
                if method in item:
                    continue
                resp = self.server.request(method.upper(), target, body=b"" if method != "get" else None)
                self.assertEqual(resp.status, 405, "%s %s is answered %d but not documented" % (method, path, resp.status))

    def test_every_route_in_the_readme_is_documented(self):
        # The curl examples of the README and of docs/*.md (where the reference moved)
        # are the routes people use: each one the server answers must be in the document.
        paths = set()
        docs = os.path.join(REPO, "docs")
        for name in ["README.md"] + [os.path.join("docs", n) for n in sorted(os.listdir(docs)) if n.endswith(".md")]:
            with open(os.path.join(REPO, name), encoding="utf-8") as f:
                paths.update(re.findall(r"localhost:3000(/[A-Za-z0-9_./{}-]*)", f.read()))
        paths.update({"/healthz", "/metrics", "/openapi.json", "/docs", "/"})
        templates = [(re.compile("^" + template_regex(p, item) + "$"), p) for p, item in self.doc["paths"].items()]
        checked = 0
        for path in sorted(paths):
            resp = self.server.get(path)
            if resp.status == 404:
                continue
            checked += 1
            self.assertTrue(any(rx.match(path) for rx, _ in templates), "%s is answered (%d) but not in /openapi.json" % (path, resp.status))
        self.assertGreater(checked, 10)

    def test_parameters_show_types_defaults_and_bounds(self):
        params = {p["name"]: p for p in self.doc["paths"]["/api/v1/process"]["get"]["parameters"]}
        # quality is a number or auto[:level] (issue 19).
        number, word = params["quality"]["schema"]["oneOf"]
        self.assertEqual(number["type"], "integer")
        self.assertEqual((number["minimum"], number["maximum"]), (1, 100))
        self.assertEqual(word["type"], "string")
        self.assertIn("auto:eco", word["enum"])
        self.assertIn("webp", params["format"]["schema"]["enum"])
        self.assertEqual(params["stripMetadata"]["schema"]["default"], True)
        # The bound the document states is the one the parser enforces.
        photo = self.corpus.pick("photo-small", "photo-medium", "photo-kodak")
        resp = self.server.post_raw("/api/v1/process?quality=%d" % (number["maximum"] + 1), photo.read(), "image/" + photo.format)
        self.assertNativeError(resp, 400, "INVALID_INPUT", "quality")
        ok = self.doc["paths"]["/api/v1/process"]["post"]["responses"]["200"]
        self.assertIn("X-Output-Bytes", ok["headers"])
        self.assertIn("NativeError", json.dumps(self.doc["paths"]["/api/v1/process"]["post"]["responses"]["400"]))

    def test_docs_page_serves_the_viewer_locally(self):
        page = self.server.get("/docs")
        self.assertEqual(page.status, 200)
        self.assertTrue(page.header("Content-Type").startswith("text/html"))
        scripts = re.findall(rb'src="([^"]+)"', page.body) + re.findall(rb'href="([^"]+\.css)"', page.body)
        self.assertTrue(scripts)
        for src in scripts:
            self.assertTrue(src.startswith(b"/"), "%r is not served by pixmill itself" % src)
            resp = self.server.get(src.decode())
            self.assertEqual(resp.status, 200, src)
            self.assertGreater(len(resp.body), 0)


if __name__ == "__main__":
    unittest.main()
