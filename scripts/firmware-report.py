#!/usr/bin/env python3
"""Size and stack report of a firmware image (used by scripts/firmware).

usage: firmware-report.py TARGET LINKED_ELF OBJDUMP TEXT_BUDGET DATA_BUDGET BSS_BUDGET STACK_BUDGET

Sizes: sections of the image linked with --gc-sections from the lithos_fw_* entry points
(.text* code; .rodata*/.srodata* constants; .data*/.sdata* initialised data; .bss*/.sbss*).
Stack: a bound on the stack `lithos_fw_estimator_update` uses, from the disassembly: each
function's frame (Thumb-2: push/vpush/sub sp; RISC-V: addi sp, sp, -N) and the call graph
(bl/b.w; jal/j/call/tail), the deepest path from the entry point. Frames of external leaf
functions (libm, memcpy) are not in the image: EXTERNAL_ALLOWANCE bytes are added for them.
An indirect call, a dynamic stack adjustment or recursion on the path makes the bound
unknown, which fails. Prints one line per figure; exits 1 when a budget is exceeded.
"""
import re
import subprocess
import sys

EXTERNAL_ALLOWANCE = 128
FRAMES = {}                                     # function -> frame [B], of the last image read
# Indirect calls whose targets are known not to run during an update: swift_release calls an
# object's destructor when its last reference goes, and an update frees no object (the
# estimator keeps every object it made at init; the host test checks that updates allocate
# nothing).
NOT_TAKEN_IN_UPDATE = ("swift_release", "swift_bridgeObjectRelease")


def sections(objdump, elf):
    out = subprocess.run([objdump, "-h", elf], capture_output=True, text=True, check=True).stdout
    sizes = {"text": 0, "rodata": 0, "data": 0, "bss": 0}
    for line in out.splitlines():
        m = re.match(r"\s*\d+\s+(\S+)\s+([0-9a-fA-F]+)\s", line)
        if not m:
            continue
        name, size = m.group(1), int(m.group(2), 16)
        if name.startswith(".text"):
            sizes["text"] += size
        elif name.startswith((".rodata", ".srodata")):
            sizes["rodata"] += size
        elif name.startswith((".data", ".sdata")):
            sizes["data"] += size
        elif name.startswith((".bss", ".sbss")):
            sizes["bss"] += size
    return sizes


def stack_bound(objdump, elf, entry):
    """The image must be linked with --emit-relocs: the relocations name every callee and every
    function whose address a function takes (for calls through a register, which -Osize makes
    on Thumb-2 when a function calls the same callee several times)."""
    out = subprocess.run([objdump, "-d", "-r", "--no-show-raw-insn", elf], capture_output=True, text=True, check=True).stdout
    frames, calls, taken, indirect, unknown = {}, {}, {}, {}, {}
    current = None
    constants = {}                                  # register -> value (lui/addi, movw/movt)
    call_relocations = ("R_ARM_THM_CALL", "R_ARM_THM_JUMP24", "R_ARM_THM_JUMP19", "R_ARM_CALL", "R_ARM_JUMP24",
                        "R_RISCV_JAL", "R_RISCV_RVC_JUMP", "R_RISCV_CALL", "R_RISCV_CALL_PLT")

    def imm(text):
        return int(text.replace("#", ""), 0)

    for line in out.splitlines():
        m = re.match(r"^[0-9a-f]+ <(.+)>:$", line)
        if m and not m.group(1).startswith(".L"):             # .Lpcrel_hi… labels are inside functions
            current = m.group(1)
            frames[current], calls[current], taken[current], indirect[current], unknown[current] = 0, set(), set(), False, []
            constants = {}
            continue
        if current is None or m:
            continue
        rel = re.match(r"^\s+[0-9a-f]+:\s+(R_\w+)\s+(\S+)", line)
        if rel:
            # Calls, jumps and taken addresses: all possible callees (an over-approximation).
            if not rel.group(2).startswith((".", "*")):
                (calls if rel.group(1) in call_relocations else taken)[current].add(rel.group(2))
            continue
        if ":" not in line:
            continue
        insn = line.split(":", 1)[1].strip()
        op = insn.split()[0] if insn else ""
        k = re.match(r"(lui|movw|movt|addi|mov\.w|movs|mov)\s+(\w+),\s*(?:(\w+),\s*)?#?(-?0x[0-9a-f]+|-?\d+)$", insn)
        if k:
            reg, value = k.group(2), int(k.group(4), 0)
            if k.group(1) == "lui":
                constants[reg] = value << 12
            elif k.group(1) == "movt":
                constants[reg] = (constants.get(reg, 0) & 0xFFFF) | (value << 16)
            elif k.group(1) == "addi" and k.group(3) == reg and reg in constants:
                constants[reg] += value
            elif k.group(1) != "addi":
                constants[reg] = value
        if op in ("push", "push.w", "vpush"):
            regs = re.search(r"\{([^}]*)\}", insn)
            for r in (x.strip() for x in regs.group(1).split(",") if x.strip()):
                a = re.match(r"([rsd])(\d+)\s*-\s*[rsd](\d+)", r)
                width = 8 if r.startswith("d") else 4
                frames[current] += width * ((int(a.group(3)) - int(a.group(2)) + 1) if a else 1)
        elif op in ("stmdb", "stmdb.w") and insn.split()[1].startswith("sp!"):
            regs = re.search(r"\{([^}]*)\}", insn)
            frames[current] += 4 * len([x for x in regs.group(1).split(",") if x.strip()])
        elif op.startswith("str") and re.search(r"\[sp, #-(0x[0-9a-f]+|\d+)\]!", insn):
            frames[current] += imm(re.search(r"\[sp, #-(0x[0-9a-f]+|\d+)\]!", insn).group(1))
        elif op in ("sub", "sub.w", "subw", "subs") and re.match(r"\S+\s+sp,\s*(sp,\s*)?#", insn):
            frames[current] += imm(re.search(r"#(0x[0-9a-f]+|\d+)", insn).group(1))
        elif op in ("sub", "sub.w", "subs", "add", "add.w") and re.match(r"\S+\s+sp,\s*(sp,\s*)?(\w+)$", insn):
            reg = re.match(r"\S+\s+sp,\s*(sp,\s*)?(\w+)$", insn).group(2)
            if reg in constants and (op.startswith("sub") or constants[reg] < 0):
                frames[current] += abs(constants[reg])      # a large constant frame
            elif not op.startswith("add"):
                unknown[current].append(insn)                   # dynamic stack adjustment
        elif op in ("addi", "c.addi16sp", "c.addi") and re.match(r"\S+\s+sp,\s*sp,\s*-", insn):
            frames[current] += imm(re.match(r"\S+\s+sp,\s*sp,\s*-(\S+)", insn).group(1))
        elif op in ("sub", "c.sub") and re.match(r"\S+\s+sp,\s*sp,\s*(\w+)$", insn):
            reg = re.match(r"\S+\s+sp,\s*sp,\s*(\w+)$", insn).group(1)
            if reg in constants:
                frames[current] += constants[reg]
            else:
                unknown[current].append(insn)
        elif op in ("blx", "jalr", "c.jalr") or (op == "bx" and "lr" not in insn):
            indirect[current] = True
    # Indirect calls (through a register): a callee whose address the function takes itself, or
    # any function whose address is taken in code reachable from the entry (closures passed
    # down, as the safety monitor's rest-SOC closure).
    reachable, stack = set(), [entry]
    while stack:
        f = stack.pop()
        if f in reachable or f not in frames:
            continue
        reachable.add(f)
        stack.extend(calls[f] | taken[f])
    address_taken = {t for f in reachable for t in taken[f] if t in frames}
    for f in reachable:
        own = {t for t in taken[f] if t in frames}
        calls[f] |= own
        if indirect[f] and not own and f not in NOT_TAKEN_IN_UPDATE:
            calls[f] |= address_taken
    memo, on_path, deepest = {}, set(), {}

    def depth(f):
        if f not in frames:
            return EXTERNAL_ALLOWANCE, []          # external (libm, memcpy) or data: allowance
        if f in memo:
            return memo[f]
        if f in on_path:
            return None, [f + " (recursion)"]
        if unknown[f]:
            return None, [f + ": " + unknown[f][0]]
        if indirect[f] and not address_taken and f not in NOT_TAKEN_IN_UPDATE:
            return None, [f + ": indirect call, no address taken"]
        on_path.add(f)
        best = 0
        for c in sorted(calls[f]):
            if c == f:
                continue
            d, w = depth(c)
            if d is None:
                on_path.discard(f)
                return None, [f] + w
            if d > best:
                best, deepest[f] = d, c
        on_path.discard(f)
        memo[f] = (frames[f] + best, [])
        return memo[f]

    FRAMES.update(frames)
    bound, why = depth(entry)
    if bound is not None:                       # the deepest path, for the report
        f, why = entry, []
        while f in frames:
            why.append((f, frames[f]))
            f = deepest.get(f)
    return bound, why


