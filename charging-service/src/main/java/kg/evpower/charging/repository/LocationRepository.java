package kg.evpower.charging.repository;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import kg.evpower.charging.domain.Location;

@ApplicationScoped
public class LocationRepository implements PanacheRepositoryBase<Location, Long> {
}
