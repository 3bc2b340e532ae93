package dev.verifarm.agent.isa;

import dev.verifarm.agent.elf.ElfFormatException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What is known while a resolver stub's code is run symbolically: what registers hold, the stub's frame
 * (every register is relative to the stack pointer at entry, so the result slot ret+0(FP) is found wherever
 * the frame puts it, and locals are followed), what it wrote to the image, and the loaded words it read.
 * Each architecture's step says how one instruction changes this state; {@link StubWalk} drives the steps.
 */
public final class StubState {

    /** ret+0(FP) of a {@code func() uintptr}: 8 bytes above the stack pointer at entry, on amd64 and arm64 alike. */
    static final long RESULT_SLOT = 8;
    static final String RESULT_SLOT_TEXT = "(8 bytes above the stack pointer at entry)";

    /** Where a memory operand points. */
    public sealed interface Place {
        /** The stub's stack, at offset from the stack pointer at entry. */
        record Frame(long offset) implements Place {
        }

        /** An address in the image: data, a GOT slot, code. */
        record Image(long address) implements Place {
        }

        /** Thread-local storage (amd64 fs:/gs:): never the stack or the image. */
        record ThreadLocal() implements Place {
        }

        /** A pointer the walk did not follow: it may be anywhere, the stack included. */
        record Unknown() implements Place {
        }
    }

    private final String stackPointer;
    private final Map<String, SymbolicValue> registers = new HashMap<>();
    private final WordMemory frame = new WordMemory();
    private final WordMemory image = new WordMemory();
    private final List<Long> gotSlots = new ArrayList<>();
    private long deepest;
    private String resultStoredBy = "";
    private String rejected = "";
    private String lost = "";
    private final List<String> notes = new ArrayList<>();

    /**
     * @param stackPointer the stack pointer's name ({@code rsp}, {@code sp})
     * @param linkRegister the register that holds the return address at entry ({@code x30}), or empty where the
     *                     call pushed it to the stack (amd64)
     */
    StubState(String stackPointer, Optional<String> linkRegister) {
        this.stackPointer = stackPointer;
        registers.put(stackPointer, new SymbolicValue.StackAddress(0));
        if (linkRegister.isPresent()) {
            registers.put(linkRegister.get(), SymbolicValue.RETURN_ADDRESS);
        } else {
            frame.write(0, Long.BYTES, SymbolicValue.RETURN_ADDRESS);
        }
    }

    public SymbolicValue value(String register) {
        return registers.getOrDefault(register, SymbolicValue.UNKNOWN);
    }

    /** The number the register holds, when the walk followed it. */
    OptionalLong get(String register) {
        return value(register) instanceof SymbolicValue.Known k ? OptionalLong.of(k.value()) : OptionalLong.empty();
    }

    public void set(String register, SymbolicValue value) {
        if (value instanceof SymbolicValue.Unknown) {
            registers.remove(register);
        } else {
            registers.put(register, value);
        }
        if (register.equals(stackPointer) && value instanceof SymbolicValue.StackAddress s) {
            deepest = Math.min(deepest, s.offset());
        }
    }

    public void forget(String register) {
        registers.remove(register);
    }

    /**
     * An instruction the walk does not model: it may have written any register or memory, so nothing known
     * before it survives. The reason is kept for the verdict.
     */
    public void forgetEverything(String why) {
        registers.clear();
        frame.clobber();
        image.clobber();
        if (lost.isEmpty()) {
            lost = why;
        }
    }

    /** Where a memory operand {@code [base + index*scale + displacement]} points. */
    public Place place(Operand.Memory mem) {
        SymbolicValue base = mem.base().map(this::value).orElse(SymbolicValue.known(0));
        if (mem.index().isPresent()) {
            SymbolicValue index = value(mem.index().get());
            if (!(index instanceof SymbolicValue.Known k)) {
                return new Place.Unknown();
            }
            base = SymbolicValue.plus(base, SymbolicValue.known(k.value() * mem.scale()));
        }
        SymbolicValue at = SymbolicValue.plus(base, SymbolicValue.known(mem.displacement()));
        if (at instanceof SymbolicValue.StackAddress s) {
            return new Place.Frame(s.offset());
        }
        return at instanceof SymbolicValue.Known k ? new Place.Image(k.value()) : new Place.Unknown();
    }

