package dev.verifarm.agent.isa;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads arm64 operands from Capstone's assembler text rather than its {@code cs_arm64} operand details, whose
 * layout has shifted between Capstone builds (every operand after the first misread), while Capstone's text is
 * exact and regular: registers, {@code #imm}, {@code lsl #n} and {@code [base, index|#disp]} with optional
 * writeback.
 */
final class Arm64OperandText {

    private static final Pattern INTEGER = Pattern.compile("-?(0x[0-9a-f]+|[0-9]+)");

    private Arm64OperandText() {
    }

    static List<Operand> parse(String text) {
        List<Operand> out = new ArrayList<>();
        for (String token : splitTopLevel(text)) {
            String t = token.trim();
            if (t.isEmpty()) {
                continue;
            }
            if (t.startsWith("[")) {
                out.add(memory(t));
            } else if (t.startsWith("#") && isInteger(t.substring(1))) {
                out.add(new Operand.Immediate(number(t.substring(1)), 0));
            } else if (t.startsWith("#")) {
                continue; // a floating-point immediate (fmov d0, #0.5) is never an address
            } else if (t.startsWith("lsl #") && !out.isEmpty() && out.get(out.size() - 1) instanceof Operand.Immediate imm) {
                out.set(out.size() - 1, new Operand.Immediate(imm.value(), (int) number(t.substring(5))));
            } else if (!t.contains(" ")) {
                out.add(new Operand.Register(t));
            }
            // extend/shift modifiers of register operands (uxtw, lsl on a register) do not matter to address tracking
        }
        return out;
    }

    private static Operand.Memory memory(String t) {
        int close = t.indexOf(']');
        String inside = t.substring(1, close < 0 ? t.length() : close);
        String[] parts = inside.split(",");
        Optional<String> base = Optional.of(parts[0].trim());
        Optional<String> index = Optional.empty();
        long disp = 0;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            if (p.startsWith("#")) {
                disp = number(p.substring(1));
            } else if (!p.isEmpty() && !p.contains(" ") && index.isEmpty()) {
                index = Optional.of(p);
            }
        }
        return new Operand.Memory(base, index, 1, disp);
    }

    private static List<String> splitTopLevel(String text) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '[' || c == '{') {
                depth++;
            } else if (c == ']' || c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(text.substring(start, i));
                start = i + 1;
            }
        }
        out.add(text.substring(start));
        return out;
    }

    private static boolean isInteger(String s) {
        return INTEGER.matcher(s.trim()).matches();
    }

    private static long number(String s) {
        String t = s.trim();
        boolean negative = t.startsWith("-");
        if (negative) {
            t = t.substring(1);
        }
        long v = t.startsWith("0x") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseLong(t);
        return negative ? -v : v;
    }
}
