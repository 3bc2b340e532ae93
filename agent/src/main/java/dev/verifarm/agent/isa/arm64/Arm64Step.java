package dev.verifarm.agent.isa.arm64;

import dev.verifarm.agent.elf.ElfFormatException;
import dev.verifarm.agent.isa.Instruction;
import dev.verifarm.agent.isa.Operand;
import dev.verifarm.agent.isa.StubContext;
import dev.verifarm.agent.isa.StubState;
import dev.verifarm.agent.isa.StubState.Place;
import dev.verifarm.agent.isa.StubWalk;
import dev.verifarm.agent.isa.SymbolicValue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * How one arm64 instruction changes a stub's state: address materialisation, moves, SP arithmetic, and the
 * loads and stores (single, pair, with pre- and post-index writeback) of Go's prologues, epilogues and locals.
 * Data-processing instructions write only their first operand, which becomes unknown; any other load, store
 * or system instruction may have written anything, so the walk forgets everything it knew.
 */
final class Arm64Step implements StubWalk.Machine {

    private static final Set<String> NO_EFFECT = Set.of("nop", "hint", "bti", "cmp", "cmn", "tst", "prfm", "prfum",
            "isb", "dmb", "dsb", "yield");
    private static final Set<String> CONDITIONAL = Set.of("cbz", "cbnz", "tbz", "tbnz");

    private final StubContext context;

    Arm64Step(StubContext context) {
        this.context = context;
    }

    @Override
    public void step(Instruction insn, StubState state) throws ElfFormatException {
        List<Operand> ops = insn.operands();
        String m = insn.mnemonic();
        if (NO_EFFECT.contains(m)) {
            return;
        }
        switch (m) {
            case "adrp", "adr", "movz" -> write(ops, 0, immediate(ops, 1), state);
            case "mov" -> write(ops, 0, ops.size() == 2 && ops.get(1) instanceof Operand.Register src
                    ? value(src.name(), state) : immediate(ops, 1), state);
            case "movk" -> write(ops, 0, movk(ops, state), state);
            case "add", "sub" -> write(ops, 0, addSub(insn, state), state);
            case "ldr", "ldur", "ldp" -> load(insn, state);
            case "str", "stur", "stp" -> store(insn, state, 0);
            case "strb", "sturb" -> store(insn, state, 1);
            case "strh", "sturh" -> store(insn, state, 2);
            default -> {
                if (m.startsWith("ld") || m.startsWith("st") || ops.isEmpty()
                        || !(ops.get(0) instanceof Operand.Register)) {
                    state.forgetEverything("the walk does not follow " + insn.text() + " at 0x"
                            + Long.toHexString(insn.address()));
                } else {
                    write(ops, 0, SymbolicValue.UNKNOWN, state); // data processing: only its first operand changes
                }
            }
        }
    }

    private void load(Instruction insn, StubState state) throws ElfFormatException {
        List<Operand> ops = insn.operands();
        int registers = insn.mnemonic().equals("ldp") ? 2 : 1;
        if (ops.size() > registers && ops.get(registers) instanceof Operand.Immediate literal && registers == 1) {
            // LDR (literal): the word at a PC-relative address
            write(ops, 0, state.load(new Place.Image(literal.value()), width(ops, 0), context.memory()), state);
            return;
        }
        Optional<Place> at = accessOrForget(insn, registers, state);
        long offset = 0;
        for (int r = 0; at.isPresent() && r < registers; r++) {
            int width = width(ops, r);
            write(ops, r, state.load(shifted(at.get(), offset), width, context.memory()), state);
            offset += width;
        }
    }

    /** A store of one or two registers; fixedWidth for STRB/STRH, else the registers' own width. */
    private void store(Instruction insn, StubState state, int fixedWidth) {
        List<Operand> ops = insn.operands();
        int registers = insn.mnemonic().equals("stp") ? 2 : 1;
        Optional<Place> at = accessOrForget(insn, registers, state);
        long offset = 0;
        for (int r = 0; at.isPresent() && r < registers; r++) {
            int width = fixedWidth != 0 ? fixedWidth : width(ops, r);
            String reg = ((Operand.Register) ops.get(r)).name();
            SymbolicValue value = width == Long.BYTES ? value(reg, state) : SymbolicValue.UNKNOWN;
            state.store(shifted(at.get(), offset), width, value, where(insn));
            offset += width;
        }
    }

    /** As {@link #access}; a form the walk does not know (a register list, say) makes it forget everything. */
    private static Optional<Place> accessOrForget(Instruction insn, int registers, StubState state) {
        Optional<Place> at = access(insn, registers, state);
        if (at.isEmpty()) {
            state.forgetEverything("the walk does not follow " + insn.text());
        }
        return at;
    }

