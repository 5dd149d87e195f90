package kg.evpower.charging.repository;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import kg.evpower.charging.domain.TariffPlan;

@ApplicationScoped
public class TariffPlanRepository implements PanacheRepositoryBase<TariffPlan, Long> {
}
