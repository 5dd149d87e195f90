package kg.evpower.platform.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The prod profile's CORS refusal (the process-level proof is deploy/e2e ProdSecretsIT). */
class HttpConfigCheckTest {

    @Test
    void aWildcardOriginIsRefused() {
        assertTrue(HttpConfigCheck.allowsEveryOrigin(List.of("*")));
        assertTrue(HttpConfigCheck.allowsEveryOrigin(List.of("https://app.evpower.kg", " * ")));
        assertTrue(HttpConfigCheck.allowsEveryOrigin(List.of("/.*/")));
    }

    @Test
    void namedOriginsAndNoneAreAccepted() {
        assertFalse(HttpConfigCheck.allowsEveryOrigin(List.of()));
        assertFalse(HttpConfigCheck.allowsEveryOrigin(List.of("https://app.evpower.kg", "https://admin.evpower.kg")));
    }
}
