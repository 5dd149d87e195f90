package kg.evpower.security.service;

import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import kg.evpower.platform.event.Outbox;
import kg.evpower.platform.problem.Problem;
import kg.evpower.platform.problem.ProblemException;
import kg.evpower.security.config.SecurityConfig;
import kg.evpower.security.crypto.PasswordHasher;
import kg.evpower.security.domain.AuditEvent;
import kg.evpower.security.domain.ChargePoint;
import kg.evpower.security.domain.ChargePointStatus;
import kg.evpower.security.event.SecurityEvents;
import kg.evpower.security.metrics.SecurityMetrics;
import kg.evpower.security.repository.ChargePointRepository;
import kg.evpower.security.repository.StationAuthRepository;
import kg.evpower.security.service.AuditService.Entry;
import kg.evpower.security.service.AuditService.Outcome;

/** The charge-point registry: registration, credentials, status transitions, authentication and tokens. */
@ApplicationScoped
public class ChargePointService {

    public static final Pattern CP_ID = Pattern.compile("[A-Za-z0-9._-]{3,64}");
    /** OCPP 1.6 security profile 1/2 authorization key: 16–40 printable ASCII characters. */
    public static final Pattern AUTHORIZATION_KEY = Pattern.compile("[\\x21-\\x7e]{16,40}");

    public record Registration(String cpId, String location, String metadata, String authorizationKey) {
    }

    public record Credentials(String cpId, String authorizationKey) {
    }

    public record StatusChange(String cpId, ChargePointStatus status, ChargePointStatus previousStatus, String message) {
    }

    /** What callers outside service/ see of a charge point (never its credential hash). */
    public record ChargePointInfo(String cpId, String location, String metadata, ChargePointStatus status,
            String statusReason, Instant statusChangedAt, Instant registeredAt, Instant updatedAt,
            Instant lastAuthenticatedAt, Instant deregisteredAt, int tokenVersion) {

        static ChargePointInfo of(ChargePoint cp) {
            return new ChargePointInfo(cp.cpId, cp.location, cp.metadata, cp.status, cp.statusReason, cp.statusChangedAt,
                    cp.registeredAt, cp.updatedAt, cp.lastAuthenticatedAt, cp.deregisteredAt, cp.tokenVersion);
        }
    }

    /** The result of checking a password: whether the charge point is known, the password right, and its status. */
    public record AuthResult(String cpId, boolean known, boolean authenticated, ChargePointStatus status, boolean lockedOut,
            int tokenVersion) {
    }

    /** The result of checking a charge-point token. */
    public record TokenCheck(boolean valid, String reason, ChargePointStatus status) {
    }

    private final ChargePointRepository repository;
    private final StationAuthRepository stationAuth;
    private final EncryptionKeyService keys;
    private final AuditService audit;
    private final AuthThrottle throttle;
    private final Outbox outbox;
    private final Vertx vertx;
    private final TokenService tokens;
    private final PasswordHasher hasher;
    private final SecurityMetrics metrics;

    ChargePointService(ChargePointRepository repository, StationAuthRepository stationAuth, EncryptionKeyService keys,
            AuditService audit, AuthThrottle throttle, Outbox outbox, Vertx vertx, TokenService tokens, SecurityConfig config,
            SecurityMetrics metrics) {
        this.metrics = metrics;
        this.repository = repository;
        this.stationAuth = stationAuth;
        this.keys = keys;
        this.audit = audit;
        this.throttle = throttle;
        this.outbox = outbox;
        this.vertx = vertx;
        this.tokens = tokens;
        this.hasher = new PasswordHasher(config.passwords().iterations());
    }

