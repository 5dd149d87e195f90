package kg.evpower.charging.service;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import kg.evpower.charging.domain.Client;
import kg.evpower.charging.repository.ClientRepository;

/** Clients are created on first use from a verified token's {@code sub}. */
@ApplicationScoped
public class ClientService {

    private final ClientRepository clients;

    ClientService(ClientRepository clients) {
        this.clients = clients;
    }

    /** The client, inserted if new (race-safe through ON CONFLICT). Runs in its own transaction. */
    public Uni<Client> ensure(String clientId, String email, String phone, String name) {
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> s.createNativeQuery("""
                        INSERT INTO client (id, email, phone, name, status) VALUES (?1, ?2, ?3, ?4, 'active')
                        ON CONFLICT (id) DO NOTHING""")
                .setParameter(1, clientId).setParameter(2, email).setParameter(3, phone).setParameter(4, name)
                .executeUpdate())
                .chain(() -> clients.findById(clientId)));
    }

    public Uni<Client> setStatus(String clientId, String status) {
        return Panache.withTransaction(() -> clients.findById(clientId).invoke(c -> {
            if (c == null) {
                throw AppError.refuse("client_not_found", "Client not found");
            }
            c.status = status;
            c.updatedAt = java.time.Instant.now();
        }));
    }
}
