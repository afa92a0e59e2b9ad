#!/usr/bin/env bash
# Flash and RAM each driver costs a firmware, against the budgets. Run from anywhere: bash ci/size/check.sh
# `bash ci/size/check.sh --reset-budgets` rewrites budgets.txt at the measured figures instead of checking them.
#
# Builds one thumbv7em-none-eabihf binary per driver crate (its canonical workload on an opaque bus) and a baseline
# (the same bus and delay, no driver), in release as a user's firmware (opt-level "s", fat LTO, one codegen unit,
# panic = "abort", no overflow checks), then prints per crate: Δflash and ΔRAM against the baseline, the driver
# object's size and the workload's stack, as a Markdown table. Fails when a figure exceeds budgets.txt.
# What each figure means and how to lower a budget: README.md.
set -euo pipefail
cd "$(dirname "$0")"
crates=(bq24195 max17043 mcp23017 sc16is740 pca9685 mcp25625)
reset=()
case "${1:-}" in
  "") ;;
  --reset-budgets) reset=(--reset-budgets) ;;
  *) echo "usage: bash ci/size/check.sh [--reset-budgets]" >&2; exit 2 ;;
esac

sysroot=$(rustc --print sysroot)
size=$(find "$sysroot" -name llvm-size -type f | head -n 1)
if [ -z "$size" ]; then
  echo "size: llvm-size not found under $sysroot: install the tools once with 'rustup component add llvm-tools'" >&2
  exit 1
fi
tools=$(dirname "$size")
for tool in llvm-nm llvm-objdump; do
  if [ ! -x "$tools/$tool" ]; then
    echo "size: $tool not found in $tools: 'rustup component add llvm-tools'" >&2
    exit 1
  fi
done

cargo build --release --bins >&2
# the build honours CARGO_TARGET_DIR, and so does the measurement
elves=${CARGO_TARGET_DIR:-target}/thumbv7em-none-eabihf/release
python3 measure.py "${reset[@]}" "$tools" "$elves" budgets.txt "${crates[@]}"