    public Uni<Credentials> register(Registration registration, Caller caller) {
        boolean generated = registration.authorizationKey() == null;
        String key = generated ? PasswordHasher.newAuthorizationKey() : registration.authorizationKey();
        validate(registration, key);
        return hashOffLoop(key, generated).chain(hash -> Panache.withTransaction(() -> repository.findById(registration.cpId())
                .chain(existing -> {
                    if (existing != null) {
                        return Uni.createFrom().failure(ProblemException.conflict("CHARGE_POINT_EXISTS",
                                registration.cpId() + " is already registered"
                                        + (existing.status == ChargePointStatus.REVOKED ? " and revoked (final)" : "")));
                    }
                    Instant now = Instant.now();
                    ChargePoint cp = new ChargePoint();
                    cp.cpId = registration.cpId();
                    cp.location = registration.location();
                    cp.metadata = registration.metadata();
                    cp.credentialHash = hash;
                    cp.status = ChargePointStatus.ACTIVE;
                    cp.statusChangedAt = now;
                    cp.tokenVersion = 1;
                    cp.registeredAt = now;
                    cp.updatedAt = now;
                    return repository.persist(cp)
                            .call(() -> outbox.append(SecurityEvents.STREAM, SecurityEvents.REGISTERED, cp.cpId,
                                    new SecurityEvents.Registered(cp.cpId, cp.status.name())))
                            .call(() -> audit.record(new Entry(caller, "CP_REGISTER", Outcome.SUCCESS, "INFO", cp.cpId,
                                    null)));
                })).replaceWith(new Credentials(registration.cpId(), key)));
    }

    public Uni<List<ChargePointInfo>> list(ChargePointStatus status, int offset, int limit) {
        return repository.list(status, offset, limit).map(rows -> rows.stream().map(ChargePointInfo::of).toList());
    }

    public Uni<Long> count(ChargePointStatus status) {
        return repository.countWith(status);
    }

