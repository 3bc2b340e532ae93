package dev.verifarm.coordinator.nightly.report;

/** An agent that verified an entry in a recent run of the suite but was not live for this one. */
public record AbsentAgent(String entryLabel, String agent, String agentArchitecture, String lastSeenRunId) {
}
