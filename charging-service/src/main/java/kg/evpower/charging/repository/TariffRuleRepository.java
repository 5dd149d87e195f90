package kg.evpower.charging.repository;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import kg.evpower.charging.domain.TariffRule;

@ApplicationScoped
public class TariffRuleRepository implements PanacheRepositoryBase<TariffRule, Long> {
}
