package dev.verifarm.coordinator.security;

/** A person signed in to the dashboard: the API reads its cookie, the sign-in page sets it. */
public final class Session {
    /** The HttpOnly cookie holding the token a person signed in with; it is accepted for reads only. */
    public static final String COOKIE = "verifarm_session";

    private Session() {
    }
}
