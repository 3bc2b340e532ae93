package dev.verifarm.coordinator.retention;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.UUID;

/** Distinct real ELF artifacts of a chosen size: the running JVM's launcher with a unique tail after its sections. */
final class TestArtifacts {
    private TestArtifacts() {
    }

    static byte[] elf(int size) {
        try {
            byte[] launcher = Files.readAllBytes(Path.of(ProcessHandle.current().info().command().orElseThrow()));
            if (launcher.length + 36 > size) {
                throw new IllegalArgumentException("the launcher alone is " + launcher.length + " bytes");
            }
            byte[] bytes = Arrays.copyOf(launcher, size);
            byte[] tail = UUID.randomUUID().toString().getBytes();
            System.arraycopy(tail, 0, bytes, launcher.length, tail.length);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Uploads {@code bytes}; returns the response's sha256. */
    static String upload(RequestSpecification as, byte[] bytes) {
        return as.contentType(ContentType.BINARY).body(bytes).post("/api/v1/artifacts?name=retained")
                .then().statusCode(201).extract().path("sha256");
    }
}