def demangle(symbol):
    """A short name for a Swift symbol: the type and member (its first two identifiers after
    the module's; the mangling writes each identifier as its length then its characters)."""
    if not symbol.startswith("$e"):
        return symbol
    names, i = [], 2
    while i < len(symbol) and len(names) < 3:
        m = re.match(r"\d+", symbol[i:])
        if not m:
            if names:
                if symbol[i] not in "VCOEyxGS":  # a type kind or generic marker between names
                    break
            i += 1
            continue
        n = int(m.group(0))
        names.append(symbol[i + len(m.group(0)):i + len(m.group(0)) + n])
        i += len(m.group(0)) + n
    return ".".join(names[1:]) or symbol


def main():
    target, elf, objdump = sys.argv[1], sys.argv[2], sys.argv[3]
    text_budget, data_budget, bss_budget, stack_budget = (int(x) for x in sys.argv[4:8])
    s = sections(objdump, elf)
    stack, why = stack_bound(objdump, elf, "lithos_fw_estimator_update")
    ok = True
    print(f"  {target}: .text {s['text']} B ({s['text'] / 1024:.1f} KiB, budget {text_budget / 1024:.0f} KiB), "
          f".rodata {s['rodata']} B, .data {s['data']} B (budget {data_budget}), .bss {s['bss']} B (budget {bss_budget})")
    if stack is None:
        print(f"  {target}: stack of lithos_fw_estimator_update: unknown ({' <- '.join(why)})")
        ok = False
    else:
        print(f"  {target}: stack of lithos_fw_estimator_update: <= {stack} B (call-graph bound incl. {EXTERNAL_ALLOWANCE} B "
              f"for libm/memcpy; budget {stack_budget} B)")
        if stack > stack_budget:
            ok = False
        # The deepest path: the frames that make up the bound (the largest first to look at).
        print(f"  {target}: deepest path: " + " <- ".join(f"{demangle(f)} {n}" for f, n in why[::-1] if n >= 64))
    for key, budget in (("text", text_budget), ("data", data_budget), ("bss", bss_budget)):
        if s[key] > budget:
            print(f"  {target}: FAIL: .{key} {s[key]} B over the budget of {budget} B")
            ok = False
    if stack is not None and stack > stack_budget:
        print(f"  {target}: FAIL: stack {stack} B over the budget of {stack_budget} B")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