    /**
     * Where a load or store of the registers first operands accesses memory, applying its writeback to the base:
     * pre-index {@code [sp, #-32]!} moves the base first, post-index {@code [sp], #16} after.
     */
    private static Optional<Place> access(Instruction insn, int registers, StubState state) {
        List<Operand> ops = insn.operands();
        if (ops.size() <= registers || !(ops.get(registers) instanceof Operand.Memory mem) || mem.base().isEmpty()
                || ops.subList(0, registers).stream().anyMatch(o -> !(o instanceof Operand.Register))) {
            return Optional.empty();
        }
        String base = canonical(mem.base().get());
        boolean preIndex = insn.operandText().contains("]!");
        boolean postIndex = ops.size() > registers + 1 && ops.get(registers + 1) instanceof Operand.Immediate;
        Place at;
        if (mem.index().isPresent()) {
            at = new Place.Unknown(); // a scaled or extended index register: not followed
        } else {
            at = state.place(new Operand.Memory(Optional.of(base), Optional.empty(), 1, postIndex ? 0 : mem.displacement()));
        }
        if (preIndex) {
            state.set(base, StubState.addressOf(at));
        } else if (postIndex) {
            long step = ((Operand.Immediate) ops.get(registers + 1)).value();
            state.set(base, SymbolicValue.plus(state.value(base), SymbolicValue.known(step)));
        }
        return Optional.of(at);
    }

    private static Place shifted(Place place, long by) {
        if (place instanceof Place.Frame f) {
            return new Place.Frame(f.offset() + by);
        }
        return place instanceof Place.Image i ? new Place.Image(i.address() + by) : place;
    }

    private static SymbolicValue addSub(Instruction insn, StubState state) {
        List<Operand> ops = insn.operands();
        if (ops.size() != 3 || !(ops.get(1) instanceof Operand.Register src)) {
            return SymbolicValue.UNKNOWN;
        }
        SymbolicValue b;
        if (ops.get(2) instanceof Operand.Immediate imm) {
            b = SymbolicValue.known(imm.shifted());
        } else if (ops.get(2) instanceof Operand.Register r && insn.operandText().split(",").length == 3) {
            b = value(r.name(), state); // no shift or extend of the second register
        } else {
            return SymbolicValue.UNKNOWN;
        }
        SymbolicValue a = value(src.name(), state);
        return insn.mnemonic().equals("add") ? SymbolicValue.plus(a, b) : SymbolicValue.minus(a, b);
    }

    private static SymbolicValue movk(List<Operand> ops, StubState state) {
        if (ops.size() != 2 || !(ops.get(0) instanceof Operand.Register dst)
                || !(ops.get(1) instanceof Operand.Immediate imm)
                || !(value(dst.name(), state) instanceof SymbolicValue.Known old)) {
            return SymbolicValue.UNKNOWN;
        }
        long mask = 0xffffL << imm.shiftLeft();
        return SymbolicValue.known((old.value() & ~mask) | (imm.shifted() & mask));
    }

    private static SymbolicValue immediate(List<Operand> ops, int index) {
        return ops.size() > index && ops.get(index) instanceof Operand.Immediate imm
                ? SymbolicValue.known(imm.shifted()) : SymbolicValue.UNKNOWN;
    }

    /** A register's value; the zero register reads zero, a W register is not followed. */
    private static SymbolicValue value(String register, StubState state) {
        if (register.equals("xzr") || register.equals("wzr")) {
            return SymbolicValue.known(0);
        }
        return register.startsWith("w") ? SymbolicValue.UNKNOWN : state.value(canonical(register));
    }

    /** Writes operand index, a register: a W write clears the X register's top half, which the walk does not follow. */
    private static void write(List<Operand> ops, int index, SymbolicValue value, StubState state) {
        if (!(ops.get(index) instanceof Operand.Register r)) {
            return;
        }
        String reg = canonical(r.name());
        if (reg.equals("xzr")) {
            return;
        }
        state.set(reg, r.name().startsWith("w") ? SymbolicValue.UNKNOWN : value);
    }

    /** The X register a name is part of, with Capstone's aliases spelled out ({@code fp}, {@code lr}, {@code wsp}). */
    private static String canonical(String register) {
        return switch (register) {
            case "fp" -> "x29";
            case "lr" -> "x30";
            case "wsp" -> "sp";
            case "wzr" -> "xzr";
            default -> register.matches("w\\d+") ? "x" + register.substring(1) : register;
        };
    }

    /** The bytes a load or store of operand index moves, by its register: x 8, w 4, q 16, d 8, s 4, h 2, b 1. */
    private static int width(List<Operand> ops, int index) {
        String reg = ((Operand.Register) ops.get(index)).name();
        return switch (reg.charAt(0)) {
            case 'q' -> 16;
            case 'w', 's' -> 4;
            case 'h' -> 2;
            case 'b' -> 1;
            default -> Long.BYTES;
        };
    }

    private static String where(Instruction insn) {
        String t = insn.operandText();
        int open = t.indexOf('[');
        return open < 0 ? insn.text() : t.substring(open);
    }

    @Override
    public boolean conditional(Instruction branch) {
        return branch.mnemonic().startsWith("b.") || CONDITIONAL.contains(branch.mnemonic());
    }

    @Override
    public OptionalLong target(Instruction transfer) {
        return Arm64.transferTarget(transfer);
    }

    @Override
    public Optional<String> returnsThrough(Instruction ret) {
        return Optional.of(ret.operands().size() == 1 && ret.operands().get(0) instanceof Operand.Register r
                ? canonical(r.name()) : "x30");
    }
}
