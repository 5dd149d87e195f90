package kg.evpower.security;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same contract against the packaged service (the JVM jar here, the native executable under -Pnative). */
@QuarkusIntegrationTest
class SecurityServiceContractIT extends SecurityServiceContractTest {
}
