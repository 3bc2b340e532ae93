package dev.verifarm.agent.isa.amd64;

import dev.verifarm.agent.elf.ElfFormatException;
import dev.verifarm.agent.isa.Instruction;
import dev.verifarm.agent.isa.Operand;
import dev.verifarm.agent.isa.StubContext;
import dev.verifarm.agent.isa.StubState;
import dev.verifarm.agent.isa.StubState.Place;
import dev.verifarm.agent.isa.StubWalk;
import dev.verifarm.agent.isa.SymbolicValue;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * How one amd64 instruction changes a stub's state: the moves, LEAs, stack arithmetic, pushes and pops the Go
 * assembler and C compilers put in resolver stubs and their prologues and epilogues. Instructions that only
 * set flags change nothing; those that only write their first operand make it unknown; anything else may have
 * written any register or memory, so the walk forgets everything it knew.
 */
final class Amd64Step implements StubWalk.Machine {

    private static final String RIP = "rip";
    private static final String RSP = "rsp";
    private static final Set<String> FLAGS_ONLY = Set.of("cmp", "test", "bt", "nop", "endbr64", "pause", "lfence",
            "mfence", "sfence");
    private static final Set<String> WRITES_FIRST_OPERAND = Set.of("and", "or", "xor", "shl", "shr", "sar", "sal",
            "rol", "ror", "not", "neg", "inc", "dec", "movzx", "movsx", "movsxd", "bswap", "adc", "sbb", "bsf", "bsr",
            "popcnt", "lzcnt", "tzcnt", "andn");

    /** Capstone's operand sizes, longest name first: "word" is also in "dword", "qword" and "xmmword". */
    private static final List<Map.Entry<String, Integer>> OPERAND_SIZES = List.of(Map.entry("zmmword", 64),
            Map.entry("ymmword", 32), Map.entry("xmmword", 16), Map.entry("tbyte", 10), Map.entry("qword", 8),
            Map.entry("dword", 4), Map.entry("word", 2), Map.entry("byte", 1));

    private final StubContext context;

    Amd64Step(StubContext context) {
        this.context = context;
    }

    @Override
    public void step(Instruction insn, StubState state) throws ElfFormatException {
        state.set(RIP, SymbolicValue.known(insn.next()));
        List<Operand> ops = insn.operands();
        String m = insn.mnemonic();
        switch (m) {
            case "push" -> push(insn, state);
            case "pop" -> pop(insn, state);
            case "lea" -> {
                if (ops.size() == 2 && ops.get(0) instanceof Operand.Register dst && ops.get(1) instanceof Operand.Memory mem) {
                    write(dst.name(), StubState.addressOf(place(insn, mem, state)), state);
                } else {
                    state.forgetEverything("the walk does not follow " + describe(insn));
                }
            }
            case "mov", "movabs" -> move(insn, state);
            case "add", "sub" -> arithmetic(insn, state);
            default -> other(insn, state);
        }
    }

    private void push(Instruction insn, StubState state) throws ElfFormatException {
        SymbolicValue value = insn.operands().size() == 1 ? operandValue(insn, insn.operands().get(0), state)
                : SymbolicValue.UNKNOWN;
        SymbolicValue sp = SymbolicValue.minus(state.value(RSP), SymbolicValue.known(Long.BYTES));
        state.set(RSP, sp);
        state.store(top(sp), Long.BYTES, value, "[rsp]");
    }

    private void pop(Instruction insn, StubState state) throws ElfFormatException {
        SymbolicValue sp = state.value(RSP);
        SymbolicValue value = state.load(top(sp), Long.BYTES, context.memory());
        state.set(RSP, SymbolicValue.plus(sp, SymbolicValue.known(Long.BYTES)));
        if (insn.operands().size() == 1 && insn.operands().get(0) instanceof Operand.Register dst) {
            write(dst.name(), value, state);
        } else {
            state.forgetEverything("the walk does not follow " + describe(insn));
        }
    }

    private void move(Instruction insn, StubState state) throws ElfFormatException {
        List<Operand> ops = insn.operands();
        if (ops.size() != 2) {
            state.forgetEverything("the walk does not follow " + describe(insn));
        } else if (ops.get(0) instanceof Operand.Memory dst) {
            int width = width(insn);
            SymbolicValue value = width == Long.BYTES ? operandValue(insn, ops.get(1), state) : SymbolicValue.UNKNOWN;
            state.store(place(insn, dst, state), width, value, where(insn, dst));
        } else if (ops.get(0) instanceof Operand.Register dst) {
            write(dst.name(), operandValue(insn, ops.get(1), state, width(dst.name())), state);
        }
    }

