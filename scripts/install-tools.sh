#!/usr/bin/env bash
# Installs the pinned tools Milepost's build and tests need. Idempotent: each
# tool is checked at its pinned version first and installed only when missing.
#
#   scripts/install-tools.sh            # build tools (wasm target, trunk, wasm-bindgen, wasm-opt)
#   scripts/install-tools.sh --browser  # ... and Chromium + ChromeDriver + axe-core for browser tests
#   scripts/install-tools.sh --bench    # ... and wrk, nginx, hyperfine, GNU time, playwright-core for benchmarks
set -euo pipefail

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130
BINARYEN_VERSION=132.0.0
AXE_CORE_VERSION=4.14.1
PLAYWRIGHT_CORE_VERSION=1.65.1

root=$(cd "$(dirname "$0")/.." && pwd)
tools="$root/.tools"
mkdir -p "$tools"

want_browser=0
want_bench=0
for arg in "$@"; do
  case "$arg" in
    --browser) want_browser=1 ;;
    --bench) want_bench=1 ;;
    *) echo "install-tools.sh: unknown option '$arg'" >&2; exit 2 ;;
  esac
done

say() { printf '[install-tools] %s\n' "$*" >&2; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (takes several minutes once)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # Not --locked: the crate's own lockfile pins a version the registry no longer has.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# The version of an npm package installed in .tools/, or nothing.
npm_version() {
  node -p "require('$tools/node_modules/$1/package.json').version" 2>/dev/null || true
}

# npm packages: each wanted one is checked at its pinned version; when any is
# missing, all wanted ones are installed in one command with --save-exact, so
# .tools/package.json lists them (npm prunes whatever it does not list).
npm_wanted=("binaryen@$BINARYEN_VERSION")
npm_missing=()
# Debian's binaryen is too old for current wasm-bindgen output; take npm's pinned build.
if [ "$("$tools/node_modules/.bin/wasm-opt" --version 2>/dev/null | awk '{print $3}')" != "${BINARYEN_VERSION%%.*}" ]; then
  npm_missing+=("binaryen $BINARYEN_VERSION (wasm-opt)")
fi
# axe-core: the accessibility rules the browser test injects into the page.
if [ "$want_browser" = 1 ]; then
  npm_wanted+=("axe-core@$AXE_CORE_VERSION")
  [ "$(npm_version axe-core)" = "$AXE_CORE_VERSION" ] || npm_missing+=("axe-core $AXE_CORE_VERSION")
fi
# playwright-core (no bundled browser; it drives /usr/bin/chromium) for bench-frontend.sh.
if [ "$want_bench" = 1 ]; then
  npm_wanted+=("playwright-core@$PLAYWRIGHT_CORE_VERSION")
  [ "$(npm_version playwright-core)" = "$PLAYWRIGHT_CORE_VERSION" ] || npm_missing+=("playwright-core $PLAYWRIGHT_CORE_VERSION")
fi
if [ ${#npm_missing[@]} -gt 0 ]; then
  say "installing into .tools/: ${npm_missing[*]}"
  npm install --prefix "$tools" --save-exact --no-audit --no-fund "${npm_wanted[@]}" >&2
fi

apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing Debian packages: ${missing[*]}"
    local as_root=()
    if [ "$(id -u)" != 0 ]; then
      command -v sudo >/dev/null 2>&1 || {
        say "need root to install ${missing[*]}: run as root or install them with apt-get"
        exit 1
      }
      as_root=(sudo)
    fi
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
  fi
}

[ "$want_browser" = 1 ] && apt_install chromium chromium-driver
[ "$want_bench" = 1 ] && apt_install wrk nginx-light hyperfine brotli time
say "tools ready"
