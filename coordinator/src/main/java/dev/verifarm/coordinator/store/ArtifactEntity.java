package dev.verifarm.coordinator.store;

import dev.verifarm.coordinator.job.Architecture;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** An uploaded artifact; its bytes are the file named by its sha256 in the artifact directory. */
@Entity
@Table(name = "artifact")
public class ArtifactEntity extends PanacheEntityBase {
    @Id
    public String sha256;
    public String name;
    @Column(name = "size_bytes")
    public long size;
    @Enumerated(EnumType.STRING)
    public Architecture architecture;
    @Column(name = "created_at")
    public Instant createdAt;
    /** The id of the API token that uploaded it first: whose quota it counts against. */
    @Column(name = "uploaded_by")
    public String uploadedBy;
}
