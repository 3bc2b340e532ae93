package dev.verifarm.agent.isa;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/** Register values known while a stub is evaluated; a register not here holds an unknown value. */
public final class RegisterFile {

    private final Map<String, Long> values = new HashMap<>();

    public OptionalLong get(String register) {
        Long v = values.get(register);
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }

    public void set(String register, long value) {
        values.put(register, value);
    }

    public void forget(String register) {
        values.remove(register);
    }
}
