package dev.verifarm.coordinator.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A farm CA and the coordinator's certificate for loopback, made with openssl at test time by the same commands
 * docs/operations.md gives operators.
 *
 * @param ca  the CA certificate agents and clients trust
 * @param crt the coordinator's certificate, for localhost and 127.0.0.1
 * @param key its private key
 */
public record TestCertificates(Path ca, Path crt, Path key) {

    static synchronized TestCertificates in(Path dir) {
        TestCertificates certs = new TestCertificates(dir.resolve("ca.crt"), dir.resolve("tls.crt"),
                dir.resolve("tls.key"));
        if (Files.isRegularFile(certs.key())) {
            return certs;
        }
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
            openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=verifarm test farm CA");
            openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", "tls.key", "-out", "tls.csr", "-subj", "/CN=localhost");
            openssl(dir, "x509", "-req", "-in", "tls.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                    "-out", "tls.crt", "-days", "2", "-extfile", "san.ext");
            return certs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make test certificates in " + dir, e);
        }
    }

    private static void openssl(Path dir, String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(command + " failed; see " + dir.resolve("openssl.log"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
