package kg.evpower.charging.service;

import java.math.BigDecimal;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import kg.evpower.charging.client.GatewayClient;
import kg.evpower.charging.client.GatewayClient.CommandOutcome;
import kg.evpower.charging.client.GatewayClient.StationState;
import kg.evpower.charging.client.PaymentClient;
import kg.evpower.charging.config.ChargingConfig;
import kg.evpower.charging.domain.ChargingSession;
import kg.evpower.charging.domain.Client;
import kg.evpower.charging.domain.Connector;
import kg.evpower.charging.domain.Money;
import kg.evpower.charging.domain.Pricing;
import kg.evpower.charging.domain.Station;
import kg.evpower.charging.event.ChargingEvents;
import kg.evpower.charging.repository.ConnectorRepository;
import kg.evpower.charging.repository.SessionRepository;
import kg.evpower.charging.repository.StationRepository;

/**
 * The charging session use cases: start (A6.2 checks, hold, id tag, RemoteStart), stop, status; the station side
 * (link, meter values, settlement) lives in {@link StationEventsService}.
 */
@ApplicationScoped
public class SessionService {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SessionRepository sessions;
    private final StationRepository stations;
    private final ConnectorRepository connectors;
    private final ClientService clients;
    private final PricingService pricing;
    private final GatewayClient gateway;
    private final PaymentClient payment;
    private final ChargingEvents events;
    private final Settlement settlement;
    private final ChargingConfig config;

    SessionService(SessionRepository sessions, StationRepository stations, ConnectorRepository connectors,
            ClientService clients, PricingService pricing, GatewayClient gateway, PaymentClient payment,
            ChargingEvents events, Settlement settlement, ChargingConfig config) {
        this.sessions = sessions;
        this.stations = stations;
        this.connectors = connectors;
        this.clients = clients;
        this.pricing = pricing;
        this.gateway = gateway;
        this.payment = payment;
        this.events = events;
        this.settlement = settlement;
        this.config = config;
    }

    /** A validated start request: energy limit in Wh and/or amount limit in tyiyn (null when absent). */
    public record StartCommand(String stationId, int connectorId, Long energyWh, Long amountTyiyn) {
    }

    private record Checked(Client client, Station station, Connector connector, Pricing pricing) {
    }

    private record Reserve(String limitType, long limitValue, long amount, long estimate) {
    }

    // ---------------------------------------------------------------- start

    public Uni<Map<String, Object>> start(String clientId, StartCommand cmd) {
        Instant now = Instant.now();
        return clients.ensure(clientId, null, null, null)
                .chain(client -> Panache.withSession(() -> check(client, cmd, now)))
                .chain(checked -> liveStation(cmd).chain(live -> payment.wallet(clientId)
                        .onFailure().transform(f -> unavailable("balance_error", "The balance service is unavailable", f))
                        .chain(wallet -> {
                            Reserve reserve = reserve(cmd, checked.pricing(), wallet.available());
                            return create(checked, cmd, reserve, now).chain(session ->
                                    hold(session, reserve, wallet.available())
                                            .chain(held -> registerAndStart(held, live))
                                            .map(started -> SessionViews.started(started, checked.pricing(),
                                                    reserve.estimate(), wallet.available() - reserve.amount())));
                        })));
    }

    private Uni<Checked> check(Client client, StartCommand cmd, Instant now) {
        if (Client.BLOCKED.equals(client.status)) {
            return fail("account_blocked", "The account is blocked");
        }
        if (Client.PENDING_DELETION.equals(client.status)) {
            return fail("account_deletion_pending", "The account is being deleted");
        }
        if (!Client.ACTIVE.equals(client.status)) {
            return fail("account_blocked", "The account is not active");
        }
        return stations.findById(cmd.stationId()).chain(station -> {
            if (station == null) {
                return fail("station_not_found", "Station " + cmd.stationId() + " not found");
            }
            if (!"active".equals(station.status)) {
                return fail("station_offline", "Station is in " + station.status + " and cannot charge");
            }
            return connectors.find("stationId = ?1 and connectorNumber = ?2", station.id, cmd.connectorId())
                    .firstResult().chain(connector -> {
                        if (connector == null) {
                            return fail("connector_not_found", "Connector " + cmd.connectorId() + " not found");
                        }
                        return sessions.openOfClient(client.id).chain(open -> {
                            if (open != null) {
                                return fail("session_already_active", "You already have an active charging session",
                                        Map.of("session_id", open.id.toString()));
                            }
                            return sessions.openOnConnector(station.id, connector.connectorNumber);
                        }).chain(busy -> {
                            if (busy != null) {
                                return fail("connector_occupied", "The connector is in use");
                            }
                            return pricing.price(client.id, station, connector.connectorType, connector.powerKw, now)
                                    .map(p -> new Checked(client, station, connector, p));
                        });
                    });
        });
    }

