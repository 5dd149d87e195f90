package kg.evpower.payment.support;

import kg.evpower.platform.testing.TestServiceTokens;

/** Credentials tests send. */
public final class Auth {

    private Auth() {
    }

    /** The Authorization header of an internal (service) call: a platform test service token. */
    public static String service() {
        return TestServiceTokens.bearer();
    }
}
