package kg.evpower.charging.repository;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import kg.evpower.charging.domain.Connector;

@ApplicationScoped
public class ConnectorRepository implements PanacheRepositoryBase<Connector, Long> {
}
