package kg.evpower.security.service;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import kg.evpower.security.config.SecurityConfig;
import kg.evpower.security.config.Secrets;

/**
 * Operators prove themselves with {@code X-Admin-Key} (compared as SHA-256 digests with {@link MessageDigest#isEqual})
 * or with an admin JWT verified by SmallRye JWT against {@code evpower.security.admin-jwt.public-key-location}, whose
 * groups contain {@code evpower.security.admin-jwt.group}.
 */
@ApplicationScoped
public class AdminAuthenticator {

    /** The admin, or why not. {@code actor} is {@code admin:key} or {@code admin:<jwt subject>}. */
    public record Verdict(boolean allowed, String actor, String reason, boolean configured) {
    }

    private final Secrets secrets;
    private final SecurityConfig config;
    private final Vertx vertx;
    private volatile DefaultJWTParser parser;

    AdminAuthenticator(Secrets secrets, SecurityConfig config, Vertx vertx) {
        this.secrets = secrets;
        this.config = config;
        this.vertx = vertx;
    }

    public Uni<Verdict> check(String adminKey, String authorization) {
        Optional<String> configuredKey = secrets.find(Secrets.ADMIN_KEY);
        boolean jwtConfigured = config.adminJwt().publicKeyLocation().isPresent();
        if (configuredKey.isEmpty() && !jwtConfigured) {
            return Uni.createFrom().item(new Verdict(false, null, "ADMIN_NOT_CONFIGURED", false));
        }
        if (adminKey != null) {
            boolean ok = configuredKey.isPresent() && MessageDigest.isEqual(digest(configuredKey.get()), digest(adminKey));
            return Uni.createFrom().item(ok ? new Verdict(true, "admin:key", null, true)
                    : new Verdict(false, null, "INVALID_ADMIN_KEY", true));
        }
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            if (!jwtConfigured) {
                return Uni.createFrom().item(new Verdict(false, null, "ADMIN_JWT_NOT_ACCEPTED", true));
            }
            String token = authorization.substring(7).trim();
            // Key loading may touch the file system or network: off the event loop.
            return vertx.executeBlocking(() -> verifyJwt(token), false);
        }
        return Uni.createFrom().item(new Verdict(false, null, "ADMIN_CREDENTIAL_MISSING", true));
    }

    private Verdict verifyJwt(String token) {
        try {
            JsonWebToken jwt = parser().parse(token);
            Set<String> groups = jwt.getGroups();
            if (groups == null || !groups.contains(config.adminJwt().group())) {
                return new Verdict(false, null, "ADMIN_ROLE_MISSING", true);
            }
            String who = jwt.getSubject() != null ? jwt.getSubject() : jwt.getName();
            return new Verdict(true, "admin:" + who, null, true);
        } catch (ParseException e) {
            // jose4j error codes only: its messages can contain the token itself.
            String codes = e.getCause() instanceof org.jose4j.jwt.consumer.InvalidJwtException invalid
                    ? invalid.getErrorDetails().stream().map(d -> String.valueOf(d.getErrorCode())).toList().toString()
                    : e.getCause() != null ? e.getCause().getClass().getSimpleName() : "parse";
            io.quarkus.logging.Log.infof("Admin JWT refused (jose4j error codes %s)", codes);
            return new Verdict(false, null, "INVALID_ADMIN_TOKEN", true);
        }
    }

    private DefaultJWTParser parser() {
        DefaultJWTParser p = parser;
        if (p == null) {
            String location = config.adminJwt().publicKeyLocation().orElseThrow();
            JWTAuthContextInfo info = new JWTAuthContextInfo();
            if (location.startsWith("http:") || location.startsWith("https:")) {
                info.setPublicKeyLocation(location); // SmallRye fetches and caches the PEM/JWK/JWKS
                info.setSignatureAlgorithm(ALL_ALGORITHMS);
            } else {
                String content = readLocal(location); // read once here (worker thread)
                info.setPublicKeyContent(content);
                info.setSignatureAlgorithm(algorithmsFor(content));
            }
            config.adminJwt().issuer().ifPresent(info::setIssuedBy);
            info.setRequireNamedPrincipal(false);
            p = new DefaultJWTParser(info);
            parser = p;
        }
        return p;
    }

    private static final Set<SignatureAlgorithm> RSA_ALGORITHMS = ordered(SignatureAlgorithm.RS256,
            SignatureAlgorithm.PS256);
    private static final Set<SignatureAlgorithm> ALL_ALGORITHMS = ordered(SignatureAlgorithm.RS256,
            SignatureAlgorithm.PS256, SignatureAlgorithm.ES256);

    private static Set<SignatureAlgorithm> ordered(SignatureAlgorithm... algorithms) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(List.of(algorithms)));
    }

    /**
     * The algorithms accepted for a local key, in a fixed order that starts with the key's own type: SmallRye decodes a
     * PEM key with the first algorithm of the set. The set was a {@code Set.of}, whose order changes from one JVM run to
     * the next, so in some runs an RSA key was read as EC and every admin JWT of that run was refused
     * ({@code UnresolvableKeyException}). JWK/JWKS content names its own key type.
     */
    static Set<SignatureAlgorithm> algorithmsFor(String keyContent) {
        if (keyContent.trim().startsWith("{")) {
            return ALL_ALGORITHMS;
        }
        String body = keyContent.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
            return Set.of(SignatureAlgorithm.ES256);
        } catch (IllegalArgumentException | GeneralSecurityException notEc) {
            return RSA_ALGORITHMS;
        }
    }

    /** {@code classpath:...}, {@code file:...} or a plain path. */
    private static String readLocal(String location) {
        try {
            if (location.startsWith("classpath:")) {
                String path = location.substring("classpath:".length()).replaceFirst("^/", "");
                try (java.io.InputStream in = AdminAuthenticator.class.getClassLoader().getResourceAsStream(path)) {
                    if (in == null) {
                        throw new IllegalStateException("admin JWT key not found on the classpath: " + path);
                    }
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            String path = location.startsWith("file:") ? location.substring("file:".length()) : location;
            return java.nio.file.Files.readString(java.nio.file.Path.of(path), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("admin JWT key cannot be read from " + location, e);
        }
    }

    private static byte[] digest(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
