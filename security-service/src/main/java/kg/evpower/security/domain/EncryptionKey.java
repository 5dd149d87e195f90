package kg.evpower.security.domain;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One version of a charge point's AES-256-GCM key, wrapped under the KEK (never stored raw). */
@Entity
@Table(name = "cp_encryption_key")
public class EncryptionKey {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "cp_id")
    public String cpId;

    @Column(name = "key_version")
    public int keyVersion;

    @Column(name = "wrapped_key")
    public String wrappedKey;

    /** Hex SHA-256 of the raw key, checked every time the key is unwrapped. */
    @Column(name = "key_hash")
    public String keyHash;

    @Enumerated(EnumType.STRING)
    public KeyStatus status;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "rotated_at")
    public Instant rotatedAt;

    @Column(name = "decrypt_until")
    public Instant decryptUntil;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    public boolean decrypts(Instant now) {
        return status == KeyStatus.ACTIVE
                || (status == KeyStatus.DECRYPT_ONLY && decryptUntil != null && now.isBefore(decryptUntil));
    }
}
