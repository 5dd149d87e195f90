package kg.evpower.platform.vertx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.eclipse.microprofile.context.spi.ThreadContextProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.context.SmallRyeThreadContext;
import io.smallrye.context.impl.ThreadContextProviderPlan;

/**
 * Mutiny captures the default thread contexts around every operator's callback. Narayana's JTA context comes with
 * Agroal, which only Flyway uses at start-up; capturing it looked up the current JTA transaction in every callback of
 * every service (the full-flow profile of charging-service). No EvPower code runs a JTA transaction, so the platform's
 * defaults leave that context unchanged: only the CDI request context is captured.
 */
@QuarkusTest
class ContextPropagationPlanTest {

    @Test
    void mutinyCapturesTheCdiContextOnlyAndLeavesJtaAlone() {
        ThreadContextProviderPlan plan = SmallRyeThreadContext.getCurrentThreadContextOrDefaultContexts().getPlan();
        assertEquals(List.of("CDI"), types(plan.propagatedProviders.stream().toList()));
        assertEquals(List.of(), types(plan.clearedProviders.stream().toList()));
        assertEquals(List.of("Transaction"), types(plan.unchangedProviders.stream().toList()));
    }

    private static List<String> types(List<ThreadContextProvider> providers) {
        return providers.stream().map(ThreadContextProvider::getThreadContextType).sorted().toList();
    }
}
