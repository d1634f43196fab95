#!/usr/bin/env bash
# Builds the multipart libFuzzer target with clang and runs it for N seconds (default 20).
# Usage: fuzz/build_and_run.sh [seconds]
# Exits non-zero when the fuzzer finds a crash, a hang or a leak; the reproducer is
# left in build-fuzz/artifacts/.
set -euo pipefail

seconds="${1:-20}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/build-fuzz"
corpus="$out/corpus/multipart"
artifacts="$out/artifacts"

if ! command -v clang++ >/dev/null; then
  echo "clang++ not found (apt-get install -y clang libclang-rt-14-dev)" >&2
  exit 2
fi

mkdir -p "$out" "$corpus" "$artifacts"
clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I"$root/src" \
  "$root/fuzz/multipart_fuzzer.cpp" "$root/src/http/multipart.cpp" "$root/src/core/error.cpp" \
  -o "$out/multipart_fuzzer"

# Seeds are copied, never overwritten: the corpus keeps what earlier runs found.
cp -n "$root"/fuzz/seeds/multipart/* "$corpus"/

"$out/multipart_fuzzer" \
  -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len=8192 \
  -print_final_stats=1 -artifact_prefix="$artifacts/" \
  "$corpus"
