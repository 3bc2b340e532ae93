package dev.verifarm.coordinator.store;

import dev.verifarm.coordinator.access.Role;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** An API token; the row keeps only the SHA-256 of the secret. */
@Entity
@Table(name = "api_token")
public class ApiTokenEntity extends PanacheEntityBase {
    @Id
    public String id;
    public String name;
    @Enumerated(EnumType.STRING)
    public Role role;
    @Column(name = "token_sha256")
    public String tokenSha256;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "created_by")
    public String createdBy;
    @Column(name = "revoked_at")
    public Instant revokedAt;
}
