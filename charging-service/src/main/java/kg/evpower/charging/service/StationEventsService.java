package kg.evpower.charging.service;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import kg.evpower.charging.client.GatewayClient;
import kg.evpower.charging.client.GatewayClient.CommandOutcome;
import kg.evpower.charging.config.ChargingConfig;
import kg.evpower.charging.domain.ChargingSession;
import kg.evpower.charging.domain.SessionCost;
import kg.evpower.charging.event.ChargingEvents;
import kg.evpower.charging.repository.ConnectorRepository;
import kg.evpower.charging.repository.SessionRepository;
import kg.evpower.charging.repository.StationRepository;

/**
 * The station side of sessions, applied from gateway events inside the consumer's transaction (so each event's effect
 * happens once): link StartTransaction to the app session, meter values and limits, settlement on StopTransaction, live
 * station and connector status. Limit state lives in the session row, so any replica can apply any event.
 */
@ApplicationScoped
public class StationEventsService {

    private final SessionRepository sessions;
    private final StationRepository stations;
    private final ConnectorRepository connectors;
    private final GatewayClient gateway;
    private final Settlement settlement;
    private final ChargingEvents events;
    private final ChargingConfig config;
    private final RfidSessionService rfid;

    StationEventsService(SessionRepository sessions, StationRepository stations, ConnectorRepository connectors,
            GatewayClient gateway, Settlement settlement, ChargingEvents events, ChargingConfig config,
            RfidSessionService rfid) {
        this.rfid = rfid;
        this.sessions = sessions;
        this.stations = stations;
        this.connectors = connectors;
        this.gateway = gateway;
        this.settlement = settlement;
        this.events = events;
        this.config = config;
    }

