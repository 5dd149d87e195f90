package kg.evpower.security;

import io.quarkus.test.junit.QuarkusTest;
import kg.evpower.platform.testing.ServiceContractTest;

@QuarkusTest
class SecurityServiceContractTest extends ServiceContractTest {

    @Override
    protected String serviceName() {
        return "security-service";
    }
}
