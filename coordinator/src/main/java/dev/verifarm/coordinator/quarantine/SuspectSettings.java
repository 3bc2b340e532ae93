package dev.verifarm.coordinator.quarantine;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What happens to a job whose result came from a host that then failed its self-check. */
@ConfigMapping(prefix = "verifarm.suspect")
public interface SuspectSettings {

    @WithDefault("native-errors")
    RerunPolicy rerun();

    /** Which suspect results run again on a healthy host; the others are only marked. */
    enum RerunPolicy {
        /** none: mark only */
        NONE,
        /** native jobs whose suspect attempt ended ERROR: a broken emulator or sandbox gives errors, not verdicts */
        NATIVE_ERRORS,
        /** every native job whose result is suspect */
        ALL_NATIVE
    }
}
