package dev.verifarm.coordinator.scheduling;

/** Why an attempt ended without a report; these, and only these, are infrastructure's fault. */
public enum FailureKind { AGENT_LOST, ARTIFACT_UNAVAILABLE, TOOL_MISSING, TIMEOUT, INTERNAL }