    /** gateway.transaction.started: link by the session's id tag, else by an open start on the same connector. */
    public Uni<Void> transactionStarted(JsonNode d) {
        String cp = d.path("chargePointId").asText();
        int connectorId = d.path("connectorId").asInt();
        int transactionId = d.path("transactionId").asInt();
        String idTag = d.path("idTag").asText(null);
        Instant at = instant(d, "timestamp");
        long meterStart = d.path("meterStartWh").asLong(0);
        Uni<ChargingSession> byTag = idTag == null ? Uni.createFrom().nullItem() : sessions.lockByIdTag(idTag);
        return byTag.chain(s -> {
            if (s != null && s.stationId.equals(cp)) {
                return link(s, cp, connectorId, transactionId, meterStart, at);
            }
            // a client's RFID tag: the transaction becomes the client's session (issue 7, "Linking")
            return rfid.owner(idTag).chain(tag -> tag != null
                    ? rfid.start(tag, new RfidSessionService.StartedAt(cp, connectorId, transactionId, idTag,
                            meterStart, at))
                    : sessions.find("stationId = ?1 and connectorId = ?2 and transactionId is null and status in ?3"
                                    + " and origin = 'app'", cp, connectorId,
                                    java.util.List.of(ChargingSession.PENDING, ChargingSession.STARTING))
                            .withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE).firstResult()
                            .chain(open -> {
                                if (open == null) {
                                    Log.infof("Transaction %d on %s/%d: id tag unknown, no session", transactionId,
                                            cp, connectorId);
                                    return Uni.createFrom().voidItem();
                                }
                                return link(open, cp, connectorId, transactionId, meterStart, at);
                            }));
        });
    }

    private Uni<Void> link(ChargingSession s, String cp, int connectorId, int transactionId, long meterStart,
            Instant at) {
        if (s.transactionId != null) {
            return Uni.createFrom().voidItem(); // already linked (redelivery or duplicate)
        }
        if (!ChargingSession.PENDING.equals(s.status) && !ChargingSession.STARTING.equals(s.status)) {
            // the app session was cancelled or failed before the station started: stop the orphan
            Log.warnf("Transaction %d on %s started for closed session %s: stopping it", transactionId, cp, s.id);
            return gateway.remoteStop(cp, transactionId).onFailure().recoverWithNull().replaceWithVoid();
        }
        s.transactionId = transactionId;
        s.connectorId = connectorId;
        s.meterStartWh = meterStart;
        s.meterLastWh = meterStart;
        s.transactionStartedAt = at;
        s.lastEnergyAt = at;
        s.status = ChargingSession.CHARGING;
        s.currentCost = SessionCost.of(s, at, config.pricing().parkingGrace());
        s.updatedAt = Instant.now();
        return events.append(ChargingEvents.STARTED, s, null);
    }

    /** gateway.meter.values: energy, power, SoC, running cost; RemoteStop once a limit's threshold is reached. */
    public Uni<Void> meterValues(JsonNode d) {
        String cp = d.path("chargePointId").asText();
        if (!d.hasNonNull("transactionId")) {
            return Uni.createFrom().voidItem();
        }
        int transactionId = d.path("transactionId").asInt();
        Instant at = instant(d, "timestamp");
        return sessions.lockByTransaction(cp, transactionId).chain(s -> {
            if (s == null || !ChargingSession.CHARGING.equals(s.status) && !ChargingSession.STOPPING.equals(s.status)) {
                return Uni.createFrom().voidItem();
            }
            if (d.hasNonNull("energyRegisterWh")) {
                long register = d.get("energyRegisterWh").asLong();
                long energy = Math.max(0, register - (s.meterStartWh == null ? register : s.meterStartWh));
                if (energy > s.energyWh) {
                    s.lastEnergyAt = at;
                    s.energyWh = energy;
                }
                s.meterLastWh = register;
            }
            if (d.hasNonNull("powerW")) {
                s.powerW = d.get("powerW").asLong();
            }
            if (d.hasNonNull("socPercent")) {
                s.socPercent = d.get("socPercent").asInt();
            }
            s.currentCost = SessionCost.of(s, at, config.pricing().parkingGrace());
            s.updatedAt = Instant.now();
            String reason = ChargingSession.CHARGING.equals(s.status) && !s.limitReached ? limitHit(s) : null;
            Uni<Void> progress = events.append(ChargingEvents.PROGRESS, s, null);
            if (reason == null) {
                return progress;
            }
            return progress.chain(() -> gateway.remoteStop(s.stationId, transactionId)
                    .onFailure().recoverWithItem(f -> {
                        Log.warnf("RemoteStop at the limit of session %s failed (next meter value retries): %s", s.id,
                                f.toString());
                        return new CommandOutcome(599, "GATEWAY_UNAVAILABLE", null);
                    }))
                    .chain(outcome -> {
                        if (!outcome.accepted()) {
                            Log.warnf("RemoteStop at the limit of session %s not accepted (%d %s)", s.id,
                                    outcome.status(), outcome.code());
                            return Uni.createFrom().voidItem();
                        }
                        s.limitReached = true;
                        s.status = ChargingSession.STOPPING;
                        s.stopRequestedAt = Instant.now();
                        s.stopReason = reason;
                        return events.append(ChargingEvents.LIMIT_REACHED, s, reason);
                    });
        });
    }

    /** The reason to stop when the threshold of the session's limit is reached, else null. */
    String limitHit(ChargingSession s) {
        return switch (s.limitType) {
            case "energy" -> s.energyWh * 100 >= s.limitValue * config.limits().energyPercent()
                    ? "EnergyLimitReached" : null;
            case "amount" -> s.currentCost * 100 >= s.limitValue * config.limits().amountPercent()
                    ? "AmountLimitReached" : null;
            default -> s.currentCost * 100 >= s.reservedAmount * config.limits().holdPercent()
                    ? "ReserveLimitReached" : null;
        };
    }

    /** gateway.transaction.stopped: settle once (a settled session ignores it: double stop, late StopTransaction). */
    public Uni<Void> transactionStopped(JsonNode d) {
        String cp = d.path("chargePointId").asText();
        int transactionId = d.path("transactionId").asInt();
        String idTag = d.path("idTag").asText(null);
        Instant at = instant(d, "timestamp");
        return sessions.lockByTransaction(cp, transactionId)
                .chain(s -> s != null || idTag == null ? Uni.createFrom().item(s) : sessions.lockByIdTag(idTag))
                .chain(s -> {
                    if (s == null || !s.stationId.equals(cp) || !s.isOpen()) {
                        return Uni.createFrom().voidItem();
                    }
                    if (s.transactionId == null) {
                        s.transactionId = transactionId;
                        s.meterStartWh = d.hasNonNull("meterStartWh") ? d.get("meterStartWh").asLong() : null;
                        s.transactionStartedAt = s.createdAt;
                    }
                    long energy = d.hasNonNull("energyWh") ? d.get("energyWh").asLong()
                            : d.hasNonNull("meterStopWh") && s.meterStartWh != null
                                    ? d.get("meterStopWh").asLong() - s.meterStartWh : s.energyWh;
                    if (d.hasNonNull("meterStopWh")) {
                        s.meterLastWh = d.get("meterStopWh").asLong();
                    }
                    if (energy > s.energyWh) {
                        s.lastEnergyAt = at;
                    }
                    String reason = d.hasNonNull("reason") ? d.get("reason").asText() : "Local";
                    return settlement.settle(s, energy, at, reason).replaceWithVoid();
                });
    }

    public Uni<Void> connectorStatus(JsonNode d) {
        String cp = d.path("chargePointId").asText();
        int connectorId = d.path("connectorId").asInt();
        String status = d.path("status").asText();
        String error = d.hasNonNull("errorCode") ? d.get("errorCode").asText() : null;
        Instant at = instant(d, "timestamp");
        return connectors.find("stationId = ?1 and connectorNumber = ?2", cp, connectorId).firstResult()
                .invoke(c -> {
                    if (c != null && (c.statusUpdatedAt == null || !at.isBefore(c.statusUpdatedAt))) {
                        c.status = status;
                        c.errorCode = "NoError".equals(error) ? null : error;
                        c.statusUpdatedAt = at;
                    }
                }).replaceWithVoid();
    }

    public Uni<Void> stationPresence(String cp, boolean online, Instant at) {
        return stations.findById(cp).invoke(st -> {
            if (st != null) {
                st.online = online;
                st.lastSeenAt = at;
                st.updatedAt = Instant.now();
            }
        }).replaceWithVoid();
    }

    static Instant instant(JsonNode d, String field) {
        try {
            return d.hasNonNull(field) ? Instant.parse(d.get(field).asText()) : Instant.now();
        } catch (RuntimeException e) {
            return Instant.now();
        }
    }
}
