package kg.evpower.security.service;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.crypto.SecretKey;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.lang.JoseException;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import kg.evpower.security.config.SecurityConfig;
import kg.evpower.security.config.Secrets;
import kg.evpower.security.metrics.SecurityMetrics;
import kg.evpower.security.crypto.AesGcm;
import kg.evpower.security.repository.SigningKeyRepository;
import kg.evpower.security.repository.SigningKeyRepository.StoredKey;

/**
 * The EC P-256 (ES256) keys that sign every token of the platform. Generated at the first start, stored in the database
 * with the private key wrapped (AES-256-GCM, AAD = kid) under a key derived from {@code EV_SECURITY_SECRET}, so every
 * replica signs with the same key. A rotation retires the active key, which still verifies (and stays in the JWKS) until
 * the longest-lived token it could have signed has expired.
 */
@ApplicationScoped
public class SigningKeyService {

    public record SigningKey(String kid, PublicKey publicKey, PrivateKey privateKey, String status, Instant createdAt,
            Instant verifyUntil) {
    }

    private final SigningKeyRepository repository;
    private final SecurityConfig config;
    private final Secrets secrets;
    private final SecurityMetrics metrics;
    private volatile List<SigningKey> keys = List.of();
    private volatile SecretKey wrappingKey;

    SigningKeyService(SigningKeyRepository repository, SecurityConfig config, Secrets secrets, SecurityMetrics metrics) {
        this.metrics = metrics;
        this.repository = repository;
        this.config = config;
        this.secrets = secrets;
    }

    /** Runs after the platform's SecretsCheck (priority 1) has accepted the secrets. */
    void onStart(@Observes StartupEvent event) {
        ensureActiveKey().chain(this::reload).await().atMost(Duration.ofSeconds(30));
        Log.infof("Token signing key in use: %s", active().kid());
    }

    @Scheduled(every = "${evpower.security.signing-keys.refresh-interval:30s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refreshAndRotateWhenDue() {
        return refreshOrRotate()
                .onItem().invoke(() -> metrics.jobRun(true))
                .onFailure().invoke(f -> metrics.jobRun(false));
    }

    private Uni<Void> refreshOrRotate() {
        Duration rotateAfter = config.signingKeys().rotateAfter();
        SigningKey current = keys.isEmpty() ? null : keys.getFirst();
        if (current != null && !rotateAfter.isZero()
                && current.createdAt().plus(rotateAfter).isBefore(Instant.now())) {
            return rotate(current.kid()).replaceWithVoid();
        }
        return reload();
    }

    /** The key new tokens are signed with. */
    public SigningKey active() {
        return keys.stream().filter(k -> "ACTIVE".equals(k.status())).findFirst()
                .orElseThrow(() -> new IllegalStateException("no active signing key loaded"));
    }

    /** The public key of {@code kid} when it still verifies. */
    public Optional<PublicKey> verificationKey(String kid) {
        Instant now = Instant.now();
        return keys.stream()
                .filter(k -> k.kid().equals(kid))
                .filter(k -> "ACTIVE".equals(k.status()) || (k.verifyUntil() != null && now.isBefore(k.verifyUntil())))
                .map(SigningKey::publicKey).findFirst();
    }

    public List<SigningKey> loaded() {
        return keys;
    }

    /** The JWKS of every key that still verifies. */
    public String jwks() {
        try {
            List<JsonWebKey> jwks = new ArrayList<>();
            Instant now = Instant.now();
            for (SigningKey key : keys) {
                if (!"ACTIVE".equals(key.status()) && (key.verifyUntil() == null || !now.isBefore(key.verifyUntil()))) {
                    continue;
                }
                PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(key.publicKey());
                jwk.setKeyId(key.kid());
                jwk.setUse("sig");
                jwk.setAlgorithm(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
                jwks.add(jwk);
            }
            return new JsonWebKeySet(jwks).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        } catch (JoseException e) {
            throw new IllegalStateException("cannot write the JWKS", e);
        }
    }

    /** Reloads the keys from the database (another replica may have rotated). */
    public Uni<Void> reload() {
        return repository.findVerifying().map(rows -> rows.stream().map(this::toKey).toList())
                .invoke(loadedKeys -> keys = loadedKeys).replaceWithVoid();
    }

    /** Replaces the active key; the old one verifies for the longest token lifetime more. The new key's kid. */
    public Uni<String> rotate() {
        return reload().chain(() -> rotate(active().kid())).chain(ignored -> Uni.createFrom().item(active().kid()));
    }

    private Uni<Boolean> rotate(String currentKid) {
        StoredKey next = newKey();
        return repository.rotate(currentKid, next, overlap())
                .invoke(rotated -> {
                    if (rotated) {
                        Log.infof("Token signing key rotated: %s retired, %s active", currentKid, next.kid());
                    }
                })
                .call(this::reload);
    }

    /** How long a retired key keeps verifying: the longest token lifetime plus clock skew. */
    Duration overlap() {
        Duration cp = Duration.ofHours(config.tokens().cpExpirationHours());
        Duration service = config.tokens().serviceLifetime();
        return (cp.compareTo(service) > 0 ? cp : service).plusMinutes(5);
    }

    private Uni<Void> ensureActiveKey() {
        return repository.findVerifying().chain(rows -> rows.stream().anyMatch(r -> "ACTIVE".equals(r.status()))
                ? Uni.createFrom().voidItem()
                : repository.insertActiveIfNone(newKey()).replaceWithVoid());
    }

    private StoredKey newKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            String kid = UUID.randomUUID().toString();
            byte[] wrapped = AesGcm.seal(wrappingKey(), pair.getPrivate().getEncoded(), aad(kid));
            return new StoredKey(kid, "ES256", Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()),
                    Base64.getEncoder().encodeToString(wrapped), "ACTIVE", Instant.now(), null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an EC P-256 key pair", e);
        }
    }

    private SigningKey toKey(StoredKey row) {
        try {
            KeyFactory factory = KeyFactory.getInstance("EC");
            PublicKey publicKey = factory.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(row.publicKey())));
            PrivateKey privateKey = null;
            if ("ACTIVE".equals(row.status())) {
                byte[] pkcs8 = AesGcm.open(wrappingKey(), Base64.getDecoder().decode(row.wrappedPrivateKey()), aad(row.kid()));
                privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            }
            return new SigningKey(row.kid(), publicKey, privateKey, row.status(), row.createdAt(), row.verifyUntil());
        } catch (AesGcm.OpenFailedException e) {
            throw new IllegalStateException("The signing key " + row.kid()
                    + " cannot be unwrapped: EV_SECURITY_SECRET differs from the one it was stored with");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The signing key " + row.kid() + " is not a valid EC key", e);
        }
    }

    private SecretKey wrappingKey() {
        SecretKey key = wrappingKey;
        if (key == null) {
            key = AesGcm.deriveKey(secrets.require(Secrets.SECURITY_SECRET), "evpower-signing-key-wrap-v1",
                    "token signing key encryption");
            wrappingKey = key;
        }
        return key;
    }

    private static byte[] aad(String kid) {
        return ("evpower-signing-key|" + kid).getBytes(StandardCharsets.UTF_8);
    }
}
