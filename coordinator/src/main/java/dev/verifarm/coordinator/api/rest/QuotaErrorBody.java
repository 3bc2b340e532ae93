package dev.verifarm.coordinator.api.rest;

/** An {@link ErrorBody} for an upload over its submitter's quota: bytes stored, bytes of this upload, the limit. */
public record QuotaErrorBody(String error, String field, long used, long upload, long limit) {
}
