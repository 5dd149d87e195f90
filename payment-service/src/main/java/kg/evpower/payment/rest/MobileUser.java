package kg.evpower.payment.rest;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;

/** The client id of the caller: the {@code sub} of the verified end-user token (never a request field). */
@RequestScoped
public class MobileUser {

    @Inject
    JsonWebToken jwt;

    public String clientId() {
        String sub = jwt == null ? null : jwt.getSubject();
        if (sub == null || sub.isBlank() || sub.length() > 128) {
            throw new MobileException(401, "unauthorized", "The access token has no usable subject.");
        }
        return sub;
    }
}
