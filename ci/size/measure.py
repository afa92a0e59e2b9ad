"""Measures the size benchmark's binaries and checks them against budgets.txt. Run by check.sh (see README.md).

usage: measure.py [--reset-budgets] TOOLS_DIR ELF_DIR BUDGETS CRATE...
(--reset-budgets rewrites BUDGETS at the measured figures, flash rounded up by less than 2 %, and does not fail)

Per crate, against the baseline binary (the same buses and delay, no driver):
- flash: text + rodata + data (llvm-size: text + data), less the DRIVER_SIZE marker;
- RAM: data + bss;
- the driver object's size: the length of the DRIVER_SIZE array (llvm-nm --print-size);
- stack: the deepest call path from the workload (`size_workload`) down to the bus, the bus functions' own frames
  left out; each function counted with every stack decrement in its body (push, vpush, sub sp, pre-indexed store
  to sp) from the disassembly (llvm-objdump). The analysis refuses what it cannot bound: a call or branch through
  a register, recursion, an instruction that moves sp by a register.
"""
import re
import subprocess
import sys

reset = sys.argv[1:2] == ["--reset-budgets"]
arguments = sys.argv[2:] if reset else sys.argv[1:]
tools, elf_dir, budgets_path, crates = arguments[0], arguments[1], arguments[2], arguments[3:]


def run(tool, *args):
    return subprocess.run([f"{tools}/{tool}", *args], check=True, capture_output=True, text=True).stdout


def sections(elf):
    """(flash, ram) from the Berkeley format: text (code + read-only data) + data, and data + bss."""
    last = run("llvm-size", elf).splitlines()[-1].split()
    text, data, bss = int(last[0]), int(last[1]), int(last[2])
    return text + data, data + bss


def marker(elf):
    """The size of the DRIVER_SIZE array, or None."""
    for line in run("llvm-nm", "--print-size", "--radix=d", elf).splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[3] == "DRIVER_SIZE":
            return int(parts[1])
    return None


REGISTER_LIST = re.compile(r"\{([^}]*)\}")


def count_registers(operands):
    """Registers in a {list}, ranges such as d8-d15 included."""
    found = REGISTER_LIST.search(operands)
    if not found:
        raise ValueError(f"no register list in '{operands}'")
    count = 0
    for item in found.group(1).split(","):
        item = item.strip()
        bounds = re.fullmatch(r"([a-z]+)(\d+)-[a-z]+(\d+)", item)
        count += int(bounds.group(3)) - int(bounds.group(2)) + 1 if bounds else 1
    return count


def stack_decrement(mnemonic, operands):
    """Bytes this instruction takes from the stack (0 if none); ValueError if it moves sp in a way not bounded."""
    base = mnemonic.split(".")[0]
    ops = [o.strip() for o in operands.split(",")]
    if base.startswith("push"):
        return 4 * count_registers(operands)
    if base.startswith("vpush"):
        width = 8 if REGISTER_LIST.search(operands).group(1).strip().startswith("d") else 4
        return width * count_registers(operands)
    pre_indexed = re.search(r"\[sp, #-(\d+)\]!", operands)
    if pre_indexed:
        return int(pre_indexed.group(1))
    if ops[0] in ("sp", "sp!"):
        if base in ("sub", "subw") and ops[-1].startswith("#") and (len(ops) == 2 or ops[1] == "sp"):
            return int(ops[-1][1:], 0)
        if base in ("add", "addw") and ops[-1].startswith("#") and (len(ops) == 2 or ops[1] == "sp"):
            return 0  # frees stack
        if base in ("mov", "sub", "add") and len(ops) >= 2 and ops[1] == "r7":
            return 0  # epilogue: sp restored from the frame pointer
        if base in ("ldm", "pop", "ldr", "vpop"):
            return 0
        raise ValueError(f"sp moved in a way this analysis cannot bound: {mnemonic} {operands}")
    return 0


FUNCTION = re.compile(r"^([0-9a-f]+) <(.+)>:$")
INSTRUCTION = re.compile(r"^\s+[0-9a-f]+:\s+(\S+)\s*(.*)$")
TARGET = re.compile(r"<([^>+]+)(\+0x[0-9a-f]+)?>")
BRANCH = re.compile(r"^(b|bl|blx|cbz|cbnz)(eq|ne|cs|hs|cc|lo|mi|pl|vs|vc|hi|ls|ge|lt|gt|le|al)?(\.w|\.n)?$")