    private void arithmetic(Instruction insn, StubState state) throws ElfFormatException {
        List<Operand> ops = insn.operands();
        if (ops.size() != 2) {
            state.forgetEverything("the walk does not follow " + describe(insn));
        } else if (ops.get(0) instanceof Operand.Memory dst) {
            state.store(place(insn, dst, state), width(insn), SymbolicValue.UNKNOWN, where(insn, dst));
        } else if (ops.get(0) instanceof Operand.Register dst) {
            String full = Amd64.fullRegister(dst.name());
            SymbolicValue a = full.equals(dst.name()) ? state.value(full) : SymbolicValue.UNKNOWN;
            SymbolicValue b = operandValue(insn, ops.get(1), state, width(dst.name()));
            write(dst.name(), insn.mnemonic().equals("add") ? SymbolicValue.plus(a, b) : SymbolicValue.minus(a, b), state);
        }
    }

    private void other(Instruction insn, StubState state) {
        String m = insn.mnemonic();
        List<Operand> ops = insn.operands();
        if (FLAGS_ONLY.contains(m)) {
            return;
        }
        boolean writesFirst = WRITES_FIRST_OPERAND.contains(m) || m.startsWith("cmov") || m.startsWith("set")
                || (m.equals("imul") && ops.size() >= 2);
        if (!writesFirst || ops.isEmpty()) {
            state.forgetEverything("the walk does not follow " + describe(insn));
        } else if (ops.get(0) instanceof Operand.Memory dst) {
            state.store(place(insn, dst, state), width(insn), SymbolicValue.UNKNOWN, where(insn, dst));
        } else if (ops.get(0) instanceof Operand.Register dst) {
            boolean zeroes = m.equals("xor") && ops.size() == 2 && ops.get(1) instanceof Operand.Register src
                    && src.name().equals(dst.name());
            write(dst.name(), zeroes ? SymbolicValue.known(0) : SymbolicValue.UNKNOWN, state);
        }
    }

    /**
     * Writes a register. A 32-bit write zero-extends, which is right for an address below 4 GiB in a file loaded
     * where it was linked; in a PIE, or for 8- and 16-bit writes, the register is no longer known.
     */
    private void write(String register, SymbolicValue value, StubState state) {
        String full = Amd64.fullRegister(register);
        if (full.equals(register)) {
            state.set(full, value);
        } else if (isLow32(register) && !context.positionIndependent() && value instanceof SymbolicValue.Known k) {
            state.set(full, SymbolicValue.known(k.value() & 0xffffffffL));
        } else {
            state.forget(full);
        }
    }

    private SymbolicValue operandValue(Instruction insn, Operand op, StubState state) throws ElfFormatException {
        return operandValue(insn, op, state, Long.BYTES);
    }

    /** What an operand read at width bytes holds: an immediate, a 64-bit register, or memory. */
    private SymbolicValue operandValue(Instruction insn, Operand op, StubState state, int width) throws ElfFormatException {
        if (op instanceof Operand.Immediate imm) {
            return SymbolicValue.known(imm.value());
        }
        if (op instanceof Operand.Register r) {
            return Amd64.fullRegister(r.name()).equals(r.name()) ? state.value(r.name()) : SymbolicValue.UNKNOWN;
        }
        Operand.Memory mem = (Operand.Memory) op;
        return state.load(place(insn, mem, state), width, context.memory());
    }

    private static Place place(Instruction insn, Operand.Memory mem, StubState state) {
        if (insn.operandText().contains("fs:") || insn.operandText().contains("gs:")) {
            return new Place.ThreadLocal(); // segment-relative: thread-local storage, not the stack or the image
        }
        return state.place(mem);
    }

    private static Place top(SymbolicValue sp) {
        return sp instanceof SymbolicValue.StackAddress s ? new Place.Frame(s.offset()) : new Place.Unknown();
    }

    /** The width of the instruction's memory operand, from the size Capstone prints ({@code qword ptr}). */
    private static int width(Instruction insn) {
        String t = insn.operandText();
        for (Map.Entry<String, Integer> size : OPERAND_SIZES) {
            if (t.contains(size.getKey())) {
                return size.getValue();
            }
        }
        return Long.BYTES;
    }

    private static int width(String register) {
        if (Amd64.fullRegister(register).equals(register)) {
            return Long.BYTES;
        }
        return isLow32(register) ? 4 : 2;
    }

    private static boolean isLow32(String reg) {
        return reg.matches("e(ax|bx|cx|dx|si|di|bp|sp)|r(8|9|1[0-5])d");
    }

    /** A memory operand as the evidence names it: {@code [rsp+32]}, or the instruction when it is not that simple. */
    private static String where(Instruction insn, Operand.Memory mem) {
        String base = mem.base().orElse("");
        if (mem.index().isPresent() || base.isEmpty()) {
            return insn.text();
        }
        long d = mem.displacement();
        return "[" + base + (d < 0 ? "-" + -d : "+" + d) + "]";
    }

    private static String describe(Instruction insn) {
        return insn.text() + " at 0x" + Long.toHexString(insn.address());
    }

    @Override
    public boolean conditional(Instruction branch) {
        return branch.mnemonic().startsWith("j") && !branch.mnemonic().equals("jmp");
    }

    @Override
    public OptionalLong target(Instruction transfer) {
        return Amd64.transferTarget(transfer);
    }
}
