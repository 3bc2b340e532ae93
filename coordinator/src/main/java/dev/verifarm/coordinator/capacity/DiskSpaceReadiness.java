package dev.verifarm.coordinator.capacity;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.util.Optional;

/** {@code /q/health/ready} is DOWN, saying why, while the artifact directory is below its free-space threshold. */
@Readiness
@ApplicationScoped
public class DiskSpaceReadiness implements HealthCheck {
    private final DiskSpace disk;

    DiskSpaceReadiness(DiskSpace disk) {
        this.disk = disk;
    }

    @Override
    public HealthCheckResponse call() {
        Optional<String> shortage = disk.shortage(0);
        return HealthCheckResponse.named("Artifact disk space").status(shortage.isEmpty())
                .withData("reason", shortage.orElse("enough free space for uploads")).build();
    }
}
