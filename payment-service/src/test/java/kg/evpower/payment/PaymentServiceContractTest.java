package kg.evpower.payment;

import io.quarkus.test.junit.QuarkusTest;
import kg.evpower.platform.testing.ServiceContractTest;

@QuarkusTest
class PaymentServiceContractTest extends ServiceContractTest {

    @Override
    protected String serviceName() {
        return "payment-service";
    }
}
