"""The deployment files are documentation, but they must be valid: the YAML parses and
says what the README promises, the nginx config passes `nginx -t`, the unit runs serve.
There is no Docker daemon here, so the image is checked from what it is made of: its
runtime stage must install the Debian package of every library the built binary links
(`ldd` -> `dpkg -S`; sharp's libvips comes from the build stage) and carry the model with
its licence, and every setting the deployment files name must be one `pixmill config`
knows. deploy/README.md says how to check the image itself where Docker exists."""

import os
import shlex
import shutil
import subprocess
import tempfile
import unittest

from harness import EXE, REPO

DEPLOY = os.path.join(REPO, "deploy")


def load_yaml(name):
    try:
        import yaml
    except ImportError:
        raise unittest.SkipTest("python3-yaml is not installed (scripts/install-deps.sh test installs it)")
    with open(os.path.join(DEPLOY, name)) as f:
        return [d for d in yaml.safe_load_all(f) if d]


# Settings of the dynamic loader, not of pixmill.
LOADER_SETTINGS = {"LD_LIBRARY_PATH"}
# What a sanitizer build (make build-asan) links on top of the release build the image ships.
SANITIZER_RUNTIMES = ("libasan.", "libubsan.", "libtsan.", "liblsan.")


# ----------------------------------------------------------------- the Dockerfile


def dockerfile_stages(text):
    """[(FROM argument, [(INSTRUCTION, arguments)])]: continuation lines joined, comment
    lines dropped (as Docker does, also inside a continued instruction)."""
    instructions, current = [], ""
    for raw in text.splitlines():
        if raw.lstrip().startswith("#"):
            continue
        line = raw.rstrip()
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        current = (current + line).strip()
        if current:
            instructions.append(current)
        current = ""
    stages = []
    for line in instructions:
        name, _, args = line.partition(" ")
        if name.upper() == "FROM":
            stages.append((args.strip(), []))
        elif stages:
            stages[-1][1].append((name.upper(), args.strip()))
    return stages


def apt_installed(stage):
    """The packages a stage's RUN instructions `apt-get install`."""
    packages = set()
    for name, args in stage[1]:
        if name != "RUN":
            continue
        for command in args.replace("&&", ";").split(";"):
            words = command.split()
            if "apt-get" in words and "install" in words:
                packages.update(w for w in words[words.index("install") + 1:] if not w.startswith("-"))
    return packages


def env_of(stage):
    """{name: value} of a stage's ENV instructions."""
    env = {}
    for name, args in stage[1]:
        if name == "ENV":
            for word in shlex.split(args):
                key, eq, value = word.partition("=")
                if eq:
                    env[key] = value
    return env


def copies_from(stage, source_stage):
    """[(source, destination)] of the stage's COPY --from=source_stage instructions."""
    out = []
    for name, args in stage[1]:
        words = args.split()
        if name == "COPY" and "--from=%s" % source_stage in words:
            paths = [w for w in words if not w.startswith("--")]
            out += [(src, paths[-1]) for src in paths[:-1]]
    return out


# ------------------------------------------------------- the binary's libraries


def run(args):
    return subprocess.run(args, capture_output=True, text=True, timeout=60)


def linked_libraries(exe):
    """{soname: resolved path} for every library `ldd` lists (the whole closure)."""
    libs = {}
    for line in run(["ldd", exe]).stdout.splitlines():
        name, arrow, rest = line.strip().partition(" => ")
        if arrow:
            path = rest.split(" (")[0].strip()
            if path == "not found":
                raise AssertionError("ldd: %s not found" % name)
            libs[name] = path
        elif name.startswith("/"):
            libs[os.path.basename(name.split(" (")[0])] = name.split(" (")[0]
    return libs


def needed_libraries(exe):
    """The sonames the binary itself names (DT_NEEDED), not their dependencies."""
    out = run(["readelf", "-d", exe]).stdout
    return {line.split("[", 1)[1].split("]", 1)[0] for line in out.splitlines() if "(NEEDED)" in line}


