package dev.verifarm.coordinator.scheduling;

public enum ExecutionMode { STATIC, NATIVE }
