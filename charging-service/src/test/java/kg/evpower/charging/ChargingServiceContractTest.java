package kg.evpower.charging;

import io.quarkus.test.junit.QuarkusTest;
import kg.evpower.platform.testing.ServiceContractTest;

@QuarkusTest
class ChargingServiceContractTest extends ServiceContractTest {

    @Override
    protected String serviceName() {
        return "charging-service";
    }
}
