package kg.evpower.charging.domain;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** A stored answer to an idempotent request of one client (scoped per client, see A8.5). */
@Entity
@Table(name = "idempotency_key")
@IdClass(IdempotencyRecord.Key.class)
public class IdempotencyRecord {

    @Id
    @Column(name = "client_id")
    public String clientId;
    @Id
    @Column(name = "idem_key")
    public String idemKey;
    @Column(nullable = false)
    public String method;
    @Column(nullable = false)
    public String path;
    @Column(name = "body_hash", nullable = false)
    public String bodyHash;
    @Column(name = "status_code")
    public Integer statusCode;
    @Column(name = "response_body", columnDefinition = "text")
    public String responseBody;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    public static class Key implements Serializable {
        public String clientId;
        public String idemKey;

        public Key() {
        }

        public Key(String clientId, String idemKey) {
            this.clientId = clientId;
            this.idemKey = idemKey;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(clientId, k.clientId) && Objects.equals(idemKey, k.idemKey);
        }

        @Override
        public int hashCode() {
            return Objects.hash(clientId, idemKey);
        }
    }
}
