package dev.verifarm.coordinator.api.rest;

/** Every error the REST API answers: what is wrong, and with which part of the request. */
public record ErrorBody(String error, String field) {
}
