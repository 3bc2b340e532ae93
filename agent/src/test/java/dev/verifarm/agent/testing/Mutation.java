package dev.verifarm.agent.testing;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Edits to a real fixture, aimed at the structures a reader walks. The malformed-input tests spell their
 * cases with them, and the engine fuzzer decodes its input into them, so one vocabulary serves both and a
 * deterministic case can be written out as a fuzzing seed ({@link #encode}).
 *
 * <p>Encoding: one byte selects the fixture (bit 0: arm64, bits 1-2: variant), then 8-byte records
 * {@code region, op, offset u16 LE, value u32 LE}; offsets wrap within their region.
 */
public record Mutation(Region region, Op op, int offset, long value) {

    public static final List<BuildVariant> VARIANTS = List.of(BuildVariant.DEFAULT, BuildVariant.PIE,
            BuildVariant.STRIPPED, BuildVariant.EXTERNAL);
    private static final int MAX_RECORDS = 16;

    /** Where an edit lands; offsets are relative to the region's first byte. */
    public enum Region {
        ELF_HEADER, PROGRAM_HEADERS, SECTION_HEADERS, SYMTAB, PCLNTAB_HEADER, FUNCTAB, STUB_TEXT, BODY_TEXT, STRTAB,
        FUNCNAMETAB, WHOLE_FILE;

        /** [start, end) of the region in the fixture's file. */
        long[] bounds(ElfLayout l) {
            byte[] b = l.bytes();
            long pcln = l.pclntabStart();
            return switch (this) {
                case ELF_HEADER -> new long[] {0, ElfLayout.EHDR_SIZE};
                case PROGRAM_HEADERS -> new long[] {l.phoff(), l.programHeader(l.phnum())};
                case SECTION_HEADERS -> new long[] {l.shoff(), l.shoff() + (long) l.shnum() * ElfLayout.SHDR_SIZE};
                case SYMTAB -> l.symtab().map(s -> new long[] {s.offset(), s.offset() + s.size()})
                        .orElse(new long[] {0, b.length});
                case STRTAB -> l.strtab().map(s -> new long[] {s.offset(), s.offset() + s.size()})
                        .orElse(new long[] {0, b.length});
                case PCLNTAB_HEADER -> new long[] {pcln, pcln + 72};
                case FUNCTAB -> new long[] {pcln + ElfLayout.u64(b, (int) pcln + ElfLayout.PCLN_PCLN_OFFSET),
                        l.pclntab().offset() + l.pclntab().size()};
                case FUNCNAMETAB -> new long[] {pcln + ElfLayout.u64(b, (int) pcln + ElfLayout.PCLN_FUNCNAME_OFFSET),
                        l.pclntab().offset() + l.pclntab().size()};
                case STUB_TEXT -> new long[] {l.stub().offset(), l.stub().end()};
                case BODY_TEXT -> new long[] {l.body().offset(), l.body().end()};
                case WHOLE_FILE -> new long[] {0, b.length};
            };
        }
    }

    public enum Op { SET_U8, XOR_U8, SET_U16, SET_U32, SET_U64, SET_U64_INVERTED, ADD_U64, TRUNCATE }

    public static Mutation set(Region region, int offset, int width, long value) {
        return new Mutation(region, switch (width) {
            case 1 -> Op.SET_U8;
            case 2 -> Op.SET_U16;
            case 4 -> Op.SET_U32;
            case 8 -> value < 0 && value >= -0x1_0000_0000L ? Op.SET_U64_INVERTED : Op.SET_U64;
            default -> throw new IllegalArgumentException("width " + width);
        }, offset, width == 8 && value < 0 ? ~value : value);
    }

    public static Mutation truncate(Region region, int offset) {
        return new Mutation(region, Op.TRUNCATE, offset, 0);
    }

    /** The fixture's bytes with the mutations applied in order. */
    public static byte[] apply(ElfLayout layout, List<Mutation> mutations) {
        byte[] out = layout.copy();
        for (Mutation m : mutations) {
            long[] bounds = m.region.bounds(layout);
            long length = Math.max(1, bounds[1] - bounds[0]);
            long at = m.region == Region.WHOLE_FILE && length > 0xffff
                    ? m.offset * (length / 0x10000) : bounds[0] + Math.floorMod(m.offset, length);
            if (at < 0 || at >= out.length) {
                continue;
            }
            long v = m.value & 0xffffffffL;
            switch (m.op) {
                case SET_U8 -> ElfLayout.put(out, at, v, 1);
                case XOR_U8 -> out[(int) at] ^= (byte) (v == 0 ? 1 : v);
                case SET_U16 -> ElfLayout.put(out, at, v, 2);
                case SET_U32 -> ElfLayout.put(out, at, v, 4);
                case SET_U64 -> ElfLayout.put(out, at, m.value, 8);
                case SET_U64_INVERTED -> ElfLayout.put(out, at, ~m.value, 8);
                case ADD_U64 -> {
                    if (at + 8 <= out.length) {
                        ElfLayout.put(out, at, ElfLayout.u64(out, (int) at) + (int) m.value, 8);
                    }
                }
                case TRUNCATE -> out = Arrays.copyOf(out, (int) at);
            }
        }
        return out;
    }

    /** Decodes fuzzer input: which fixture, then the edits. */
    public record Script(GoArch arch, BuildVariant variant, List<Mutation> mutations) {

        public static Script decode(byte[] data) {
            int selector = data.length > 0 ? data[0] & 0xff : 0;
            List<Mutation> mutations = new ArrayList<>();
            for (int at = 1; at + 8 <= data.length && mutations.size() < MAX_RECORDS; at += 8) {
                Region region = Region.values()[(data[at] & 0xff) % Region.values().length];
                Op op = Op.values()[(data[at + 1] & 0xff) % Op.values().length];
                mutations.add(new Mutation(region, op, ElfLayout.u16(data, at + 2), ElfLayout.u32(data, at + 4)));
            }
            return new Script((selector & 1) == 0 ? GoArch.AMD64 : GoArch.ARM64,
                    VARIANTS.get((selector >> 1) & 3), mutations);
        }

        public byte[] encode() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write((arch == GoArch.ARM64 ? 1 : 0) | VARIANTS.indexOf(variant) << 1);
            for (Mutation m : mutations) {
                if (m.offset < 0 || m.offset > 0xffff || m.value >>> 32 != 0) {
                    throw new IllegalArgumentException(m + ": does not fit the encoding");
                }
                byte[] record = new byte[8];
                record[0] = (byte) m.region.ordinal();
                record[1] = (byte) m.op.ordinal();
                ElfLayout.put(record, 2, m.offset, 2);
                ElfLayout.put(record, 4, m.value, 4);
                out.writeBytes(record);
            }
            return out.toByteArray();
        }
    }
}
