package dev.verifarm.coordinator.logging;

import org.jboss.logging.MDC;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Puts the ids a log line is about ({@code jobId}, {@code agentId}, {@code leaseId}) into the logging MDC for a
 * block, so that every line logged inside it carries them (the console format prints them, JSON logs have them as
 * fields), and restores what was there before when the block ends. An unknown (null) id leaves its key alone.
 */
public final class LogContext implements AutoCloseable {
    public static final String JOB_ID = "jobId";
    public static final String AGENT_ID = "agentId";
    public static final String LEASE_ID = "leaseId";

    private final Map<String, Object> previous = new LinkedHashMap<>();

    private LogContext() {
    }

    public static LogContext job(String jobId) {
        return new LogContext().with(JOB_ID, jobId);
    }

    public static LogContext agent(String agentId) {
        return new LogContext().with(AGENT_ID, agentId);
    }

    public static LogContext lease(String jobId, String agentId, String leaseId) {
        return new LogContext().with(JOB_ID, jobId).with(AGENT_ID, agentId).with(LEASE_ID, leaseId);
    }

    private LogContext with(String key, String value) {
        if (value != null) {
            previous.put(key, MDC.get(key));
            MDC.put(key, value);
        }
        return this;
    }

    @Override
    public void close() {
        previous.forEach((key, value) -> {
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        });
    }
}
