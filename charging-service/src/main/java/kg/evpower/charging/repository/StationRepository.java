package kg.evpower.charging.repository;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import kg.evpower.charging.domain.Station;

@ApplicationScoped
public class StationRepository implements PanacheRepositoryBase<Station, String> {
}
