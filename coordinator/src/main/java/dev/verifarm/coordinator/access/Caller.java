package dev.verifarm.coordinator.access;

import java.util.Locale;

/** Who is calling: the token they presented, by id and name, and its role. */
public record Caller(String tokenId, String name, Role role) {

    public boolean is(Role needed) {
        return role.covers(needed);
    }

    /** Whether an agent token may register an agent under {@code agentName}; an admin may use any name. */
    public boolean mayBeAgent(String agentName) {
        if (role == Role.ADMIN) {
            return true;
        }
        if (role != Role.AGENT || agentName == null) {
            return false;
        }
        return name.endsWith("*") ? agentName.startsWith(name.substring(0, name.length() - 1))
                && agentName.length() >= name.length() : agentName.equals(name);
    }

    @Override
    public String toString() {
        return name + " (" + role.name().toLowerCase(Locale.ROOT) + ")";
    }
}
