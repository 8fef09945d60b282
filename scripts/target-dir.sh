#!/usr/bin/env bash
# Prints cargo's target directory for this workspace: `target/` unless
# CARGO_TARGET_DIR or a cargo config moves it. The other scripts run the
# binaries they built from there.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo metadata --format-version 1 --no-deps |
  sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p'
