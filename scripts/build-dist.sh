#!/usr/bin/env bash
# Builds the release bundle into dist/:
#   dist/essaimage_wasm.js, dist/essaimage_wasm_bg.wasm  (wasm-bindgen, --target web)
#   dist/essaimage_packed.js, …_bg.wasm                  (the widget for packed datasets: `--features packed`, built
#                                                         in target/packed)
#   dist/check/essaimage_check.js, …_bg.wasm             (the check page's module: `--features check`, built in
#                                                         target/check so the widget's build stays cached)
#   dist/<everything in static/>                         (loader, CSS, data, schema...)
#   dist/index.html
# Needs: scripts/ensure-tools.sh rust wasm-bindgen build-node
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

WB="$ROOT/.tools/bin/wasm-bindgen"
DIST="${DIST_DIR:-$ROOT/dist}"  # DIST_DIR: another output folder (e.g. a profiling bundle)
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"

[ -x "$WB" ] || { echo "build-dist: $WB missing; run scripts/ensure-tools.sh wasm-bindgen" >&2; exit 1; }

rm -rf "$DIST"
mkdir -p "$DIST"

# ESSAIMAGE_KEEP_NAMES=1 keeps the wasm's function names (for CPU profiles: `node scripts/bench.mjs --profile`);
# such a bundle is much larger and is not the product.
NAMES=(--remove-name-section)
[ "${ESSAIMAGE_KEEP_NAMES:-}" = 1 ] && NAMES=()

# build_wasm NAME OUT_DIR [FEATURE]: the crate built for wasm32 (with FEATURE, in its own target folder, since every
# build writes …/release/essaimage.wasm and each keeps its cache), then wasm-bindgen's glue NAME.js and NAME_bg.wasm.
build_wasm() {
  local name="$1" out="$2" feature="${3:-}" target="$TARGET_DIR"
  local args=(--release --target wasm32-unknown-unknown --lib)
  if [ -n "$feature" ]; then
    target="$TARGET_DIR/$feature"
    args+=(--features "$feature" --target-dir "$target")
  fi
  echo "build-dist: cargo build ${args[*]}" >&2
  cargo build "${args[@]}"
  local wasm="$target/wasm32-unknown-unknown/release/essaimage.wasm"
  [ -f "$wasm" ] || { echo "build-dist: $wasm not produced" >&2; exit 1; }
  "$WB" --target web --no-typescript "${NAMES[@]}" --remove-producers-section --out-name "$name" --out-dir "$out" "$wasm"
}

# The widget, for JSON datasets.
build_wasm essaimage_wasm "$DIST"
# The widget's build for packed datasets (`essaimage pack`): the `packed` feature (the pack reader instead of the JSON
# reader). The loader chooses one of the two builds from the dataset's first byte; each is a payload of its own
# (scripts/size.sh checks both).
build_wasm essaimage_packed "$DIST" packed

# Short names for the wasm's imports and exports, in the wasm and the glue alike (hashed names do not compress;
# the saving is in docs/SIZE.md).
if [ "${ESSAIMAGE_KEEP_NAMES:-}" != 1 ]; then
  for build in essaimage_wasm essaimage_packed; do
    node "$ROOT/scripts/minify-wasm-names.mjs" "$DIST/${build}_bg.wasm" "$DIST/$build.js"
  done
fi

if [ -d static ]; then
  # Recursive copy of static/ contents (incl. dot-files and sub-folders like data/, schema/).
  cp -R static/. "$DIST"/
fi
[ -f index.html ] && cp index.html "$DIST"/

# Minify the code payload (loader, glue, stylesheet): it counts in the 240 KB gzip budget (docs/SIZE.md).
ESBUILD="$ROOT/scripts/node_modules/.bin/esbuild"
[ -x "$ESBUILD" ] || { echo "build-dist: $ESBUILD missing; run scripts/ensure-tools.sh build-node" >&2; exit 1; }
for f in essaimage.js essaimage_wasm.js essaimage_packed.js essaimage.css; do
  "$ESBUILD" "$DIST/$f" --minify --log-level=warning --outfile="$DIST/$f.min" && mv "$DIST/$f.min" "$DIST/$f"
done

# The check page's module (static/verifier.html): the same crate with the `check` feature (the table import, no
# widget). Not part of the widget's payload (scripts/size.sh).
build_wasm essaimage_check "$DIST/check" check
"$ESBUILD" "$DIST/check/essaimage_check.js" --minify --log-level=warning --outfile="$DIST/check/essaimage_check.js.min" \
  && mv "$DIST/check/essaimage_check.js.min" "$DIST/check/essaimage_check.js"

for f in essaimage_wasm.js essaimage_wasm_bg.wasm essaimage_packed.js essaimage_packed_bg.wasm check/essaimage_check.js check/essaimage_check_bg.wasm; do
  [ -f "$DIST/$f" ] || { echo "build-dist: $DIST/$f missing" >&2; exit 1; }
done
echo "build-dist: done -> $DIST" >&2
