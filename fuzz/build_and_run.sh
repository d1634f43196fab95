#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan + coverage) and runs each for N
# seconds (default 15). Usage: fuzz/build_and_run.sh [seconds-per-target] [target...]
#   fuzz/build_and_run.sh              # every target, 15 s each (what `make test` runs)
#   FUZZ_SECONDS=300 make fuzz         # the longer run: 5 minutes per target
#   fuzz/build_and_run.sh 600 pipeline_fuzzer
# Exits non-zero when a target finds a crash, a hang, a leak or a broken invariant; the
# reproducer is left in build-fuzz/artifacts/<target>/ and replays with
#   build-fuzz/fuzz/<target> <file>
# Keep a fixed crash as a regression seed in fuzz/seeds/<target-name>/ (its name
# without _fuzzer): every run replays the seeds first.
set -euo pipefail

seconds="${1:-15}"
shift || true
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/build-fuzz"
# Images to seed the pipeline from: the repository's tests/fixtures, or PIXMILL_CORPUS.
corpus_dir="${PIXMILL_CORPUS:-$root/tests/fixtures}"
all_targets=(multipart_fuzzer params_fuzzer petiteimg_operations_fuzzer upload_fuzzer recipe_fuzzer pipeline_fuzzer
             srgb_profile_fuzzer bmp_fuzzer jxl_decoder_fuzzer avif_sequence_fuzzer imgproxy_url_fuzzer thumbor_url_fuzzer cloudflare_url_fuzzer placeholders_fuzzer)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")

if ! command -v clang++ >/dev/null; then
  echo "clang++ not found (apt-get install -y clang libclang-rt-14-dev)" >&2
  exit 2
fi

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
cmake -S "$root" -B "$out" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
  -DCMAKE_CXX_COMPILER=clang++ -DPIXMILL_FUZZ=ON "${launcher[@]}" >/dev/null
cmake --build "$out" -j"${JOBS:-$(nproc)}" --target "${targets[@]}"

# Seeds: the checked-in ones (crash regressions included) plus, for the pipeline, the
# small files of the test images (tests/fixtures) with 4 recipe bytes in front. Copied with -n: the
# working corpus keeps what earlier runs found.
seed_pipeline() {
  local dest="$1" i=0
  [ -f "$corpus_dir/MANIFEST.tsv" ] || return 0
  while IFS=$'\t' read -r file category _; do
    [ "$category" = category ] && continue
    local path="$corpus_dir/$file"
    [ -f "$path" ] && [ "$(stat -c %s "$path")" -le 65536 ] || continue
    case "$file" in *.svg) continue ;; esac
    i=$((i + 1))
    local name="$dest/corpus-$(basename "$file")"
    [ -e "$name" ] && continue
    { printf "\\x$(printf %02x $((i * 37 % 256)))\\x50\\x$(printf %02x $((i * 11 % 256)))\\x20"; cat "$path"; } >"$name"
  done <"$corpus_dir/MANIFEST.tsv"
}

status=0
summary=()
for target in "${targets[@]}"; do
  name="${target%_fuzzer}"
  work="$out/corpus/$name"
  artifacts="$out/artifacts/$name"
  mkdir -p "$work" "$artifacts"
  if [ -d "$root/fuzz/seeds/$name" ]; then cp -n "$root/fuzz/seeds/$name"/* "$work"/ 2>/dev/null || true; fi
  [ "$name" = pipeline ] && seed_pipeline "$work"
  max_len=8192
  [ "$name" = pipeline ] && max_len=65536
  log="$out/$name.log"
  echo "== $target: ${seconds}s"
  if ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1" \
     "$out/fuzz/$target" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len="$max_len" \
       -print_final_stats=1 -artifact_prefix="$artifacts/" "$work" >"$log" 2>&1; then
    result=ok
  else
    result=FAILED
    status=1
    tail -40 "$log" >&2
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  summary+=("$(printf '%-30s %-6s %10s execs  corpus %s' "$target" "$result" "$runs" "$(ls "$work" | wc -l)")")
done
printf '%s\n' "${summary[@]}"
exit $status
