package kg.evpower.security.service;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import kg.evpower.platform.problem.ProblemException;
import kg.evpower.security.domain.ChargePoint;
import kg.evpower.security.domain.ChargePointStatus;
import kg.evpower.security.domain.EncryptionError;
import kg.evpower.security.domain.EncryptionKey;
import kg.evpower.security.domain.KeyStatus;
import kg.evpower.security.repository.ChargePointRepository;
import kg.evpower.security.repository.EncryptionErrorRepository;
import kg.evpower.security.repository.EncryptionKeyRepository;

/** Read models of the operator views: security status per charge point and encryption errors. */
@ApplicationScoped
public class SecurityStatusService {

    public record CpStatus(String cpId, String securityStatus, String statusReason, boolean isAuthenticated,
            boolean hasEncryptionKey, Integer keyVersion, Instant lastAuthTime, String communicationStatus,
            String encryptionError, String encryptionErrorType, Instant encryptionErrorTimestamp, String displayState) {
    }

    public record Overview(List<CpStatus> cps, long totalCps, long authenticatedCps, long activeCps,
            long encryptionErrorCps) {
    }

    public record ErrorView(String cpId, String errorType, String message, Instant timestamp, boolean isResolved,
            Instant resolvedAt) {
    }

    public record ErrorsOverview(List<ErrorView> activeErrors, int errorCount, List<ErrorView> recentHistory,
            List<String> cpErrors) {
    }

    private final ChargePointRepository chargePoints;
    private final EncryptionKeyRepository keys;
    private final EncryptionErrorRepository errors;

    SecurityStatusService(ChargePointRepository chargePoints, EncryptionKeyRepository keys, EncryptionErrorRepository errors) {
        this.chargePoints = chargePoints;
        this.keys = keys;
        this.errors = errors;
    }

    public Uni<CpStatus> status(String cpId) {
        return chargePoints.find(cpId)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("CHARGE_POINT_NOT_FOUND", "No charge point " + cpId))
                .chain(cp -> keys.listAll(cpId).chain(versions -> errors.openOf(cpId).map(error -> {
                    Integer active = versions.stream().filter(k -> k.status == KeyStatus.ACTIVE)
                            .map(k -> k.keyVersion).findFirst().orElse(null);
                    return view(cp, active, error);
                })));
    }

    public Uni<Overview> overview(int offset, int limit) {
        return chargePoints.list(null, offset, limit).chain(cps -> keys.cpIdsWithActiveKey().chain(withKey -> errors.open()
                .chain(open -> chargePoints.countWith(null).chain(total -> chargePoints.countWith(ChargePointStatus.ACTIVE)
                        .map(active -> {
                            Map<String, EncryptionError> errorByCp = open.stream().collect(Collectors.toMap(e -> e.cpId,
                                    Function.identity(), (a, b) -> a));
                            Set<String> keyed = new HashSet<>(withKey);
                            List<CpStatus> views = cps.stream().map(cp -> view(cp, keyed.contains(cp.cpId) ? 0 : null,
                                    errorByCp.get(cp.cpId))).toList();
                            long authenticated = views.stream().filter(CpStatus::isAuthenticated).count();
                            return new Overview(views, total, authenticated, active, errorByCp.size());
                        })))));
    }

    public Uni<ErrorsOverview> encryptionErrors() {
        return errors.open().chain(open -> errors.recent(20).map(recent -> new ErrorsOverview(
                open.stream().map(SecurityStatusService::errorView).toList(), open.size(),
                recent.stream().map(SecurityStatusService::errorView).toList(),
                open.stream().map(e -> e.cpId).distinct().sorted().toList())));
    }

    private static ErrorView errorView(EncryptionError e) {
        return new ErrorView(e.cpId, e.errorType, e.message, e.occurredAt, e.resolvedAt != null, e.resolvedAt);
    }

    /** {@code keyVersion} null = no active key; 0 = has one, version not looked up (overview). */
    private static CpStatus view(ChargePoint cp, Integer keyVersion, EncryptionError error) {
        String display = error != null ? "ENCRYPTION_ERROR"
                : cp.status == ChargePointStatus.REVOKED ? "REVOKED"
                : cp.status == ChargePointStatus.OUT_OF_SERVICE ? "OUT_OF_SERVICE" : "ON";
        boolean authenticated = cp.status == ChargePointStatus.ACTIVE && cp.lastAuthenticatedAt != null;
        return new CpStatus(cp.cpId, cp.status.name(), cp.statusReason, authenticated, keyVersion != null,
                keyVersion == null || keyVersion == 0 ? null : keyVersion, cp.lastAuthenticatedAt,
                error == null ? "OK" : "ENCRYPTION_ERROR", error == null ? null : error.message,
                error == null ? null : error.errorType, error == null ? null : error.occurredAt, display);
    }

    static boolean usable(EncryptionKey key) {
        return key.status != KeyStatus.REVOKED;
    }
}
