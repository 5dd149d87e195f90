package kg.evpower.charging.rest;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.UnauthorizedException;

/** The authenticated app client: the verified token's {@code sub} (a token without one is refused, A8.4). */
@RequestScoped
public class CurrentClient {

    @Inject
    JsonWebToken jwt;

    public String id() {
        String sub = jwt == null ? null : jwt.getSubject();
        if (sub == null || sub.isBlank() || sub.length() > 100) {
            throw new UnauthorizedException();
        }
        return sub;
    }

    public String claim(String name) {
        Object value = jwt.getClaim(name);
        return value == null ? null : value.toString();
    }
}
