package kg.evpower.charging.repository;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import kg.evpower.charging.domain.Client;

@ApplicationScoped
public class ClientRepository implements PanacheRepositoryBase<Client, String> {
}
