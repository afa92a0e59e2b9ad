#!/usr/bin/env bash
# The no-panic proof. Run from anywhere: bash ci/no-panic/check.sh
#
# 1. Blocking drivers: a release build (LTO, overflow checks on) whose panic handler calls a function that exists
#    nowhere. It links only if no panic path survives in any public operation of any driver.
# 2. Async drivers: the same binary with the async twins too. The compiler guards every `async fn` state machine
#    with a "resumed after completion" panic, which the optimiser cannot always remove. So this build links with
#    the missing function defined, and the disassembly must show that every call into the panic machinery comes
#    from that guard (`panic_const_async_fn_resumed`) and from nowhere else.
set -euo pipefail
cd "$(dirname "$0")"
symbol=a_driver_operation_can_panic_see_ci_no_panic_readme

echo "no-panic: blocking drivers (link fails if a panic survives)"
cargo build --release

echo "no-panic: async drivers (every panic must be the compiler's resumed-after-completion guard)"
rustup component add llvm-tools >/dev/null 2>&1 || true
objdump=$(find "$(rustc --print sysroot)" -name llvm-objdump -type f | head -n 1)
[ -x "$objdump" ] || { echo "llvm-objdump not found (rustup component add llvm-tools)"; exit 1; }
RUSTFLAGS="-C link-arg=--defsym=$symbol=0x1000" cargo build --release --features async --target-dir target/async
elf=target/async/thumbv7em-none-eabihf/release/no-panic
"$objdump" -d --demangle --no-show-raw-insn "$elf" > target/async/no-panic.s
python3 - target/async/no-panic.s <<'PY'
import re, sys
# Every branch into the panic machinery, and the function it sits in.
panicky = re.compile(r"<(core::panicking::[^>]*|core::option::[^>]*expect[^>]*|core::result::unwrap_failed[^>]*|core::slice::[^>]*fail[^>]*|core::str::slice_error_fail[^>]*|__rustc::rust_begin_unwind)>")
guard = "core::panicking::panic_const::panic_const_async_fn_resumed"
# the guard itself calls panic_fmt, which calls the handler: those two links are the guard's own
own = {(guard, "core::panicking::panic_fmt"), ("core::panicking::panic_fmt", "__rustc::rust_begin_unwind")}
function, calls = None, {}
for line in open(sys.argv[1]):
    head = re.match(r"^[0-9a-f]+ <(.*)>:$", line)
    if head:
        function = head.group(1)
        continue
    if re.search(r"\sb(l|\.w|lx)?\s", line):
        target = panicky.search(line)
        if target:
            key = (function, target.group(1))
            calls[key] = calls.get(key, 0) + 1
bad = {k: n for k, n in calls.items() if k[1] != guard and k not in own}
print(f"no-panic: {sum(n for k, n in calls.items() if k[1] == guard)} branches to the async resume guard")
for (caller, callee), n in sorted(bad.items()):
    print(f"no-panic: PANIC PATH: {caller} -> {callee} ({n}x)")
if bad:
    sys.exit("no-panic: a panic path other than the async resume guard survives")
if not calls:
    sys.exit("no-panic: no branch to the guard at all: the disassembly check is broken")
print("no-panic: ok")
PY
