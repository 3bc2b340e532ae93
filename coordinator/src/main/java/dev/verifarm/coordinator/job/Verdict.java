package dev.verifarm.coordinator.job;

/** The outcome of one expectation (docs/design.md section 2). */
public enum Verdict { MATCH, WRAPPER, MISMATCH, NOT_RELOCATABLE, UNRESOLVED, ERROR }
