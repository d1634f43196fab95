"""The deployment files are documentation, but they must be valid: the YAML parses and
says what the README promises, the nginx config passes `nginx -t`, the unit runs serve."""

import os
import shutil
import subprocess
import tempfile
import unittest

from harness import REPO

DEPLOY = os.path.join(REPO, "deploy")


def load_yaml(name):
    try:
        import yaml
    except ImportError:
        raise unittest.SkipTest("python3-yaml is not installed (scripts/install-deps.sh test installs it)")
    with open(os.path.join(DEPLOY, name)) as f:
        return [d for d in yaml.safe_load_all(f) if d]


class DeployFilesTest(unittest.TestCase):
    def test_kubernetes_manifest(self):
        docs = load_yaml("k8s/pixmill.yaml")
        kinds = {(d["kind"], d["metadata"]["name"]) for d in docs}
        for expected in (("Deployment", "pixmill"), ("Service", "pixmill"), ("HorizontalPodAutoscaler", "pixmill"),
                         ("Service", "redis")):
            self.assertIn(expected, kinds)
        deployment = next(d for d in docs if d["kind"] == "Deployment" and d["metadata"]["name"] == "pixmill")
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        self.assertEqual(container["livenessProbe"]["httpGet"]["path"], "/healthz")
        self.assertIn(container["readinessProbe"]["httpGet"]["path"], ("/healthz", "/api/health", "/v1/health"))
        self.assertIn("cpu", container["resources"]["requests"])
        env = {e["name"]: e["value"] for e in container["env"]}
        self.assertTrue(env["REDIS_URL"].startswith("redis://redis:"))
        self.assertEqual(deployment["spec"]["selector"]["matchLabels"], deployment["spec"]["template"]["metadata"]["labels"])
        hpa = next(d for d in docs if d["kind"] == "HorizontalPodAutoscaler")
        self.assertEqual(hpa["spec"]["metrics"][0]["resource"]["name"], "cpu")

    def test_compose_file(self):
        (compose,) = load_yaml("docker-compose.yml")
        services = compose["services"]
        self.assertEqual(set(services), {"redis", "pixmill", "nginx"})
        self.assertGreaterEqual(services["pixmill"]["deploy"]["replicas"], 2)
        self.assertTrue(services["pixmill"]["environment"]["REDIS_URL"].startswith("redis://redis:"))

    def test_dockerfile_runs_as_a_non_root_user_with_a_healthcheck(self):
        with open(os.path.join(DEPLOY, "Dockerfile")) as f:
            text = f.read()
        self.assertIn("FROM debian:12", text)
        self.assertRegex(text, r"(?m)^USER (?!root|0\b)")
        self.assertRegex(text, r"(?m)^HEALTHCHECK .*/healthz")

    def test_systemd_unit(self):
        with open(os.path.join(DEPLOY, "systemd", "pixmill@.service")) as f:
            text = f.read()
        self.assertIn("ExecStart=/usr/local/bin/pixmill serve", text)
        self.assertIn("PORT=%i", text)

    def test_nginx_config_passes_nginx_t(self):
        nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
        if not nginx:
            raise unittest.SkipTest("nginx is not installed")
        with tempfile.TemporaryDirectory() as d:
            conf = os.path.join(d, "nginx.conf")
            with open(conf, "w") as f:
                f.write("pid %s/nginx.pid; error_log %s/error.log; events {}\n"
                        "http { client_body_temp_path %s; proxy_temp_path %s; fastcgi_temp_path %s; uwsgi_temp_path %s;"
                        " scgi_temp_path %s; access_log off; include %s; }\n"
                        % ((d,) * 7 + (os.path.join(DEPLOY, "nginx", "pixmill.conf"),)))
            p = subprocess.run([nginx, "-t", "-p", d, "-e", os.path.join(d, "error.log"), "-c", conf],
                               capture_output=True, text=True, timeout=30)
            self.assertEqual(p.returncode, 0, p.stderr)


if __name__ == "__main__":
    unittest.main()
