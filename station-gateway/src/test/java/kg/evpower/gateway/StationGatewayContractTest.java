package kg.evpower.gateway;

import io.quarkus.test.junit.QuarkusTest;
import kg.evpower.platform.testing.ServiceContractTest;

@QuarkusTest
class StationGatewayContractTest extends ServiceContractTest {

    @Override
    protected String serviceName() {
        return "station-gateway";
    }
}