    /** The address of a place, as LEA computes it. */
    public static SymbolicValue addressOf(Place place) {
        if (place instanceof Place.Frame f) {
            return new SymbolicValue.StackAddress(f.offset());
        }
        return place instanceof Place.Image i ? SymbolicValue.known(i.address()) : SymbolicValue.UNKNOWN;
    }

    /** A store of width bytes; where is the operand as the disassembler prints it, for evidence. */
    public void store(Place place, int width, SymbolicValue value, String where) {
        if (place instanceof Place.Frame f) {
            storeToFrame(f.offset(), width, value, where);
        } else if (place instanceof Place.Image i) {
            image.write(i.address(), width, value);
        } else if (place instanceof Place.Unknown) {
            frame.clobber();
            image.clobber();
            if (!resultStoredBy.isEmpty()) {
                resultStoredBy = where + ", a pointer the walk did not follow";
            }
            note("stores through " + where + ", which may point anywhere: the frame is no longer known");
        }
        // thread-local storage is neither the frame nor the image
    }

    private void storeToFrame(long offset, int width, SymbolicValue value, String where) {
        boolean hitsResult = offset < RESULT_SLOT + Long.BYTES && RESULT_SLOT < offset + width;
        if (!hitsResult && offset >= 0 && value instanceof SymbolicValue.Known k) {
            rejected = "stores 0x" + Long.toHexString(k.value()) + " to " + where + " (" + frameOffset(offset)
                    + "), not to the result slot ret+0(FP) " + RESULT_SLOT_TEXT + " of an addrOf() uintptr stub";
        }
        frame.write(offset, width, value);
        if (hitsResult) {
            resultStoredBy = where;
            note("ret+0(FP) = " + SymbolicValue.show(offset == RESULT_SLOT && width == Long.BYTES ? value : SymbolicValue.UNKNOWN));
        } else if (offset < 0) {
            note("local at " + frameOffset(offset) + " = " + SymbolicValue.show(width == Long.BYTES ? value : SymbolicValue.UNKNOWN));
        }
    }

    /**
     * A load of width bytes from the place; from the image, what the loaded image holds there (a GOT slot, say),
     * remembering the slot as evidence.
     */
    public SymbolicValue load(Place place, int width, LoadedMemory memory) throws ElfFormatException {
        if (place instanceof Place.Frame f) {
            SymbolicValue v = frame.read(f.offset(), width).orElse(SymbolicValue.UNKNOWN);
            if (f.offset() < 0) {
                note("loads " + SymbolicValue.show(v) + " from the local at " + frameOffset(f.offset()));
            }
            return v;
        }
        if (place instanceof Place.Image i) {
            Optional<SymbolicValue> written = image.read(i.address(), width);
            if (written.isPresent() || width != Long.BYTES) {
                return written.orElse(SymbolicValue.UNKNOWN);
            }
            gotSlots.add(i.address());
            return SymbolicValue.known(memory.word(i.address()));
        }
        return SymbolicValue.UNKNOWN;
    }


    /** A place in the frame as evidence says it: {@code entry SP-0x18}, {@code entry SP+8}. */
    static String frameOffset(long offset) {
        if (offset == 0) {
            return "entry SP";
        }
        return "entry SP" + (offset < 0 ? "-0x" + Long.toHexString(-offset) : "+0x" + Long.toHexString(offset));
    }

    /** Adds to the current instruction's note in the evidence. */
    void note(String text) {
        notes.add(text);
    }

    /** The notes of the instruction just stepped, joined, and starts afresh for the next. */
    String takeNotes() {
        String out = String.join("; ", notes);
        notes.clear();
        return out;
    }

    SymbolicValue stackPointerValue() {
        return value(stackPointer);
    }

    String stackPointer() {
        return stackPointer;
    }

    /** The value in the result slot and who stored it; empty who when nothing was stored there. */
    SymbolicValue result() {
        return frame.read(RESULT_SLOT, Long.BYTES).orElse(SymbolicValue.UNKNOWN);
    }

    SymbolicValue returnAddressSlot() {
        return frame.read(0, Long.BYTES).orElse(SymbolicValue.UNKNOWN);
    }

    String resultStoredBy() {
        return resultStoredBy;
    }

    String rejected() {
        return rejected;
    }

    String lost() {
        return lost;
    }

    /** How far below the entry stack pointer the frame reached: the frame size, as a positive number. */
    long frameSize() {
        return -deepest;
    }

    List<Long> gotSlots() {
        return gotSlots;
    }
}
