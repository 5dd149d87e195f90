package kg.evpower.charging.service;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import kg.evpower.charging.config.ChargingConfig;
import kg.evpower.charging.domain.Pricing;
import kg.evpower.charging.domain.Station;
import kg.evpower.charging.domain.TariffEngine;
import kg.evpower.charging.domain.TariffRule;
import kg.evpower.charging.repository.ClientTariffRepository;
import kg.evpower.charging.repository.TariffPlanRepository;
import kg.evpower.charging.repository.TariffRuleRepository;

/** Loads the plans that apply and lets {@link TariffEngine} choose; must run inside a Hibernate Reactive session. */
@ApplicationScoped
public class PricingService {

    private final ClientTariffRepository clientTariffs;
    private final TariffPlanRepository plans;
    private final TariffRuleRepository rules;
    private final ChargingConfig config;

    PricingService(ClientTariffRepository clientTariffs, TariffPlanRepository plans, TariffRuleRepository rules,
            ChargingConfig config) {
        this.clientTariffs = clientTariffs;
        this.plans = plans;
        this.rules = rules;
        this.config = config;
    }

    public Uni<Pricing> price(String clientId, Station station, String connectorType, int powerKw, Instant at) {
        TariffEngine.Target target = new TariffEngine.Target(connectorType, powerKw);
        return clientTariffs.find("""
                        clientId = ?1 and isActive = true and validFrom <= ?2 and (validUntil is null or validUntil > ?2)
                        order by createdAt desc, id desc""", clientId, at).firstResult()
                .chain(ct -> rulesOf(ct == null || ct.fixedRatePerKwh != null ? null : ct.tariffPlanId)
                        .chain(clientRules -> rulesOf(station.tariffPlanId)
                                .chain(stationRules -> plans.find("isDefault = true and isActive = true").firstResult()
                                        .chain(def -> rulesOf(def == null ? null : def.id))
                                        .map(defaultRules -> TariffEngine.price(at, target, ct, clientRules,
                                                station.tariffPlanId, stationRules, defaultRules,
                                                config.pricing().defaultRatePerKwh())))));
    }

    private Uni<List<TariffRule>> rulesOf(Long planId) {
        if (planId == null) {
            return Uni.createFrom().item(List.of());
        }
        return plans.findById(planId).chain(plan -> plan == null || !plan.isActive
                ? Uni.createFrom().item(List.<TariffRule>of())
                : rules.list("tariffPlanId", planId));
    }
}