    /** The gateway's live view: never connected, offline, connector state. */
    private Uni<StationState> liveStation(StartCommand cmd) {
        return gateway.station(cmd.stationId())
                .onFailure().transform(f -> unavailable("station_unavailable", "The station service is unavailable", f))
                .chain(found -> {
                    if (found.isEmpty()) {
                        return fail("station_never_connected", "The station has never connected");
                    }
                    StationState live = found.get();
                    if (!live.connected()) {
                        long minutes = live.minutesSinceLastMessage(Instant.now());
                        return fail("station_offline", minutes >= 0
                                ? "The station is offline (no contact for " + minutes + " min)"
                                : "The station is offline");
                    }
                    String status = live.connector(cmd.connectorId()).map(GatewayClient.ConnectorState::status)
                            .orElse(null);
                    if (status == null) {
                        return fail("connector_not_found", "The station does not report connector " + cmd.connectorId());
                    }
                    return switch (status) {
                        case "Available", "Preparing" -> Uni.createFrom().item(live);
                        case "Faulted", "Unavailable" -> fail("connector_unavailable",
                                "The connector is " + status.toLowerCase());
                        default -> fail("connector_occupied", "The connector is in use (" + status + ")");
                    };
                });
    }

    /** A6.2 reservation table, on the available balance (balance minus other holds). */
    Reserve reserve(StartCommand cmd, Pricing p, long available) {
        long timeEstimate = p.ratePerMinute() * config.reserve().estimateMinutes();
        if (cmd.energyWh() != null) {
            long full = Money.energyCost(cmd.energyWh(), p.ratePerKwh()) + p.sessionFee() + timeEstimate;
            long amount = cmd.amountTyiyn() != null ? Math.min(full, cmd.amountTyiyn()) : full;
            if (available < amount) {
                throw insufficient(available, amount);
            }
            return new Reserve("energy", cmd.energyWh(), amount, full);
        }
        if (cmd.amountTyiyn() != null) {
            if (cmd.amountTyiyn() > available) {
                throw AppError.refuse("amount_exceeds_balance", "The amount exceeds your balance",
                        Map.of("current_balance", Money.som(available), "requested_amount",
                                Money.som(cmd.amountTyiyn())));
            }
            return new Reserve("amount", cmd.amountTyiyn(), cmd.amountTyiyn(), cmd.amountTyiyn());
        }
        if (available <= 0) {
            throw AppError.refuse("zero_balance", "Your balance is zero; top it up to charge",
                    Map.of("current_balance", Money.som(available)));
        }
        long amount = Math.min(available, config.reserve().unlimited() + p.sessionFee());
        if (amount < config.reserve().minimum()) {
            throw insufficient(available, config.reserve().minimum());
        }
        return new Reserve("none", 0, amount, amount);
    }

    private static AppError insufficient(long available, long required) {
        return AppError.refuse("insufficient_balance", "Insufficient balance",
                Map.of("current_balance", Money.som(available), "required_amount", Money.som(required)));
    }

    private Uni<ChargingSession> create(Checked c, StartCommand cmd, Reserve r, Instant now) {
        ChargingSession s = new ChargingSession();
        s.id = UUID.randomUUID();
        s.clientId = c.client().id;
        s.stationId = c.station().id;
        s.connectorId = cmd.connectorId();
        s.status = ChargingSession.PENDING;
        s.idTag = newIdTag();
        s.limitType = r.limitType();
        s.limitValue = r.limitValue();
        s.reservedAmount = r.amount();
        Pricing p = c.pricing();
        s.ratePerKwh = p.ratePerKwh();
        s.ratePerMinute = p.ratePerMinute();
        s.sessionFee = p.sessionFee();
        s.parkingFeePerMinute = p.parkingFeePerMinute();
        s.tariffPlanId = p.tariffPlanId();
        s.ruleId = p.ruleId();
        s.activeRule = p.activeRule();
        s.createdAt = now;
        s.updatedAt = now;
        return Panache.withTransaction(() -> sessions.persist(s))
                .onFailure(SessionService::uniqueViolation).transform(f -> {
                    String text = String.valueOf(rootMessage(f));
                    return text.contains("one_per_client")
                            ? AppError.refuse("session_already_active", "You already have an active charging session")
                            : AppError.refuse("connector_occupied", "The connector is in use");
                });
    }