def stack(elf):
    """The worst-case stack depth of the workload, bus functions not counted, in bytes."""
    listing = run("llvm-objdump", "-d", "--no-show-raw-insn", elf)
    frames, calls, order, last = {}, {}, [], {}
    function = None
    for line in listing.splitlines():
        head = FUNCTION.match(line)
        if head:
            function = head.group(2)
            order.append(function)
            frames[function], calls[function], last[function] = 0, set(), ""
            continue
        instruction = INSTRUCTION.match(line)
        if not instruction or function is None:
            continue
        mnemonic, operands = instruction.group(1), instruction.group(2).split("@")[0].strip()
        last[function] = mnemonic + " " + operands
        frames[function] += stack_decrement(mnemonic, operands)
        if BRANCH.match(mnemonic):
            target = TARGET.search(operands)
            if target is None:
                raise ValueError(f"{function}: branch through a register: {mnemonic} {operands}")
            if target.group(1) != function:
                calls[function].add(target.group(1))
        elif mnemonic.startswith("bx") and operands != "lr":
            raise ValueError(f"{function}: branch through a register: {mnemonic} {operands}")
        elif operands.split(",")[0].strip() == "pc" and not re.match(r"^ldr(\.w)?$", mnemonic) \
                or re.match(r"^ldr", mnemonic) and operands.startswith("pc,") and "[sp]" not in operands:
            raise ValueError(f"{function}: jump through a register or memory: {mnemonic} {operands}")
    # a function whose last instruction does not leave it falls through into the next one
    for this, following in zip(order, order[1:]):
        end = last[this]
        leaves = re.match(r"^(b|b\.w|b\.n|bx|udf|tbb|tbh) ", end) or re.match(r"^pop(\.w)? \{[^}]*pc\}", end) \
            or re.match(r"^ldr(\.w)? pc", end)
        if not leaves:
            calls[this].add(following)
    depth, active = {}, set()

    def deepest(name):
        if name in depth:
            return depth[name]
        if name in active:
            raise ValueError(f"recursion through {name}")
        if name not in frames:
            raise ValueError(f"call to {name}, which the disassembly does not show")
        active.add(name)
        own = 0 if "size..opaque.." in name else frames[name]
        result = own + max((deepest(callee) for callee in calls[name]), default=0)
        active.discard(name)
        depth[name] = result
        return result

    return deepest("size_workload")


def measure(name):
    elf = f"{elf_dir}/{name}"
    flash, ram = sections(elf)
    size = marker(elf)
    if size is not None:
        flash -= size
    depth = None
    if name != "baseline":
        try:
            depth = stack(elf)
        except ValueError as error:
            print(f"size: {name}: stack not measured: {error}", file=sys.stderr)
    return flash, ram, size, depth


def reset_budgets(rows):
    """Rewrites the budget lines at the measured figures, keeping the comment lines."""
    comments = [line for line in open(budgets_path) if line.startswith("#")]
    lines = [f"{crate:<10} {f['flash'] * 102 // 100:>5}  {f['ram']:>3}  {f['object']:>6}\n" for crate, f, _ in rows]
    with open(budgets_path, "w") as out:
        out.writelines(comments + lines)
    print(f"size: {budgets_path} reset to the figures above")


budgets = {}
for number, line in enumerate(open(budgets_path), 1):
    line = line.split("#")[0].split()
    if not line:
        continue
    if len(line) != 4:
        sys.exit(f"size: {budgets_path}:{number}: expected 'crate flash ram object'")
    budgets[line[0]] = dict(zip(("flash", "ram", "object"), map(int, line[1:])))

base_flash, base_ram, _, _ = measure("baseline")
rows, failures, slack = [], [], []
for crate in crates:
    flash, ram, size, depth = measure(crate)
    if size is None:
        failures.append(f"{crate}: no DRIVER_SIZE marker in its binary (size::bench! missing?)")
        size = 0
    figures = {"flash": flash - base_flash, "ram": ram - base_ram, "object": size}
    rows.append((crate, figures, depth))
    budget = budgets.get(crate)
    if budget is None:
        failures.append(f"{crate}: no budget line in ci/size/budgets.txt")
        continue
    labels = {"flash": "Δflash", "ram": "ΔRAM", "object": "driver object"}
    for key, label in labels.items():
        if figures[key] > budget[key]:
            failures.append(f"{crate}: {label} {figures[key]} B exceeds its budget of {budget[key]} B")
        elif figures[key] * 102 < budget[key] * 100:
            slack.append(f"{crate}: {label} {figures[key]} B, budget {budget[key]} B: lower the budget")
for crate in budgets:
    if crate not in crates:
        failures.append(f"{crate}: budget line for a crate the benchmark does not build")

print("| crate | Δflash (B) | ΔRAM (B) | driver object (B) | stack (B) |")
print("|---|---:|---:|---:|---:|")
for crate, figures, depth in rows:
    shown = "?" if depth is None else str(depth)
    print(f"| {crate} | {figures['flash']} | {figures['ram']} | {figures['object']} | {shown} |")
print()
print(f"baseline (bus and delay alone): flash {base_flash} B, RAM {base_ram} B")
if reset:
    reset_budgets(rows)
    sys.exit(0)
for line in slack:
    print(f"size: note: {line}")
for line in failures:
    print(f"size: OVER BUDGET: {line}")
if failures:
    sys.exit("size: over budget (ci/size/budgets.txt; see ci/size/README.md)")
