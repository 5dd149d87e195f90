package kg.evpower.platform.auth;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The token memory's settings: a bad one stops the service at start-up with the setting's name in the message. */
class ServiceTokenVerifierSettingsTest {

    @Test
    void aNegativeNumberOfRememberedTokensIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServiceTokenVerifier.checkSettings(-1, Duration.ofSeconds(30)));
        assertEquals("evpower.service-auth.remembered-tokens must be 0 (remember none) or more, was -1", e.getMessage());
    }

    @Test
    void aNegativeClockSkewIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServiceTokenVerifier.checkSettings(1000, Duration.ofSeconds(-5)));
        assertEquals("evpower.service-auth.clock-skew must not be negative, was PT-5S", e.getMessage());
    }

    @Test
    void zeroRememberedTokensAndNoSkewAreAccepted() {
        assertDoesNotThrow(() -> ServiceTokenVerifier.checkSettings(0, Duration.ZERO));
    }
}
