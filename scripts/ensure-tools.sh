#!/usr/bin/env bash
# Idempotent tool installer for Essaimage. Ask only for what you need:
#   scripts/ensure-tools.sh rust wasm-bindgen chromium engines node
#   scripts/ensure-tools.sh all
# Each component is skipped quickly when already present.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

WASM_BINDGEN_VERSION="0.2.129"
TOOLS_DIR="$ROOT/.tools"
WASM_TARGET="wasm32-unknown-unknown"

log() { printf '[ensure-tools] %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    log "need root for: $*"; return 1
  fi
}

ensure_rust() {
  command -v cargo >/dev/null 2>&1 || { log "cargo not found on PATH"; return 1; }
  if ! command -v rustup >/dev/null 2>&1; then
    # Without rustup we can only check that the target's std is usable.
    if rustc --print target-list >/dev/null 2>&1 \
       && [ -d "$(rustc --print sysroot)/lib/rustlib/$WASM_TARGET" ]; then
      return 0
    fi
    log "rustup not found and $WASM_TARGET std missing"; return 1
  fi
  if rustup target list --installed | grep -qx "$WASM_TARGET"; then
    return 0
  fi
  log "adding rust target $WASM_TARGET"
  rustup target add "$WASM_TARGET"
}

wb_ok() {
  # $1 = binary path; succeeds if it exists and reports the pinned version.
  [ -x "$1" ] && "$1" --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION\b"
}

ensure_wasm_bindgen() {
  local wb="$TOOLS_DIR/bin/wasm-bindgen" runner="$TOOLS_DIR/bin/wasm-bindgen-test-runner"
  if wb_ok "$wb" && wb_ok "$runner"; then
    return 0
  fi
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION into $TOOLS_DIR (takes a few minutes)"
  cargo install --locked wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --root "$TOOLS_DIR" --force
  wb_ok "$wb" && wb_ok "$runner" || { log "wasm-bindgen install did not produce $WASM_BINDGEN_VERSION"; return 1; }
}

ensure_chromium() {
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    return 0
  fi
  log "installing chromium + chromium-driver (Debian packages)"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium chromium-driver
  [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] || { log "chromium install failed"; return 1; }
}

# The other engines of the end-to-end tests (tests/e2e/engines/): Firefox ESR, driven by puppeteer-core over
# WebDriver BiDi, and WebKitGTK's WebDriver (WebKitWebDriver and its MiniBrowser), which draws into Xvfb. Debian
# packages only: no browser download. About 141 MB to download, 20 s to install on the build machine.
WEBKIT_MINIBROWSER=/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser
ensure_engines() {
  if [ -x /usr/bin/firefox-esr ] && [ -x /usr/bin/WebKitWebDriver ] && [ -x "$WEBKIT_MINIBROWSER" ] \
     && command -v Xvfb >/dev/null 2>&1; then
    return 0
  fi
  log "installing firefox-esr + webkit2gtk-driver + xvfb (Debian packages)"
  # A fresh machine's package lists may be empty or old: update first.
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    firefox-esr webkit2gtk-driver xvfb xauth
  [ -x /usr/bin/firefox-esr ] && [ -x /usr/bin/WebKitWebDriver ] && [ -x "$WEBKIT_MINIBROWSER" ] \
    && command -v Xvfb >/dev/null 2>&1 || { log "engines install failed"; return 1; }
}

# npm ci in a folder with a committed package-lock.json, unless node_modules is already up to date.
npm_ci_in() {
  command -v npm >/dev/null 2>&1 || { log "npm not found on PATH"; return 1; }
  local dir="$ROOT/$1"
  local marker="$dir/node_modules/.package-lock.json"
  if [ -f "$marker" ] && [ ! "$dir/package-lock.json" -nt "$marker" ]; then
    return 0
  fi
  log "npm ci in $1"
  (cd "$dir" && npm ci --no-audit --no-fund)
}

# End-to-end test packages (playwright-core, puppeteer-core, axe-core, @wdio/protocols).
ensure_node() { npm_ci_in tests/e2e; }

# Build packages (esbuild, to minify the loader, glue and CSS in dist/).
ensure_build_node() { npm_ci_in scripts; }

usage() {
  echo "usage: $0 {rust|wasm-bindgen|chromium|engines|node|build-node|all}..." >&2
}

[ "$#" -gt 0 ] || { usage; exit 2; }

for what in "$@"; do
  case "$what" in
    rust) ensure_rust ;;
    wasm-bindgen) ensure_wasm_bindgen ;;
    chromium) ensure_chromium ;;
    engines) ensure_engines ;;
    node) ensure_node ;;
    build-node) ensure_build_node ;;
    all) ensure_rust; ensure_wasm_bindgen; ensure_chromium; ensure_engines; ensure_node; ensure_build_node ;;
    -h|--help) usage; exit 0 ;;
    *) usage; exit 2 ;;
  esac
done