    /** An OCPP idTag (≤ 20 chars) used by this session only: "EV" + 18 random hex digits. */
    static String newIdTag() {
        byte[] bytes = new byte[9];
        RANDOM.nextBytes(bytes);
        return "EV" + HexFormat.of().withUpperCase().formatHex(bytes);
    }

    private Uni<ChargingSession> hold(ChargingSession s, Reserve r, long available) {
        return payment.placeHold(s.clientId, s.id.toString(), r.amount())
                .onFailure().recoverWithUni(f -> failStart(s.id, "balance_error", null)
                        .chain(() -> Uni.createFrom().failure(unavailable("balance_error",
                                "The balance service is unavailable", f))))
                .chain(result -> {
                    if (result.insufficient()) {
                        return failStart(s.id, "insufficient_balance", null).chain(() -> Uni.createFrom()
                                .<ChargingSession>failure(insufficient(result.available(), r.amount())));
                    }
                    return Panache.withTransaction(() -> sessions.setHold(s.id, result.holdId())).map(changed -> {
                        s.holdId = result.holdId();
                        return s;
                    });
                });
    }

    private Uni<ChargingSession> registerAndStart(ChargingSession s, StationState live) {
        return gateway.putIdTag(s.idTag, "Accepted", s.clientId)
                .chain(() -> gateway.remoteStart(s.stationId, s.connectorId, s.idTag))
                .onFailure().recoverWithItem(f -> {
                    Log.warnf("Start of session %s failed at the gateway: %s", s.id, f.toString());
                    return new CommandOutcome(599, "GATEWAY_UNAVAILABLE", null);
                })
                .chain(outcome -> {
                    if (outcome.status() == 599) {
                        return refuseStart(s, "station_unavailable", s.holdId,
                                AppError.unavailable("station_unavailable", "The station service is unavailable"));
                    }
                    if (outcome.accepted()) {
                        // the StartTransaction may already have linked it (CHARGING): then it stays as it is
                        return Panache.withTransaction(() -> sessions.markStarting(s.id)).map(changed -> {
                            if (changed == 1) {
                                s.status = ChargingSession.STARTING;
                            }
                            return s;
                        });
                    }
                    String code = startFailure(outcome);
                    return refuseStart(s, code, s.holdId, AppError.refuse(code, startFailureMessage(code)));
                });
    }

    static String startFailure(CommandOutcome outcome) {
        return switch (outcome.status()) {
            case 200 -> "station_rejected";
            case 409 -> "station_offline";
            case 404 -> "station_never_connected";
            case 504 -> "station_timeout";
            case 503 -> "station_busy";
            default -> "station_error";
        };
    }

    static String startFailureMessage(String code) {
        return switch (code) {
            case "station_rejected" -> "The station refused to start charging";
            case "station_offline" -> "The station went offline";
            case "station_never_connected" -> "The station has never connected";
            case "station_timeout" -> "The station did not answer in time";
            case "station_busy" -> "The station is busy; try again shortly";
            default -> "The station reported an error";
        };
    }

    /**
     * Marks a start as failed and releases its hold. Gives false (and changes nothing) when the station's
     * StartTransaction already linked the session: then it is charging and the start stands. Never fails itself.
     */
    Uni<Boolean> failStart(UUID sessionId, String code, String holdId) {
        return Panache.withTransaction(() -> sessions.lock(sessionId).chain(s -> {
                    if (s == null || !ChargingSession.PENDING.equals(s.status)
                            && !ChargingSession.STARTING.equals(s.status)) {
                        return Uni.createFrom().item(false);
                    }
                    s.status = ChargingSession.FAILED;
                    s.failureCode = code;
                    s.stoppedAt = Instant.now();
                    s.updatedAt = s.stoppedAt;
                    s.finalCost = 0L;
                    if (s.holdId == null && !"balance_error".equals(code)) {
                        s.released = 0L; // no hold exists; after a failed hold call the job makes sure
                    }
                    return events.append(ChargingEvents.FAILED, s, code).replaceWith(true);
                }))
                .call(failed -> failed && holdId != null ? settlement.releaseFailed(sessionId, holdId)
                        : Uni.createFrom().voidItem())
                .onFailure().invoke(f -> Log.errorf(f, "Could not mark session %s failed", sessionId))
                .onFailure().recoverWithItem(true);
    }

