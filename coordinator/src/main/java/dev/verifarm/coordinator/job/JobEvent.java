package dev.verifarm.coordinator.job;

import java.time.Instant;

/** One step of a job's history. */
public record JobEvent(String jobId, long sequence, Instant at, JobState state, String message) {
}