def owning_packages(paths):
    """{path: the Debian package that ships it} for the library paths dpkg knows. Debian 12
    merges /lib into /usr/lib, and dpkg knows each file under one of the two names. One
    dpkg-query for all: each call reads the whole file database."""
    names = {}
    for path in paths:
        for candidate in (path, os.path.realpath(path)):
            names[candidate] = path
            if candidate.startswith("/lib"):
                names["/usr" + candidate] = path
            elif candidate.startswith("/usr/lib"):
                names[candidate[len("/usr"):]] = path
    owners = {}
    for line in run(["dpkg-query", "-S"] + sorted(names)).stdout.splitlines():
        package, sep, file = line.partition(": ")
        if sep and file in names:
            owners.setdefault(names[file], package.split(",")[0].split(":")[0].strip())
    return owners


def installed_packages():
    """{package: (priority, essential, [dependency clauses])} and {virtual: {providers}}
    from this machine's dpkg database."""
    out = run(["dpkg-query", "-W", "-f", "${Package}\t${Priority}\t${Essential}\t${Pre-Depends}, ${Depends}\t${Provides}\n"]).stdout
    packages, provides = {}, {}
    for line in out.splitlines():
        name, priority, essential, depends, provided = (line.split("\t") + [""] * 5)[:5]
        clauses = [[alt.split("(")[0].split(":")[0].strip() for alt in clause.split("|")]
                   for clause in depends.split(",") if clause.strip()]
        packages[name] = (priority, essential == "yes", clauses)
        for virtual in provided.split(","):
            if virtual.strip():
                provides.setdefault(virtual.split("(")[0].strip(), set()).add(name)
    return packages, provides


def dependency_closure(roots, packages, provides):
    """Every installed package `apt-get install roots` brings in (Pre-Depends and Depends,
    any installed alternative of each clause)."""
    seen, todo = set(), list(roots)
    while todo:
        name = todo.pop()
        if name in seen or name not in packages:
            continue
        seen.add(name)
        for clause in packages[name][2]:
            for alternative in clause:
                todo.extend([alternative] if alternative in packages else provides.get(alternative, ()))
    return seen


# Libraries the build takes from pinned packages into its dependency cache rather than
# installing them (npm: cmake/SharpLibvips.cmake, cmake/OnnxRuntime.cmake; one library out
# of a Debian package: cmake/OpenCvAlphamat.cmake), by a folder name in their path.
NPM_LIBRARY_FOLDERS = ("sharp-libvips", "onnxruntime-", "opencv-alphamat-")


def from_npm(path):
    return any(folder in path for folder in NPM_LIBRARY_FOLDERS)


