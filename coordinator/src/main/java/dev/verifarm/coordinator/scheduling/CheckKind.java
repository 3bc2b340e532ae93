package dev.verifarm.coordinator.scheduling;

public enum CheckKind { RESOLVE, COPY }