    /** Refuses the start with {@code error}, unless the session turned out to be charging already. */
    private Uni<ChargingSession> refuseStart(ChargingSession s, String code, String holdId, AppError error) {
        return failStart(s.id, code, holdId).chain(failed -> failed ? Uni.createFrom().failure(error)
                : Panache.withSession(() -> sessions.findById(s.id)));
    }

    // ---------------------------------------------------------------- stop

    public Uni<Map<String, Object>> stop(String clientId, UUID sessionId) {
        return Panache.withTransaction(() -> sessions.lock(sessionId).chain(s -> {
            if (s == null || ChargingSession.FAILED.equals(s.status)) {
                return fail("session_not_found", "No active session with this id");
            }
            if (!s.clientId.equals(clientId)) {
                return fail("access_denied", "The session belongs to another client");
            }
            if (ChargingSession.STOPPED.equals(s.status)) {
                return Uni.createFrom().item(new StopOutcome(s, true, "The session is already stopped"));
            }
            if (s.transactionId == null) {
                // the station never started a transaction: cancel, nothing to bill
                return settlement.settle(s, s.energyWh, Instant.now(), "cancelled_by_client")
                        .replaceWith(new StopOutcome(s, true, "Charging cancelled before it started"));
            }
            return gateway.remoteStop(s.stationId, s.transactionId)
                    .onFailure().recoverWithItem(new CommandOutcome(599, "GATEWAY_UNAVAILABLE", null))
                    .chain(outcome -> onStopOutcome(s, outcome, "stopped_by_client"));
        })).chain(outcome -> payment.wallet(clientId).map(PaymentClient.Wallet::available)
                .onFailure().recoverWithNull()
                .map(balance -> SessionViews.stop(outcome.session(), balance, outcome.stationOnline(),
                        outcome.message())));
    }

    record StopOutcome(ChargingSession session, boolean stationOnline, String message) {
    }

    /**
     * After a RemoteStop: accepted → STOPPING (the StopTransaction settles); station offline or refusing (it has no such
     * transaction any more) → settled now from the last meter reading; no answer → STOPPING, the jobs finish it.
     */
    Uni<StopOutcome> onStopOutcome(ChargingSession s, CommandOutcome outcome, String reason) {
        Instant now = Instant.now();
        if (outcome.accepted() || outcome.status() >= 500) {
            if (!ChargingSession.STOPPING.equals(s.status)) {
                s.status = ChargingSession.STOPPING;
                s.stopRequestedAt = now;
                s.stopReason = reason;
                s.updatedAt = now;
            }
            return Uni.createFrom().item(new StopOutcome(s, outcome.accepted(), outcome.accepted()
                    ? "Charging is stopping; the final cost follows the station's confirmation"
                    : "Stop requested; the station has not confirmed yet"));
        }
        boolean online = outcome.status() != 409;
        return settlement.settle(s, s.energyWh, now, online ? reason : reason + "_station_offline")
                .replaceWith(new StopOutcome(s, online, "Charging stopped"));
    }

    // ---------------------------------------------------------------- status

    public Uni<Map<String, Object>> status(String clientId, UUID sessionId) {
        return Panache.withSession(() -> sessions.findById(sessionId).chain(s -> {
            if (s == null) {
                return Uni.createFrom().failure(new AppError(404, "session_not_found", "Session not found", null));
            }
            if (!s.clientId.equals(clientId)) {
                return Uni.createFrom().failure(new AppError(403, "access_denied",
                        "The session belongs to another client", null));
            }
            return stations.findById(s.stationId).map(st -> SessionViews.status(s, st != null && st.online,
                    Instant.now(), config.pricing().parkingGrace()));
        }));
    }

    // ---------------------------------------------------------------- helpers

    static <T> Uni<T> fail(String code, String message) {
        return Uni.createFrom().failure(AppError.refuse(code, message));
    }

    static <T> Uni<T> fail(String code, String message, Map<String, Object> extra) {
        return Uni.createFrom().failure(AppError.refuse(code, message, extra));
    }

    static Throwable unavailable(String code, String message, Throwable cause) {
        if (cause instanceof AppError) {
            return cause;
        }
        Log.warnf("%s: %s", message, cause.toString());
        return AppError.unavailable(code, message);
    }

    static boolean uniqueViolation(Throwable f) {
        String m = String.valueOf(rootMessage(f));
        return m.contains("duplicate key") || m.contains("23505");
    }

    static String rootMessage(Throwable f) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = f; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append(' ');
            if (t.getCause() == t) {
                break;
            }
        }
        return all.toString();
    }

    static BigDecimal som(long tyiyn) {
        return Money.som(tyiyn);
    }
}
