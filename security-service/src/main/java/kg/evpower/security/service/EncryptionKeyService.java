package kg.evpower.security.service;

import java.time.Instant;
import java.util.Base64;
import java.util.List;

import javax.crypto.SecretKey;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import kg.evpower.platform.event.Outbox;
import kg.evpower.platform.problem.ProblemException;
import kg.evpower.security.config.SecurityConfig;
import kg.evpower.security.crypto.AesGcm;
import kg.evpower.security.crypto.PayloadFormat;
import kg.evpower.security.domain.ChargePoint;
import kg.evpower.security.domain.ChargePointStatus;
import kg.evpower.security.domain.EncryptionError;
import kg.evpower.security.domain.EncryptionKey;
import kg.evpower.security.domain.KeyStatus;
import kg.evpower.security.event.SecurityEvents;
import kg.evpower.security.metrics.SecurityMetrics;
import kg.evpower.security.repository.ChargePointRepository;
import kg.evpower.security.repository.EncryptionErrorRepository;
import kg.evpower.security.repository.EncryptionKeyRepository;
import kg.evpower.security.service.AuditService.Entry;
import kg.evpower.security.service.AuditService.Outcome;

/**
 * Per-charge-point AES-256-GCM keys: generate, rotate (the previous version decrypts for a grace period), revoke (at
 * once), and encrypt/decrypt payloads with them. Refused payloads are recorded as encryption errors of the charge point;
 * its next success resolves them.
 */
@ApplicationScoped
public class EncryptionKeyService {

    public record KeyChange(String cpId, int version, Integer previousVersion, String message) {
    }

    public record Revoked(String cpId, List<Integer> versions) {
    }

    public record Encrypted(String cpId, int keyVersion, String payload) {
    }

    public record Decrypted(String cpId, int keyVersion, String plaintext) {
    }

    /** A refused crypto operation: the problem to answer and the error type recorded for the charge point. */
    private record Refusal(ProblemException problem, String errorType) {
    }

    private record Outcome_<T>(T value, Refusal refusal) {
    }

    private final ChargePointRepository chargePoints;
    private final EncryptionKeyRepository keys;
    private final EncryptionErrorRepository errors;
    private final KeyWrapper wrapper;
    private final Outbox outbox;
    private final AuditService audit;
    private final SecurityConfig config;
    private final SecurityMetrics metrics;

    EncryptionKeyService(ChargePointRepository chargePoints, EncryptionKeyRepository keys, EncryptionErrorRepository errors,
            KeyWrapper wrapper, Outbox outbox, AuditService audit, SecurityConfig config, SecurityMetrics metrics) {
        this.metrics = metrics;
        this.chargePoints = chargePoints;
        this.keys = keys;
        this.errors = errors;
        this.wrapper = wrapper;
        this.outbox = outbox;
        this.audit = audit;
        this.config = config;
    }

    /** A first key for a charge point that has none active. */
    @WithTransaction
    public Uni<KeyChange> generate(String cpId, String reason, Caller caller) {
        return lockUsable(cpId, "generate a key for").chain(cp -> keys.findActive(cpId).chain(active -> {
            if (active != null) {
                return Uni.createFrom().failure(ProblemException.conflict("KEY_EXISTS", cpId
                        + " already has an active key (version " + active.keyVersion + "); use /keys/reset to rotate it"));
            }
            return createNext(cpId, null).call(created -> audit.record(new Entry(caller, "KEY_GENERATE", Outcome.SUCCESS,
                    "INFO", cpId, reasonOr(reason, "version " + created.version()))));
        }));
    }

    /**
     * Rotation: the new version is created before the old one stops encrypting, in one transaction, so a charge point
     * (ACTIVE or OUT_OF_SERVICE) is never left without a key. The old version decrypts until the grace period ends.
     */
    @WithTransaction
    public Uni<KeyChange> reset(String cpId, String reason, Caller caller) {
        return lockUsable(cpId, "rotate the key of").chain(cp -> keys.findActive(cpId).chain(active -> rotate(cpId,
                active, caller, (previous, next) -> reasonOr(reason, "version " + previous + " -> " + next))));
    }

    /**
     * The key-age job's rotation: {@link #reset} (same grace period, event and {@code KEY_RESET} audit row), but only
     * while the active key is still older than {@code cutoff}, which is checked under the charge point's row lock. So
     * replicas that run the job at once rotate a key once: the later one waits for the lock, then finds the new key and
     * changes nothing. Null when nothing was rotated (key no longer old, no active key, charge point gone or REVOKED).
     */
    @WithTransaction
    public Uni<KeyChange> rotateIfOlderThan(String cpId, Instant cutoff, String why, Caller caller) {
        return chargePoints.findForUpdate(cpId).chain(cp -> {
            if (cp == null || cp.status == ChargePointStatus.REVOKED) {
                return Uni.createFrom().<KeyChange> nullItem();
            }
            return keys.findActive(cpId).chain(active -> active == null || !active.createdAt.isBefore(cutoff)
                    ? Uni.createFrom().<KeyChange> nullItem()
                    : rotate(cpId, active, caller, (previous, next) -> why + ": version " + previous + " -> " + next));
        });
    }

