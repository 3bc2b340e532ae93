package dev.verifarm.coordinator;

import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.restassured.RestAssured.given;

/** Requests of a {@code @QuarkusTest} made with the admin token the coordinator wrote at its first start. */
public final class AdminRequests {
    private AdminRequests() {
    }

    public static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + token());
    }

    /** The admin token, for faces other than REST. */
    public static String token() {
        try {
            return Files.readString(Path.of(ConfigProvider.getConfig().getValue("verifarm.data-dir", String.class),
                    "admin.token")).strip();
        } catch (IOException e) {
            throw new IllegalStateException("no admin token", e);
        }
    }
}
