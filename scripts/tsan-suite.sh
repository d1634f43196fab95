#!/usr/bin/env bash
# `make tsan`: the unit tests and the integration suites that exercise the server's
# threads (I/O threads, the fetch and image pools, admission on the fetch pool with
# Redis, timeouts, shutdown), against a ThreadSanitizer build. A race report makes the
# process exit with status 66 (TSAN_OPTIONS exitcode), which fails its test: the
# integration harness requires a clean exit of every server it stops.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${1:-build-tsan}"
export TSAN_OPTIONS="suppressions=$PWD/tests/tsan.supp exitcode=66 second_deadlock_stack=1 history_size=4 ${TSAN_OPTIONS:-}"
# Threads of the uninstrumented libvips and ONNX Runtime builds: their own locking is
# invisible to TSan (tests/tsan.supp says why each line is there).
# The unit tests go by their label (their names are the GoogleTest names), the
# integration suites by name.
ctest --test-dir "$BUILD" --output-on-failure -j"${JOBS:-2}" -L unit -LE slow
suites="${TSAN_SUITES:-integration\.(server|access|quota_class|internal_state|url_input|native|basics|logging|metrics|result_cache|grammars_imgproxy)}"
ctest --test-dir "$BUILD" --output-on-failure -j"${JOBS:-2}" -R "$suites" -LE slow
