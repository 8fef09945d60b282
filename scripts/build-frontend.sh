#!/usr/bin/env bash
# Builds the Leptos frontend into dist/ with Trunk (size profile + wasm-opt).
# The server embeds dist/ when it is compiled, so run this before building it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# Trunk finds the pinned wasm-opt (npm's binaryen) first on PATH, offline.
export PATH="$root/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
trunk build --release "$@"