    /** Inside a transaction holding the charge point's lock: {@code active} (if any) to DECRYPT_ONLY, a new version. */
    private Uni<KeyChange> rotate(String cpId, EncryptionKey active, Caller caller,
            java.util.function.BiFunction<Integer, Integer, String> auditReason) {
        Uni<Void> retire = Uni.createFrom().voidItem();
        if (active != null) {
            Instant now = Instant.now();
            active.status = KeyStatus.DECRYPT_ONLY;
            active.rotatedAt = now;
            active.decryptUntil = now.plus(config.encryptionKeys().decryptGrace());
            retire = keys.flush();
        }
        Integer previous = active == null ? null : active.keyVersion;
        return retire.chain(() -> createNext(cpId, previous))
                .call(created -> audit.record(new Entry(caller, "KEY_RESET", Outcome.SUCCESS, "WARN", cpId,
                        auditReason.apply(previous, created.version()))));
    }

    /** Makes every usable version unusable at once; 404 when there is none (not a false success). */
    @WithTransaction
    public Uni<Revoked> revoke(String cpId, String reason, Caller caller) {
        return chargePoints.findForUpdate(cpId)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("CHARGE_POINT_NOT_FOUND", "No charge point " + cpId))
                .chain(cp -> revokeAllInTransaction(cpId))
                .chain(versions -> versions.isEmpty()
                        ? Uni.createFrom().failure(ProblemException.notFound("KEY_NOT_FOUND",
                                "Key not found or already revoked for " + cpId))
                        : audit.record(new Entry(caller, "KEY_REVOKE", Outcome.SUCCESS, "WARN", cpId,
                                reasonOr(reason, "versions " + versions))).replaceWith(new Revoked(cpId, versions)));
    }

    /** Revokes every usable version inside the caller's transaction and emits one event per version; the versions. */
    public Uni<List<Integer>> revokeAllInTransaction(String cpId) {
        Instant now = Instant.now();
        return keys.findUsable(cpId).chain(usable -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (EncryptionKey key : usable) {
                key.status = KeyStatus.REVOKED;
                key.revokedAt = now;
                chain = chain.call(() -> outbox.append(SecurityEvents.STREAM, SecurityEvents.KEY_REVOKED, cpId,
                        new SecurityEvents.KeyRevoked(cpId, key.keyVersion)));
            }
            return chain.replaceWith(usable.stream().map(k -> k.keyVersion).toList());
        });
    }

    public Uni<Encrypted> encrypt(String cpId, String plaintextBase64, Caller caller) {
        byte[] plaintext;
        try {
            plaintext = Base64.getDecoder().decode(plaintextBase64 == null ? "" : plaintextBase64);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(ProblemException.badRequest("PLAINTEXT_MALFORMED", "plaintext is not base64"));
        }
        if (plaintext.length > config.encryptionKeys().maxPlaintextBytes()) {
            return Uni.createFrom().failure(ProblemException.badRequest("PLAINTEXT_TOO_LARGE",
                    "plaintext is longer than " + config.encryptionKeys().maxPlaintextBytes() + " bytes"));
        }
        return Panache.withTransaction(() -> usableChargePoint(cpId).chain(cp -> keys.findActive(cpId).map(active -> {
            if (active == null) {
                return new Outcome_<Encrypted>(null, refusal(409, "NO_ACTIVE_KEY", "encryption_failed",
                        cpId + " has no active encryption key"));
            }
            try {
                SecretKey key = wrapper.unwrap(cpId, active.keyVersion, active.wrappedKey, active.keyHash);
                byte[] sealed = AesGcm.seal(key, plaintext, PayloadFormat.associatedData(cpId, active.keyVersion));
                return new Outcome_<>(new Encrypted(cpId, active.keyVersion, PayloadFormat.encode(active.keyVersion, sealed)),
                        null);
            } catch (KeyWrapper.KeyIntegrityException e) {
                return new Outcome_<Encrypted>(null, refusal(500, "KEY_INTEGRITY_FAILED", "key_mismatch", e.getMessage()));
            }
        })).chain(outcome -> settle(cpId, caller, outcome))).map(EncryptionKeyService::orThrow);
    }

    public Uni<Decrypted> decrypt(String cpId, String payload, Caller caller) {
        return Panache.withTransaction(() -> usableChargePoint(cpId).chain(cp -> {
            PayloadFormat.Parsed parsed;
            try {
                parsed = PayloadFormat.decode(payload);
            } catch (PayloadFormat.MalformedException e) {
                return Uni.createFrom().item(e.truncated()
                        ? new Outcome_<Decrypted>(null, refusal(400, "PAYLOAD_TRUNCATED", "invalid_format", e.getMessage()))
                        : new Outcome_<Decrypted>(null, refusal(400, "PAYLOAD_MALFORMED", "invalid_format", e.getMessage())));
            }
            return keys.findVersion(cpId, parsed.keyVersion()).map(key -> open(cpId, parsed, key));
        }).chain(outcome -> settle(cpId, caller, outcome))).invoke(outcome -> {
            if (outcome.refusal() != null) {
                metrics.decryptionFailure(outcome.refusal().errorType());
            }
        }).map(EncryptionKeyService::orThrow);
    }

    private Outcome_<Decrypted> open(String cpId, PayloadFormat.Parsed parsed, EncryptionKey key) {
        int version = parsed.keyVersion();
        if (key == null) {
            return new Outcome_<>(null, refusal(422, "KEY_VERSION_UNKNOWN", "key_not_found",
                    cpId + " has no key version " + version));
        }
        if (key.status == KeyStatus.REVOKED) {
            return new Outcome_<>(null, refusal(422, "KEY_REVOKED", "key_revoked", "key version " + version + " is revoked"));
        }
        if (!key.decrypts(Instant.now())) {
            return new Outcome_<>(null, refusal(422, "KEY_EXPIRED", "key_expired",
                    "key version " + version + " was rotated and its grace period is over"));
        }
        try {
            SecretKey secret = wrapper.unwrap(cpId, version, key.wrappedKey, key.keyHash);
            byte[] plain = AesGcm.open(secret, parsed.sealed(), PayloadFormat.associatedData(cpId, version));
            return new Outcome_<>(new Decrypted(cpId, version, Base64.getEncoder().encodeToString(plain)), null);
        } catch (KeyWrapper.KeyIntegrityException e) {
            return new Outcome_<>(null, refusal(500, "KEY_INTEGRITY_FAILED", "key_mismatch", e.getMessage()));
        } catch (AesGcm.OpenFailedException e) {
            return new Outcome_<>(null, refusal(422, "DECRYPTION_FAILED", "decryption_failed",
                    "payload does not authenticate under key version " + version + " (tampered or another key)"));
        }
    }

    /** Records the refusal (error row + audit) or resolves the open errors, in the current transaction. */
    private <T> Uni<Outcome_<T>> settle(String cpId, Caller caller, Outcome_<T> outcome) {
        Instant now = Instant.now();
        if (outcome.refusal() == null) {
            return errors.resolveOpen(cpId, now).replaceWith(outcome);
        }
        EncryptionError error = new EncryptionError();
        error.cpId = cpId;
        error.errorType = outcome.refusal().errorType();
        error.message = outcome.refusal().problem().getMessage();
        error.occurredAt = now;
        return errors.persist(error)
                .call(() -> audit.record(new Entry(caller, "CRYPTO", Outcome.FAILURE, "WARN", cpId,
                        "INVALID_ENCRYPTION " + outcome.refusal().problem().code())))
                .replaceWith(outcome);
    }

    private static <T> T orThrow(Outcome_<T> outcome) {
        if (outcome.refusal() != null) {
            throw outcome.refusal().problem();
        }
        return outcome.value();
    }

    private static Refusal refusal(int status, String code, String errorType, String detail) {
        String title = switch (status) {
            case 400 -> "Bad request";
            case 409 -> "Conflict";
            case 422 -> "Unprocessable payload";
            default -> "Key integrity failure";
        };
        return new Refusal(new ProblemException(status, code, title, detail), errorType);
    }

    private Uni<ChargePoint> usableChargePoint(String cpId) {
        return chargePoints.findById(cpId)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("CHARGE_POINT_NOT_FOUND", "No charge point " + cpId))
                .invoke(cp -> {
                    if (cp.status == ChargePointStatus.REVOKED) {
                        throw ProblemException.conflict("CHARGE_POINT_REVOKED", cpId + " is revoked");
                    }
                });
    }

    private Uni<ChargePoint> lockUsable(String cpId, String what) {
        return chargePoints.findForUpdate(cpId)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("CHARGE_POINT_NOT_FOUND", "No charge point " + cpId))
                .invoke(cp -> {
                    if (cp.status == ChargePointStatus.REVOKED) {
                        throw ProblemException.conflict("CHARGE_POINT_REVOKED", "Cannot " + what + " " + cpId
                                + ": it is revoked");
                    }
                });
    }

    private Uni<KeyChange> createNext(String cpId, Integer previous) {
        return keys.latestVersion(cpId).chain(latest -> {
            int version = latest + 1;
            KeyWrapper.Wrapped wrapped = wrapper.wrap(cpId, version, AesGcm.newKey());
            EncryptionKey key = new EncryptionKey();
            key.cpId = cpId;
            key.keyVersion = version;
            key.wrappedKey = wrapped.wrappedKey();
            key.keyHash = wrapped.keyHash();
            key.status = KeyStatus.ACTIVE;
            key.createdAt = Instant.now();
            return keys.persist(key)
                    .call(() -> outbox.append(SecurityEvents.STREAM, SecurityEvents.KEY_ROTATED, cpId,
                            new SecurityEvents.KeyRotated(cpId, version, previous)))
                    .replaceWith(new KeyChange(cpId, version, previous, previous == null
                            ? "Key version " + version + " generated"
                            : "Key rotated: version " + version + " active, version " + previous + " decrypts until the grace period ends"));
        });
    }

    private static String reasonOr(String reason, String fallback) {
        return reason == null || reason.isBlank() ? fallback : reason;
    }
}
