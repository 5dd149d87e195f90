package kg.evpower.charging.repository;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import kg.evpower.charging.domain.ClientTariff;

@ApplicationScoped
public class ClientTariffRepository implements PanacheRepositoryBase<ClientTariff, Long> {
}