class DockerImageContentsTest(unittest.TestCase):
    """The runtime stage installs what the binary links, and carries the model."""

    @classmethod
    def setUpClass(cls):
        with open(os.path.join(DEPLOY, "Dockerfile")) as f:
            cls.stages = dockerfile_stages(f.read())
        # The runtime stage is the last; the build stage is the named one it copies from.
        cls.runtime = cls.stages[-1]
        named = {s[0].split()[2]: s for s in cls.stages[:-1] if len(s[0].split()) == 3 and s[0].split()[1].upper() == "AS"}
        sources = {w.split("=", 1)[1] for name, args in cls.runtime[1] if name == "COPY"
                   for w in args.split() if w.startswith("--from=")}
        assert len(sources) == 1 and sources <= set(named), (sources, list(named))
        cls.build_name = sources.pop()
        cls.build = named[cls.build_name]
        cls.runtime_packages = apt_installed(cls.runtime)
        cls.runtime_env = env_of(cls.runtime)

    def require_tools(self):
        if not os.path.exists(EXE):
            self.skipTest("pixmill binary not found: %s" % EXE)
        for tool in ("ldd", "readelf", "dpkg-query"):
            if not shutil.which(tool):
                self.skipTest("%s is not installed: the image's packages are derived on Debian" % tool)

    def test_runtime_stage_installs_the_package_of_every_linked_library(self):
        self.require_tools()
        libs = linked_libraries(EXE)
        needed = needed_libraries(EXE)
        self.assertIn("libopencv_dnn.so.406", needed, "ldd/readelf read nothing useful")
        packages, provides = installed_packages()
        # debian:12-slim: the required-priority packages and apt.
        base = dependency_closure([n for n, (prio, essential, _) in packages.items() if prio == "required" or essential]
                                  + ["apt"], packages, provides)
        installed = dependency_closure(self.runtime_packages, packages, provides) | base
        shipped = [d for _, d in copies_from(self.runtime, self.build_name)]
        library_path = self.runtime_env.get("LD_LIBRARY_PATH", "").split(":")
        owners = owning_packages([p for p in libs.values() if not from_npm(p)])
        for soname, path in sorted(libs.items()):
            if soname.startswith(SANITIZER_RUNTIMES):
                continue
            with self.subTest(library=soname):
                if from_npm(path):
                    # sharp's libvips build and ONNX Runtime come from npm packages (Debian 12 has
                    # neither), OpenCV's alphamat out of its Debian package: copied from the build
                    # stage onto the loader's path.
                    self.assertTrue(any(d.rstrip("/") in (p.rstrip("/") for p in library_path) for d in shipped),
                                    "%s comes from the build stage: the runtime stage must COPY it to a folder "
                                    "on LD_LIBRARY_PATH (%s)" % (soname, library_path))
                    continue
                package = owners.get(path)
                self.assertIsNotNone(package, "no Debian package ships %s" % path)
                if soname in needed and package not in base:
                    self.assertTrue(package in self.runtime_packages,
                                    "pixmill links %s: the runtime stage must apt-get install %s" % (soname, package))
                self.assertTrue(package in installed,
                                "%s (%s) is neither installed by the runtime stage nor a dependency of what it installs"
                                % (package, soname))

    def test_the_model_is_installed_in_the_build_stage_and_copied_with_its_licence(self):
        build_runs = " ".join(args for name, args in self.build[1] if name == "RUN")
        self.assertIn("scripts/install-model.sh", build_runs)
        model_path = self.runtime_env.get("MODEL_PATH")
        self.assertTrue(model_path, "the runtime stage must say where the model is (ENV MODEL_PATH)")
        model = os.path.basename(model_path)
        for note in (model + ".LICENSE.md", model + ".NOTICE"):
            self.assertIn(note, build_runs, "the AGPL note %s must travel with the model" % note)
        destinations = [d.rstrip("/") for _, d in copies_from(self.runtime, self.build_name)]
        self.assertIn(os.path.dirname(model_path), destinations, "the model's folder is not copied into the image")
        with open(os.path.join(REPO, "scripts", "install-model.sh")) as f:
            script = f.read()
        self.assertIn(".LICENSE.md", script)
        self.assertIn(".NOTICE", script)


class DeploySettingsTest(unittest.TestCase):
    """Every setting the deployment files give pixmill is one `pixmill config` lists."""

    @classmethod
    def setUpClass(cls):
        if not os.path.exists(EXE):
            raise unittest.SkipTest("pixmill binary not found: %s (set PIXMILL_EXE)" % EXE)
        listed = run([EXE, "config"])
        assert listed.returncode == 0, listed.stderr
        cls.known = {line.split("\t")[0] for line in listed.stdout.splitlines() if line.strip()}
        assert {"PORT", "REDIS_URL", "MODEL_PATH"} <= cls.known, cls.known

    def assertKnown(self, names, where):
        self.assertTrue(names, "no settings found in %s: the check would prove nothing" % where)
        unknown = sorted(set(names) - self.known)
        self.assertEqual(unknown, [], "%s names settings pixmill does not know (pixmill config)" % where)

    def test_compose_file(self):
        (compose,) = load_yaml("docker-compose.yml")
        env = compose["services"]["pixmill"]["environment"]
        names = list(env) if isinstance(env, dict) else [e.split("=", 1)[0] for e in env]
        self.assertKnown(names, "deploy/docker-compose.yml")

    def test_kubernetes_manifest(self):
        docs = load_yaml("k8s/pixmill.yaml")
        names = [e["name"] for d in docs if d["kind"] == "Deployment" and d["metadata"]["name"] == "pixmill"
                 for c in d["spec"]["template"]["spec"]["containers"] for e in c.get("env", [])]
        self.assertKnown(names, "deploy/k8s/pixmill.yaml")

    def test_systemd_unit(self):
        names = []
        with open(os.path.join(DEPLOY, "systemd", "pixmill@.service")) as f:
            for line in f:
                if line.startswith("Environment="):
                    names += [w.split("=", 1)[0] for w in shlex.split(line[len("Environment="):])]
        self.assertKnown(names, "deploy/systemd/pixmill@.service")

    def test_dockerfile(self):
        with open(os.path.join(DEPLOY, "Dockerfile")) as f:
            runtime = dockerfile_stages(f.read())[-1]
        self.assertKnown([n for n in env_of(runtime) if n not in LOADER_SETTINGS], "deploy/Dockerfile")


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
