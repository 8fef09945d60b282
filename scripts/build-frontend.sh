#!/usr/bin/env bash
# Builds the Leptos frontend with Trunk (size profile + wasm-opt): the leadership
# view from index.html into dist/, then the Backstage card, a wasm binary of its
# own, from card.html into dist/card/ (served at /card). Trunk empties its dist
# directory on every build, so the card is always built second. The server
# embeds dist/ when it is compiled, so run this before building it.
# Arguments go to both `trunk build` runs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# Trunk finds the pinned wasm-opt (npm's binaryen) first on PATH, offline.
export PATH="$root/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
trunk build "$@" --release=true index.html
trunk build "$@" --release=true --dist dist/card --public-url /card/ card.html
