"""The harness itself: what a test class starts is stopped even when its setUpClass raises
or skips after starting it (tearDownClass is not called then; class clean-ups are), and
a process a test forgets is ended when the interpreter exits. Each case runs a class in
a nested unittest run under its own marker file, then asks leftovers.py which processes
still hold that marker."""

import os
import subprocess
import sys
import tempfile
import textwrap
import unittest

import leftovers
from harness import EXE, HERE, ServerTestCase, set_process_marker


def run_class(cls):
    """Runs a TestCase class as its own top-level run (class fixtures included)."""
    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(cls).run(result)
    return result


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


class SetUpClassFailureStopsEverythingTest(unittest.TestCase):
    def setUp(self):
        if not os.path.exists(EXE):
            self.skipTest("pixmill binary not found: %s" % EXE)
        fd, self.marker = tempfile.mkstemp(prefix="pixmill-harness-marker-")
        os.close(fd)
        self.addCleanup(os.unlink, self.marker)
        self.addCleanup(set_process_marker, set_process_marker(self.marker))

    def holders(self):
        """Processes started under this test's marker that are still running."""
        return leftovers.holders(self.marker, exclude={os.getpid()})

    def assertClassLeavesNothing(self, broken, failure):
        """Runs `broken` (whose setUpClass calls its parent's, records what is running in
        `broken.started`, then raises `failure`) and checks that it did start processes and
        that none survives the run."""
        result = run_class(broken)
        self.assertEqual(result.testsRun, 0, "no test may run after a failed setUpClass")
        if isinstance(failure, unittest.SkipTest):
            self.assertEqual(len(result.skipped), 1, result.errors)
        else:
            self.assertEqual(len(result.errors), 1, result.skipped)
            self.assertIn("setUpClass", str(result.errors[0][0]))
            self.assertIn(str(failure), result.errors[0][1])
        self.assertTrue(broken.started, "the class started nothing: the check would prove nothing")
        self.assertEqual(self.holders(), [], "left running after a failed setUpClass")
        for pid, cmd in broken.started:
            self.assertFalse(alive(pid), "pid %d (%s) is still alive" % (pid, cmd))

    def broken_subclass(self, base, failure):
        test = self

        class Broken(base):
            started = []

            @classmethod
            def setUpClass(cls):
                super().setUpClass()
                cls.started = test.holders()
                raise failure

            def test_never_runs(self):
                raise AssertionError("ran after a failed setUpClass")

        Broken.__name__ = Broken.__qualname__ = "Broken" + base.__name__
        return Broken

    def test_server_is_stopped_when_setupclass_raises_after_starting_it(self):
        failure = RuntimeError("set-up failed after its server started")
        self.assertClassLeavesNothing(self.broken_subclass(ServerTestCase, failure), failure)

    def test_server_is_stopped_when_setupclass_skips_after_starting_it(self):
        failure = unittest.SkipTest("skipped after its server started")
        self.assertClassLeavesNothing(self.broken_subclass(ServerTestCase, failure), failure)

    def test_replicas_redis_and_nginx_are_stopped_when_setupclass_raises(self):
        # The suite's own classes that start the most: two replicas and Redis; three
        # replicas, Redis and nginx (with its worker) behind them.
        import test_access
        import test_fleet
        for base in (test_access.RedisSharedTest, test_fleet.FleetTest):
            with self.subTest(base.__name__):
                failure = RuntimeError("%s set-up failed after starting everything" % base.__name__)
                broken = self.broken_subclass(base, failure)
                result = run_class(broken)
                if result.skipped:  # redis-server or nginx not installed here
                    self.skipTest(result.skipped[0][1])
                self.assertEqual(len(result.errors), 1)
                self.assertIn(str(failure), result.errors[0][1])
                names = " ".join(cmd for _, cmd in broken.started)
                self.assertIn("redis-server", names)
                if base is test_fleet.FleetTest:
                    self.assertIn("nginx", names)
                self.assertEqual(self.holders(), [], "left running after %s's failed setUpClass" % base.__name__)

    def test_a_server_a_test_forgot_is_ended_when_the_interpreter_exits(self):
        script = textwrap.dedent("""
            import sys
            sys.path.insert(0, %r)
            from harness import ServerProcess, set_process_marker
            set_process_marker(%r)
            server = ServerProcess().start()
            print(server.proc.pid, flush=True)
            # exits without stopping it
        """ % (HERE, self.marker))
        run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
        self.assertEqual(run.returncode, 0, run.stderr)
        pid = int(run.stdout.split()[0])
        self.assertFalse(alive(pid), "the forgotten server outlived the test process")
        self.assertEqual(self.holders(), [])


if __name__ == "__main__":
    unittest.main()
