package kg.evpower.gateway.ocpp.handler;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import kg.evpower.gateway.client.CredentialCache;
import kg.evpower.gateway.config.GatewayConfig;
import kg.evpower.platform.http.TrustedProxies;

/**
 * Decides every station upgrade before it happens: a supported OCPP subprotocol offered, a well-formed identity, and
 * credentials security-service accepts (security profile 1/2: HTTP Basic with user = charge point id; the legacy Bearer
 * key only when enabled; profile 3 when the gateway serves TLS itself: no Authorization header, a client certificate the
 * handshake verified against the trust store whose subject CN is the charge point id, and a status security-service
 * admits). Refusals carry no detail; the password and the Authorization header are never logged.
 */
@ApplicationScoped
public class StationUpgradeCheck implements HttpUpgradeCheck {

    public static final Set<String> SUBPROTOCOLS = Set.of("ocpp1.6", "ocpp1.6j", "ocpp1.6-json");
    public static final UserData.TypedKey<String> CHARGE_POINT_ID = UserData.TypedKey.forString("chargePointId");
    public static final UserData.TypedKey<String> SECURITY_STATUS = UserData.TypedKey.forString("securityStatus");
    /** Run once the socket has closed: tells Quarkus' HTTP graceful shutdown the upgrade request is over. */
    static final UserData.TypedKey<Runnable> REQUEST_DONE = new UserData.TypedKey<>("requestDone");

    /** Identity: 1-48 printable ASCII characters, none of which break the Basic user field or the path. */
    private static final Pattern IDENTITY = Pattern.compile("[A-Za-z0-9._~*+@=!$&'()\\-]{1,48}");
    private static final Map<String, List<String>> CHALLENGE = Map.of("WWW-Authenticate",
            List.of("Basic realm=\"evpower-ocpp\""));

    private final CredentialCache credentials;
    private final GatewayConfig config;
    private final TrustedProxies proxies;
    private final GracefulShutdown drain;

    StationUpgradeCheck(CredentialCache credentials, GatewayConfig config, GracefulShutdown drain) {
        this.drain = drain;
        this.credentials = credentials;
        this.config = config;
        this.proxies = TrustedProxies.of(config.auth().trustedProxies());
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        HttpServerRequest request = context.httpRequest();
        if (drain.draining()) {
            // This replica is stopping: the station should connect to another one.
            return CheckResult.rejectUpgrade(503);
        }
        if (!offersSupportedSubprotocol(request.headers().getAll("Sec-WebSocket-Protocol"))) {
            return CheckResult.rejectUpgrade(400);
        }
        String chargePointId = identity(request.path());
        if (chargePointId == null) {
            return CheckResult.rejectUpgrade(400);
        }
        String authorization = request.getHeader("Authorization");
        if (authorization == null && request.isSSL()) {
            // Security profile 3: TLS client certificate, verified against the trust store by the TLS handshake.
            return byCertificate(context, chargePointId, request);
        }
        String password = password(chargePointId, authorization);
        if (password == null) {
            return CheckResult.rejectUpgrade(401, CHALLENGE);
        }
        // The station's own address for lock-out and audit: X-Forwarded-For only from a trusted proxy (nginx).
        String peer = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        String source = proxies.sourceAddress(peer, request.headers().getAll("X-Forwarded-For"));
        return credentials.authenticate(chargePointId, password, source)
                .map(result -> {
                    if (!result.admitted()) {
                        Log.infof("Station %s refused: not admitted by security-service", chargePointId);
                        return CheckResult.rejectUpgradeSync(401, CHALLENGE);
                    }
                    admit(context, chargePointId, result.status(), request);
                    return CheckResult.permitUpgradeSync();
                })
                .onFailure().recoverWithItem(failure -> {
                    Log.warnf("Station %s refused: security-service unavailable (%s)", chargePointId,
                            failure.getClass().getSimpleName());
                    return CheckResult.rejectUpgradeSync(503);
                });
    }

    private Uni<CheckResult> byCertificate(HttpUpgradeContext context, String chargePointId,
            HttpServerRequest request) {
        String commonName = clientCommonName(request.sslSession());
        if (commonName == null || !commonName.equals(chargePointId)) {
            Log.infof("Station %s refused: no client certificate for this id", chargePointId);
            return CheckResult.rejectUpgrade(401, CHALLENGE);
        }
        return credentials.certificateHolder(chargePointId)
                .map(result -> {
                    if (!result.admitted()) {
                        Log.infof("Station %s refused: certificate holder not admitted by security-service",
                                chargePointId);
                        return CheckResult.rejectUpgradeSync(401, CHALLENGE);
                    }
                    admit(context, chargePointId, result.status(), request);
                    return CheckResult.permitUpgradeSync();
                })
                .onFailure().recoverWithItem(failure -> {
                    Log.warnf("Station %s refused: security-service unavailable (%s)", chargePointId,
                            failure.getClass().getSimpleName());
                    return CheckResult.rejectUpgradeSync(503);
                });
    }

    private static void admit(HttpUpgradeContext context, String chargePointId, String status,
            HttpServerRequest request) {
        context.userData().put(CHARGE_POINT_ID, chargePointId);
        context.userData().put(SECURITY_STATUS, status);
        context.userData().put(REQUEST_DONE, UpgradedRequest.doneAction(request));
    }

    /** The subject CN of the client certificate the TLS handshake verified, or null when there is none. */
    static String clientCommonName(SSLSession session) {
        if (session == null) {
            return null;
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
                return null;
            }
            for (Rdn rdn : new LdapName(leaf.getSubjectX500Principal().getName()).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    return rdn.getValue().toString();
                }
            }
            return null;
        } catch (SSLPeerUnverifiedException | InvalidNameException e) {
            return null;
        }
    }

    static boolean offersSupportedSubprotocol(List<String> headers) {
        for (String header : headers) {
            for (String offered : header.split(",")) {
                if (SUBPROTOCOLS.contains(offered.trim())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The charge point id: the segment after /ocpp/ or /ws/, URL-decoded, or null when it breaks the rules. */
    static String identity(String path) {
        if (path == null) {
            return null;
        }
        String rest;
        if (path.startsWith("/ocpp/")) {
            rest = path.substring(6);
        } else if (path.startsWith("/ws/")) {
            rest = path.substring(4);
        } else {
            return null;
        }
        if (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        String decoded;
        try {
            decoded = URLDecoder.decode(rest.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return IDENTITY.matcher(decoded).matches() ? decoded : null;
    }

    private String password(String chargePointId, String authorization) {
        if (authorization == null) {
            return null;
        }
        if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                        StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
            int colon = decoded.indexOf(':');
            if (colon < 0 || !decoded.substring(0, colon).equals(chargePointId) || colon == decoded.length() - 1) {
                return null;
            }
            return decoded.substring(colon + 1);
        }
        if (config.auth().allowBearer() && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String key = authorization.substring(7).trim();
            return key.isEmpty() ? null : key;
        }
        return null;
    }
}
