package dev.verifarm.coordinator.security;

/** A token just created, with its secret: the only time the secret leaves the coordinator. */
public record NewToken(ApiToken token, String secret) {
}
