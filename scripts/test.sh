#!/usr/bin/env bash
# Runs every test: formatting, lints (native and wasm), the frontend build,
# the workspace tests (reader, CLI, HTTP, browser end-to-end) and the
# wasm-bindgen tests in headless Chromium. Installs what it needs first.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export PATH="$root/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"

step() { printf '\n==> %s\n' "$*"; }

step "installing pinned tools (skipped when present)"
scripts/install-tools.sh --browser

step "cargo fmt --check"
cargo fmt --all -- --check

step "frontend build (trunk, wasm-release profile)"
scripts/build-frontend.sh

step "clippy (native workspace)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "clippy (app for wasm32)"
cargo clippy -p milepost-app --target wasm32-unknown-unknown --locked -- -D warnings

step "workspace tests"
cargo test --workspace --locked

step "wasm-bindgen tests in headless Chromium"
CHROMEDRIVER=/usr/bin/chromedriver cargo test -p milepost-app --target wasm32-unknown-unknown --locked

step "all tests passed"
