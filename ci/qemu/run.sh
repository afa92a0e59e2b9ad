#!/usr/bin/env bash
# Every simulator test body of every driver, blocking and async, on an emulated Cortex-M4F (QEMU's mps2-an386).
# Run from anywhere: bash ci/qemu/run.sh   (needs qemu-system-arm: apt-get install -y qemu-system-arm)
#
# Exit status 0 only if every case passed. A failed check or a panic (an overflow included) prints the file and
# line; a hard fault prints the faulting address, resolved here to a file and line (binutils' addr2line, else
# llvm-objdump from the llvm-tools component); a hang ends after the timeout.
set -euo pipefail
cd "$(dirname "$0")"
timeout=${QEMU_TIMEOUT:-60}
elf=target/thumbv7em-none-eabihf/release/qemu-tests

command -v qemu-system-arm >/dev/null || { echo "qemu: qemu-system-arm missing (apt-get install -y qemu-system-arm)"; exit 1; }
started=$SECONDS
cargo build --release
echo "qemu: built in $((SECONDS - started)) s"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
started_ns=$(date +%s%N)
status=0
timeout "$timeout" qemu-system-arm -machine mps2-an386 -cpu cortex-m4 -nographic \
  -semihosting-config enable=on,target=native -kernel "$elf" | tee "$log" || status=$?
echo "qemu: ran in $(( ($(date +%s%N) - started_ns) / 1000000 )) ms"
if [ "$status" = 124 ]; then
  echo "qemu: FAILED: no exit after ${timeout} s, the last case named above hangs"
  exit 1
fi
pc=$(sed -n 's/^hard fault at pc \(0x[0-9a-f]*\).*/\1/p' "$log")
if [ -n "$pc" ]; then
  echo "qemu: the hard fault is at (innermost first):"
  if command -v addr2line >/dev/null; then
    addr2line -f -i -C -e "$elf" "$pc"
  else
    objdump=$(find "$(rustc --print sysroot)" -name llvm-objdump -type f | head -n 1)
    "$objdump" -d -l -C --no-show-raw-insn --start-address="$pc" --stop-address=$((pc + 2)) "$elf" | tail -n 3
  fi
fi
if [ "$status" != 0 ]; then
  echo "qemu: FAILED (exit status $status)"
  exit 1
fi
grep -q '^qemu: [0-9]* passed, 0 failed$' "$log" || { echo "qemu: FAILED: no closing line"; exit 1; }
