package kg.evpower.payment.support;

import io.smallrye.jwt.build.Jwt;

/** End-user tokens signed with the test identity provider key (src/test/resources/jwt). */
public final class Users {

    private Users() {
    }

    public static String bearer(String clientId) {
        return "Bearer " + Jwt.issuer("https://idp.test.evpower.kg").audience("evpower-mobile-test").subject(clientId)
                .expiresIn(600).sign();
    }
}
