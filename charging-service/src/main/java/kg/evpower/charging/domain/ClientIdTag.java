package kg.evpower.charging.domain;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A client's RFID tag (OCPP idTag): a transaction started at a station with it becomes the client's session. */
@Entity
@Table(name = "client_id_tag")
public class ClientIdTag {

    @Id
    @Column(name = "id_tag")
    public String idTag;
    @Column(name = "client_id", nullable = false)
    public String clientId;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt = Instant.now();
    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt = Instant.now();
}
