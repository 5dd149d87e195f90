package kg.evpower.charging;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same contract against the packaged service (the JVM jar here, the native executable under -Pnative). */
@QuarkusIntegrationTest
class ChargingServiceContractIT extends ChargingServiceContractTest {
}
