#!/usr/bin/env bash
# Payload budget check: gzip -9 size of what a host page downloads.
# Prints one line per file, then `BENCH payload_gzip <bytes> bytes` and a human summary.
# Exits 1 if a file is missing, 3 if the total is over budget.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIST="${1:-$ROOT/dist}"
BUDGET=245760 # 240 KB

FILES=(essaimage.js essaimage_wasm.js essaimage_wasm_bg.wasm essaimage.css)
# The build for packed datasets: what a page whose dataset is a pack downloads instead of the JSON build's glue and
# wasm (the loader chooses from the dataset's first byte). Under the same budget.
PACKED=(essaimage.js essaimage_packed.js essaimage_packed_bg.wasm essaimage.css)

missing=0
for f in "${FILES[@]}" "${PACKED[@]}"; do
  if [ ! -f "$DIST/$f" ]; then
    echo "size: missing $DIST/$f (run scripts/build-dist.sh / make dist)" >&2
    missing=1
  fi
done
[ "$missing" -eq 0 ] || exit 1

total=0
for f in "${FILES[@]}"; do
  raw=$(wc -c < "$DIST/$f")
  gz=$(gzip -9 -c "$DIST/$f" | wc -c)
  printf '%-26s %9d bytes raw  %8d bytes gzip-9\n' "$f" "$raw" "$gz"
  total=$((total + gz))
done

echo "BENCH payload_gzip $total bytes"
awk -v t="$total" -v b="$BUDGET" 'BEGIN { printf "payload gzip-9: %.1f KB of %.0f KB budget (%.0f%%)\n", t/1024, b/1024, 100*t/b }'

packed=0
for f in "${PACKED[@]}"; do
  gz=$(gzip -9 -c "$DIST/$f" | wc -c)
  case "$f" in essaimage_packed*) printf '%-26s %9d bytes raw  %8d bytes gzip-9\n' "$f" "$(wc -c < "$DIST/$f")" "$gz" ;; esac
  packed=$((packed + gz))
done
echo "BENCH payload_gzip_packed $packed bytes"
awk -v t="$packed" -v b="$BUDGET" 'BEGIN { printf "payload for packed datasets gzip-9: %.1f KB of %.0f KB budget (%.0f%%)\n", t/1024, b/1024, 100*t/b }'

if [ "$total" -gt "$BUDGET" ]; then
  echo "size: OVER BUDGET by $((total - BUDGET)) bytes" >&2
  exit 3
fi
if [ "$packed" -gt "$BUDGET" ]; then
  echo "size: the build for packed datasets is OVER BUDGET by $((packed - BUDGET)) bytes" >&2
  exit 3
fi