    public Uni<ChargePointInfo> get(String cpId) {
        return repository.find(cpId)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("CHARGE_POINT_NOT_FOUND", "No charge point " + cpId))
                .map(ChargePointInfo::of);
    }

    /** A new authorization key; every token issued before is revoked (token version + 1). Refused for REVOKED. */
    public Uni<Credentials> rotateAuthorizationKey(String cpId, String newKey, Caller caller) {
        String key = newKey != null ? newKey : PasswordHasher.newAuthorizationKey();
        if (!AUTHORIZATION_KEY.matcher(key).matches()) {
            throw invalid("authorization_key", "must be 16 to 40 printable ASCII characters");
        }
        return hashOffLoop(key, newKey == null).chain(hash -> Panache.withTransaction(() -> lock(cpId).chain(cp -> {
            if (cp.status == ChargePointStatus.REVOKED) {
                return Uni.createFrom().failure(ProblemException.conflict("CHARGE_POINT_REVOKED",
                        cpId + " is revoked; its credentials cannot be renewed"));
            }
            Instant now = Instant.now();
            cp.credentialHash = hash;
            cp.tokenVersion++;
            cp.credentialsRotatedAt = now;
            cp.updatedAt = now;
            return outbox.append(SecurityEvents.STREAM, SecurityEvents.CREDENTIALS_ROTATED, cpId,
                    new SecurityEvents.CredentialsRotated(cpId))
                    .call(() -> audit.record(new Entry(caller, "CREDENTIALS_ROTATE", Outcome.SUCCESS, "WARN", cpId, null)));
        })).replaceWith(new Credentials(cpId, key)));
    }

    /**
     * Moves a charge point to {@code target}. A no-op is 409 STATUS_UNCHANGED and a forbidden move 409
     * INVALID_STATUS_TRANSITION (never a false success); REVOKED also revokes its keys and tokens.
     */
    public Uni<StatusChange> changeStatus(String cpId, ChargePointStatus target, String reason, Caller caller) {
        return Panache.withTransaction(() -> lock(cpId).chain(cp -> {
            ChargePointStatus previous = cp.status;
            if (previous == target) {
                return Uni.createFrom().failure(ProblemException.conflict("STATUS_UNCHANGED",
                        cpId + " is already " + target));
            }
            if (!previous.canBecome(target)) {
                return Uni.createFrom().failure(ProblemException.conflict("INVALID_STATUS_TRANSITION",
                        cpId + " cannot go from " + previous + " to " + target
                                + (previous == ChargePointStatus.REVOKED ? " (REVOKED is final)" : "")));
            }
            return apply(cp, target, reason, caller).replaceWith(new StatusChange(cpId, target, previous,
                    "Status changed from " + previous + " to " + target));
        })).invoke(this::countRevocation).onFailure(ProblemException.class).call(e -> {
            // A refusal changes nothing, so its audit row is written on its own after the rollback.
            ProblemException p = (ProblemException) e;
            if (p.code().equals("STATUS_UNCHANGED") || p.code().equals("INVALID_STATUS_TRANSITION")) {
                return audit.recordAlone(new Entry(caller, "STATUS_CHANGE",
                        p.code().equals("STATUS_UNCHANGED") ? Outcome.FAILURE : Outcome.DENIED, "WARN", cpId, p.getMessage()));
            }
            return Uni.createFrom().voidItem();
        });
    }

    /** Deregistration: the charge point becomes REVOKED for good, its keys and tokens die with it. */
    public Uni<StatusChange> deregister(String cpId, String reason, Caller caller) {
        return Panache.withTransaction(() -> lock(cpId).chain(cp -> {
            if (cp.deregisteredAt != null) {
                return Uni.createFrom().failure(ProblemException.conflict("ALREADY_DEREGISTERED",
                        cpId + " is already deregistered"));
            }
            ChargePointStatus previous = cp.status;
            cp.deregisteredAt = Instant.now();
            String why = reason == null || reason.isBlank() ? "deregistered" : reason;
            Uni<Void> revoke = previous == ChargePointStatus.REVOKED ? Uni.createFrom().voidItem()
                    : apply(cp, ChargePointStatus.REVOKED, why, caller);
            return revoke
                    .call(() -> outbox.append(SecurityEvents.STREAM, SecurityEvents.DEREGISTERED, cpId,
                            new SecurityEvents.Deregistered(cpId)))
                    .call(() -> audit.record(new Entry(caller, "CP_DEREGISTER", Outcome.SUCCESS, "WARN", cpId, why)))
                    .replaceWith(new StatusChange(cpId, ChargePointStatus.REVOKED, previous, "Charge point deregistered"));
        })).invoke(this::countRevocation);
    }

    /** Counted once the transaction has committed, and only when the charge point was not REVOKED before. */
    private void countRevocation(StatusChange change) {
        if (change.status() == ChargePointStatus.REVOKED && change.previousStatus() != ChargePointStatus.REVOKED) {
            metrics.chargePointRevoked();
        }
    }

    private Uni<Void> apply(ChargePoint cp, ChargePointStatus target, String reason, Caller caller) {
        Instant now = Instant.now();
        ChargePointStatus previous = cp.status;
        cp.status = target;
        cp.statusReason = reason;
        cp.statusChangedAt = now;
        cp.updatedAt = now;
        // Tokens issued before any status change are dead: a restore does not bring old tokens back.
        cp.tokenVersion++;
        Uni<Void> keysGone = Uni.createFrom().voidItem();
        switch (target) {
            case OUT_OF_SERVICE -> cp.outOfServiceAt = now;
            case REVOKED -> {
                cp.revokedAt = now;
                keysGone = keys.revokeAllInTransaction(cp.cpId).replaceWithVoid();
            }
            case ACTIVE -> cp.outOfServiceAt = null;
        }
        return keysGone
                .call(() -> outbox.append(SecurityEvents.STREAM, SecurityEvents.STATUS_CHANGED, cp.cpId,
                        new SecurityEvents.StatusChanged(cp.cpId, target.name(), previous.name(), reason)))
                .call(() -> audit.record(new Entry(caller, "STATUS_CHANGE", Outcome.SUCCESS,
                        target == ChargePointStatus.ACTIVE ? "INFO" : "WARN", cp.cpId,
                        previous + " -> " + target + (reason == null ? "" : ": " + reason))));
    }

    /**
     * Checks a station's password: lock-out first (Redis, per charge point and source address), then the hash (a dummy
     * one for an unknown charge point, so both take as long), then counters and audit. Runs on every first connection
     * of a station, so the success path is kept cheap (issue 9): the lookup and the success writes are plain reactive
     * SQL (one statement each), a generated key's SHA-256 is checked on the calling thread, and the failure counter is
     * only cleared when there is one. {@code authenticated} means the password is right and the charge point is not
     * REVOKED.
     */
    public Uni<AuthResult> authenticate(String cpId, String password, Caller caller, String channel) {
        return throttle.standing(cpId, caller.sourceAddress()).chain(standing -> stationAuth.find(cpId).chain(cp -> {
            boolean known = cp != null;
            ChargePointStatus status = known ? cp.status() : null;
            int tokenVersion = known ? cp.tokenVersion() : 0;
            if (standing.lockedOut()) {
                return audit.recordAlone(new Entry(caller.as("cp:" + cpId), channel, Outcome.DENIED, "CRITICAL", cpId,
                        "LOCKED_OUT BRUTE_FORCE_SUSPECTED"))
                        .replaceWith(new AuthResult(cpId, known, false, status, true, tokenVersion))
                        .invoke(() -> metrics.authFailure("locked_out"));
            }
            return verify(known, password, known ? cp.credentialHash() : null)
                    .chain(matches -> matches
                            ? succeeded(cpId, status, tokenVersion, standing.chargePointFailures(), caller, channel)
                            : failed(cpId, known, status, tokenVersion, caller, channel));
        }));
    }

    /**
     * A generated key's salted SHA-256 costs microseconds: checked on the calling thread. PBKDF2 (an operator's key)
     * goes to a worker thread. An unknown charge point's dummy check runs where a real check of the dummy's kind runs,
     * so the thread hop does not tell unknown ids apart either.
     */
    private Uni<Boolean> verify(boolean known, String password, String hash) {
        boolean cheap = known ? PasswordHasher.isCheap(hash) : hasher.verifyNothingIsCheap();
        Supplier<Boolean> check = () -> known ? hasher.verify(password, hash) : hasher.verifyNothing(password);
        return cheap ? Uni.createFrom().item(check) : vertx.executeBlocking(check::get, false);
    }

    /**
     * The right password. The failure counter is cleared only when {@code standing} saw one (no Redis DEL for
     * nothing); then one autocommitted statement sets last_authenticated_at and writes the AUTH audit row (REVOKED: a
     * DENIED row alone, last_authenticated_at untouched).
     */
    private Uni<AuthResult> succeeded(String cpId, ChargePointStatus status, int tokenVersion, boolean clearFailures,
            Caller caller, String channel) {
        boolean revoked = status == ChargePointStatus.REVOKED;
        return (clearFailures ? throttle.recordSuccess(cpId) : Uni.createFrom().voidItem())
                .chain(() -> {
                    AuditEvent row = AuditService.row(new Entry(caller.as("cp:" + cpId), channel,
                            revoked ? Outcome.DENIED : Outcome.SUCCESS, revoked ? "WARN" : "INFO", cpId,
                            revoked ? "REVOKED" : status == ChargePointStatus.OUT_OF_SERVICE ? "OUT_OF_SERVICE" : null));
                    return revoked ? stationAuth.audit(row) : stationAuth.authenticated(cpId, row);
                })
                .replaceWith(new AuthResult(cpId, true, !revoked, status, false, tokenVersion))
                .invoke(() -> {
                    if (revoked) {
                        metrics.authFailure("revoked");
                    }
                });
    }

    private Uni<AuthResult> failed(String cpId, boolean known, ChargePointStatus status, int tokenVersion, Caller caller,
            String channel) {
        Instant now = Instant.now();
        return throttle.recordFailure(cpId, caller.sourceAddress())
                .call(lockedNow -> Panache.withTransaction(() -> (known
                        ? repository.update("lastAuthFailureAt = ?1 where cpId = ?2", now, cpId)
                        : Uni.createFrom().item(0))
                        .call(() -> audit.record(new Entry(caller.as(known ? "cp:" + cpId : "unknown"), channel,
                                Outcome.FAILURE, lockedNow ? "CRITICAL" : "WARN", cpId,
                                (known ? "INVALID_CREDENTIALS" : "UNKNOWN_CP")
                                        + (lockedNow ? " BRUTE_FORCE_SUSPECTED" : ""))))))
                .map(lockedNow -> new AuthResult(cpId, known, false, status, lockedNow, tokenVersion))
                .invoke(() -> metrics.authFailure(known ? "wrong_key" : "unknown"));
    }

    /**
     * Checks a charge-point token for {@code cpId}: signature and claims, the subject, the charge point's current token
     * version (revocation) and status (only ACTIVE is authorized). Audited either way.
     */
    public Uni<TokenCheck> checkToken(String cpId, String token, Caller caller) {
        return tokens.verifyChargePointToken(token)
                .chain(claims -> repository.find(cpId).map(cp -> judge(cpId, claims, cp)))
                .onFailure(e -> TokenService.refusal(e) != null)
                .recoverWithItem(e -> new TokenCheck(false, TokenService.refusal(e).reason(), null))
                .call(check -> audit.recordAlone(new Entry(caller.as("cp:" + cpId), "TOKEN_VERIFY",
                        check.valid() ? Outcome.SUCCESS : Outcome.FAILURE, check.valid() ? "INFO" : "WARN", cpId,
                        check.reason())));
    }

    private static TokenCheck judge(String cpId, JwtClaims claims, ChargePoint cp) {
        try {
            if (!cpId.equals(claims.getSubject())) {
                return new TokenCheck(false, "TOKEN_CP_MISMATCH", null);
            }
            Object version = claims.getClaimValue("token_version");
            if (cp == null) {
                return new TokenCheck(false, "UNKNOWN_CP", null);
            }
            if (!(version instanceof Number n) || n.intValue() != cp.tokenVersion) {
                return new TokenCheck(false, "TOKEN_VERSION_MISMATCH", cp.status);
            }
            if (cp.status != ChargePointStatus.ACTIVE) {
                return new TokenCheck(false, cp.status.name(), cp.status);
            }
            return new TokenCheck(true, null, cp.status);
        } catch (MalformedClaimException e) {
            return new TokenCheck(false, "INVALID_TOKEN", null);
        }
    }

    public TokenService.IssuedToken issueToken(AuthResult result) {
        return tokens.issueChargePointToken(result.cpId(), result.tokenVersion());
    }

    private Uni<ChargePoint> lock(String cpId) {
        return repository.findForUpdate(cpId)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("CHARGE_POINT_NOT_FOUND", "No charge point " + cpId));
    }

    /** A generated key gets the cheap hash, an operator's choice the slow one (see {@link PasswordHasher}). */
    private Uni<String> hashOffLoop(String key, boolean generated) {
        return generated ? Uni.createFrom().item(hasher.hashGenerated(key))
                : vertx.executeBlocking(() -> hasher.hash(key), false);
    }

    private static void validate(Registration r, String key) {
        if (r.cpId() == null || !CP_ID.matcher(r.cpId()).matches()) {
            throw invalid("cp_id", "must be 3 to 64 characters of A-Z a-z 0-9 . _ -");
        }
        if (r.location() == null || r.location().isBlank() || r.location().length() < 2 || r.location().length() > 256) {
            throw invalid("location", "must be 2 to 256 characters");
        }
        if (r.metadata() != null && r.metadata().length() > 10_000) {
            throw invalid("metadata", "must be at most 10000 characters of JSON");
        }
        if (!AUTHORIZATION_KEY.matcher(key).matches()) {
            throw invalid("authorization_key", "must be 16 to 40 printable ASCII characters");
        }
    }

    static ProblemException invalid(String field, String message) {
        return new ProblemException(400, "VALIDATION_FAILED", "Bad request", field + " " + message,
                List.of(new Problem.FieldError(field, message)));
    }
}
