package dev.verifarm.coordinator.job;

/** Why an attempt ended without a report; these, and only these, are infrastructure's fault. */
public enum FailureKind { AGENT_LOST, ARTIFACT_UNAVAILABLE, TOOL_MISSING, TIMEOUT, INTERNAL }
