package kg.evpower.charging.repository;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import kg.evpower.charging.domain.ClientIdTag;

@ApplicationScoped
public class IdTagRepository implements PanacheRepositoryBase<ClientIdTag, String> {
}
