package dev.verifarm.coordinator.job;

public enum ExecutionMode { STATIC, NATIVE }
