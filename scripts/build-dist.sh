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
WASM="$TARGET_DIR/wasm32-unknown-unknown/release/essaimage.wasm"

[ -x "$WB" ] || { echo "build-dist: $WB missing; run scripts/ensure-tools.sh wasm-bindgen" >&2; exit 1; }

echo "build-dist: cargo build --release (wasm32)" >&2
cargo build --release --target wasm32-unknown-unknown --lib

[ -f "$WASM" ] || { echo "build-dist: $WASM not produced" >&2; exit 1; }

rm -rf "$DIST"
mkdir -p "$DIST"

# ESSAIMAGE_KEEP_NAMES=1 keeps the wasm's function names (for CPU profiles: `node scripts/bench.mjs --profile`);
# such a bundle is much larger and is not the product.
NAMES=(--remove-name-section)
[ "${ESSAIMAGE_KEEP_NAMES:-}" = 1 ] && NAMES=()
echo "build-dist: wasm-bindgen --target web" >&2
"$WB" --target web --no-typescript "${NAMES[@]}" --remove-producers-section \
  --out-name essaimage_wasm --out-dir "$DIST" "$WASM"

# The widget's build for packed datasets (`essaimage pack`): the `packed` feature (the pack reader instead of the JSON
# reader), in its own target folder so that each build keeps its cache. The loader chooses one of the two builds
# from the dataset's first byte; each is a payload of its own (scripts/size.sh checks both).
PACKED_TARGET_DIR="$TARGET_DIR/packed"
echo "build-dist: cargo build --release --features packed (wasm32, packed datasets)" >&2
cargo build --release --target wasm32-unknown-unknown --lib --features packed --target-dir "$PACKED_TARGET_DIR"
PACKED_WASM="$PACKED_TARGET_DIR/wasm32-unknown-unknown/release/essaimage.wasm"
[ -f "$PACKED_WASM" ] || { echo "build-dist: $PACKED_WASM not produced" >&2; exit 1; }
"$WB" --target web --no-typescript "${NAMES[@]}" --remove-producers-section \
  --out-name essaimage_packed --out-dir "$DIST" "$PACKED_WASM"

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
# widget), in its own target folder (both builds write …/release/essaimage.wasm, and each keeps its cache). Not
# part of the widget's payload (scripts/size.sh).
CHECK_TARGET_DIR="$TARGET_DIR/check"
echo "build-dist: cargo build --release --features check (wasm32, check page)" >&2
cargo build --release --target wasm32-unknown-unknown --lib --features check --target-dir "$CHECK_TARGET_DIR"
CHECK_WASM="$CHECK_TARGET_DIR/wasm32-unknown-unknown/release/essaimage.wasm"
[ -f "$CHECK_WASM" ] || { echo "build-dist: $CHECK_WASM not produced" >&2; exit 1; }
"$WB" --target web --no-typescript "${NAMES[@]}" --remove-producers-section \
  --out-name essaimage_check --out-dir "$DIST/check" "$CHECK_WASM"
"$ESBUILD" "$DIST/check/essaimage_check.js" --minify --log-level=warning --outfile="$DIST/check/essaimage_check.js.min" \
  && mv "$DIST/check/essaimage_check.js.min" "$DIST/check/essaimage_check.js"

for f in essaimage_wasm.js essaimage_wasm_bg.wasm essaimage_packed.js essaimage_packed_bg.wasm check/essaimage_check.js check/essaimage_check_bg.wasm; do
  [ -f "$DIST/$f" ] || { echo "build-dist: $DIST/$f missing" >&2; exit 1; }
done
echo "build-dist: done -> $DIST" >&2
