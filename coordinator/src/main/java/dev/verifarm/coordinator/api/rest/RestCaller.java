package dev.verifarm.coordinator.api.rest;

import dev.verifarm.coordinator.access.Caller;
import jakarta.enterprise.context.RequestScoped;

/** The caller of the current REST request, as {@link Authentication} found it. */
@RequestScoped
public class RestCaller {
    private Caller caller;

    void set(Caller caller) {
        this.caller = caller;
    }

    public Caller get() {
        if (caller == null) {
            throw new IllegalStateException("no authenticated caller on this request");
        }
        return caller;
    }
}
