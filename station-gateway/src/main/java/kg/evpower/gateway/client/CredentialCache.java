package kg.evpower.gateway.client;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import kg.evpower.gateway.config.GatewayConfig;

/**
 * Successful credential checks, kept briefly so reconnect storms and security-service blips do not lock stations out.
 * Holds a SHA-256 of the password, never the password; a station's entry is dropped on any security event about it.
 */
@ApplicationScoped
public class CredentialCache {

    private record Entry(byte[] passwordHash, SecurityClient.Authentication result, long expiresAtNanos) {
    }

    private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final SecurityClient client;
    private final GatewayConfig config;

    CredentialCache(SecurityClient client, GatewayConfig config) {
        this.client = client;
        this.config = config;
    }

    public Uni<SecurityClient.Authentication> authenticate(String cpId, String password, String sourceAddress) {
        byte[] hash = sha256(password);
        Entry entry = entries.get(cpId);
        if (entry != null && entry.expiresAtNanos() - System.nanoTime() > 0
                && MessageDigest.isEqual(entry.passwordHash(), hash)) {
            return Uni.createFrom().item(entry.result());
        }
        return client.authenticate(cpId, password, sourceAddress).invoke(result -> {
            if (result.admitted()) {
                entries.put(cpId, new Entry(hash, result, System.nanoTime() + config.auth().cacheTtl().toNanos()));
            } else {
                entries.remove(cpId);
            }
        });
    }

    /** Profile 3: the certificate proved the identity; security-service still decides whether it may connect. */
    public Uni<SecurityClient.Authentication> certificateHolder(String cpId) {
        return client.certificateHolder(cpId);
    }

    public void drop(String cpId) {
        entries.remove(cpId);
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
