package kg.evpower.charging.service;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import kg.evpower.charging.client.GatewayClient;
import kg.evpower.charging.client.PaymentClient;
import kg.evpower.charging.config.ChargingConfig;
import kg.evpower.charging.domain.ChargingSession;
import kg.evpower.charging.domain.Client;
import kg.evpower.charging.domain.ClientIdTag;
import kg.evpower.charging.domain.Pricing;
import kg.evpower.charging.domain.SessionCost;
import kg.evpower.charging.domain.Station;
import kg.evpower.charging.event.ChargingEvents;
import kg.evpower.charging.repository.ClientRepository;
import kg.evpower.charging.repository.ConnectorRepository;
import kg.evpower.charging.repository.IdTagRepository;
import kg.evpower.charging.repository.SessionRepository;
import kg.evpower.charging.repository.StationRepository;

/**
 * Sessions started at the station with a client's RFID tag (issue 7, "Linking"), and the admin assignment of tags. Runs
 * inside the gateway event's transaction. The session id is derived from station and transaction, so the hold's
 * idempotency key ({@code hold:<sessionId>}) is the same when the event is redelivered after a rollback: money moves once.
 * A client who may not charge (blocked, an open session elsewhere, no balance for the minimum hold) gets no session and
 * the transaction is stopped; an unknown tag gets no session and a log line.
 */
@ApplicationScoped
public class RfidSessionService {

    /** App sessions' own tags ("EV" + 18 hex): never assignable to a card. */
    static final java.util.regex.Pattern APP_TAG = java.util.regex.Pattern.compile("^EV[0-9A-F]{18}$");
    static final java.util.regex.Pattern ID_TAG = java.util.regex.Pattern.compile("^[A-Za-z0-9._-]{1,20}$");

    public record StartedAt(String stationId, int connectorId, int transactionId, String idTag, long meterStartWh,
            Instant at) {
    }

    private final IdTagRepository idTags;
    private final ClientRepository clients;
    private final SessionRepository sessions;
    private final StationRepository stations;
    private final ConnectorRepository connectors;
    private final PricingService pricing;
    private final PaymentClient payment;
    private final GatewayClient gateway;
    private final ChargingEvents events;
    private final ClientService clientService;
    private final ChargingConfig config;

    RfidSessionService(IdTagRepository idTags, ClientRepository clients, SessionRepository sessions,
            StationRepository stations, ConnectorRepository connectors, PricingService pricing, PaymentClient payment,
            GatewayClient gateway, ChargingEvents events, ClientService clientService, ChargingConfig config) {
        this.idTags = idTags;
        this.clients = clients;
        this.sessions = sessions;
        this.stations = stations;
        this.connectors = connectors;
        this.pricing = pricing;
        this.payment = payment;
        this.gateway = gateway;
        this.events = events;
        this.clientService = clientService;
        this.config = config;
    }

    /** The client owning {@code idTag}, or null. */
    public Uni<ClientIdTag> owner(String idTag) {
        return idTag == null ? Uni.createFrom().nullItem() : idTags.findById(idTag);
    }

    static UUID sessionId(String stationId, int transactionId) {
        return UUID.nameUUIDFromBytes(("rfid:" + stationId + ":" + transactionId).getBytes(StandardCharsets.UTF_8));
    }

    /** gateway.transaction.started with a registered tag: the client's session, held and charging. */
    public Uni<Void> start(ClientIdTag tag, StartedAt t) {
        UUID id = sessionId(t.stationId(), t.transactionId());
        return sessions.findById(id).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().voidItem(); // redelivered event
            }
            return clients.findById(tag.clientId).chain(client -> {
                if (client == null || !Client.ACTIVE.equals(client.status)) {
                    return refuse(t, "client " + tag.clientId + " may not charge");
                }
                return sessions.openOfClient(client.id).chain(open -> open != null
                        ? refuse(t, "client " + client.id + " already has open session " + open.id)
                        : sessions.openOnConnector(t.stationId(), t.connectorId()).chain(busy -> busy != null
                                ? refuse(t, "connector has open session " + busy.id)
                                : stations.findById(t.stationId()).chain(st -> st == null
                                        ? refuse(t, "station is not in the catalogue")
                                        : priced(client, st, t, id))));
            });
        });
    }

    private Uni<Void> priced(Client client, Station st, StartedAt t, UUID id) {
        return connectors.find("stationId = ?1 and connectorNumber = ?2", st.id, t.connectorId()).firstResult()
                .chain(c -> pricing.price(client.id, st, c == null ? "Type2" : c.connectorType,
                        c == null ? 22 : c.powerKw, t.at()))
                .chain(p -> payment.wallet(client.id).chain(wallet -> {
                    long amount = Math.min(wallet.available(), config.reserve().unlimited() + p.sessionFee());
                    if (amount < config.reserve().minimum()) {
                        return refuse(t, "client " + client.id + " has too little balance for the minimum hold");
                    }
                    return payment.placeHold(client.id, id.toString(), amount).chain(hold -> hold.insufficient()
                            ? refuse(t, "client " + client.id + " has too little balance for the hold")
                            : create(client, t, id, p, hold.holdId(), amount));
                }));
    }

    private Uni<Void> create(Client client, StartedAt t, UUID id, Pricing p, String holdId, long amount) {
        ChargingSession s = new ChargingSession();
        s.id = id;
        s.origin = ChargingSession.ORIGIN_RFID;
        s.clientId = client.id;
        s.stationId = t.stationId();
        s.connectorId = t.connectorId();
        s.idTag = t.idTag();
        s.transactionId = t.transactionId();
        s.status = ChargingSession.CHARGING;
        s.limitType = "none";
        s.limitValue = 0;
        s.holdId = holdId;
        s.reservedAmount = amount;
        s.ratePerKwh = p.ratePerKwh();
        s.ratePerMinute = p.ratePerMinute();
        s.sessionFee = p.sessionFee();
        s.parkingFeePerMinute = p.parkingFeePerMinute();
        s.tariffPlanId = p.tariffPlanId();
        s.ruleId = p.ruleId();
        s.activeRule = p.activeRule();
        s.meterStartWh = t.meterStartWh();
        s.meterLastWh = t.meterStartWh();
        s.transactionStartedAt = t.at();
        s.lastEnergyAt = t.at();
        s.createdAt = t.at();
        s.updatedAt = Instant.now();
        s.currentCost = SessionCost.of(s, t.at(), config.pricing().parkingGrace());
        Log.infof("RFID session %s of client %s on %s/%d (transaction %d)", s.id, s.clientId, s.stationId,
                s.connectorId, s.transactionId);
        return sessions.persist(s).chain(() -> events.append(ChargingEvents.STARTED, s, "rfid"));
    }

    private Uni<Void> refuse(StartedAt t, String why) {
        Log.warnf("Transaction %d on %s/%d with a client's RFID tag gets no session (%s): stopping it",
                t.transactionId(), t.stationId(), t.connectorId(), why);
        return gateway.remoteStop(t.stationId(), t.transactionId()).onFailure().recoverWithNull().replaceWithVoid();
    }

    // ---------------------------------------------------------------- admin

    /**
     * Assigns {@code idTag} to {@code clientId}: refused when another client owns it; registered with the gateway
     * (Accepted, with the client id) before it is stored, so a gateway failure stores nothing.
     */
    public Uni<Map<String, Object>> assign(String idTag, String clientId) {
        if (idTag == null || !ID_TAG.matcher(idTag).matches()) {
            return Uni.createFrom().failure(new AppError(422, "invalid_parameters",
                    "id tag: 1-20 characters A-Z, a-z, 0-9, '.', '_' or '-'", null));
        }
        if (APP_TAG.matcher(idTag).matches()) {
            return Uni.createFrom().failure(new AppError(422, "invalid_parameters",
                    "id tag: EV + 18 hex digits is reserved for app sessions", null));
        }
        if (clientId == null || clientId.isBlank() || clientId.length() > 100) {
            return Uni.createFrom().failure(new AppError(422, "invalid_parameters", "client_id: 1-100 characters",
                    null));
        }
        return io.quarkus.hibernate.reactive.panache.Panache.withSession(() -> idTags.findById(idTag))
                .chain(existing -> {
                    if (existing != null && !existing.clientId.equals(clientId)) {
                        return Uni.createFrom().failure(new AppError(409, "id_tag_taken",
                                "The id tag belongs to another client", null));
                    }
                    return clientService.ensure(clientId, null, null, null)
                            .chain(() -> gateway.putIdTag(idTag, "Accepted", clientId)
                                    .onFailure().transform(f -> {
                                        Log.warnf("Id tag not registered with the gateway: %s", f.toString());
                                        return AppError.unavailable("station_unavailable",
                                                "The station service is unavailable; the tag was not assigned");
                                    }))
                            .chain(() -> io.quarkus.hibernate.reactive.panache.Panache.withTransaction(
                                    () -> io.quarkus.hibernate.reactive.panache.Panache.getSession().chain(session -> session.createNativeQuery("""
                                            INSERT INTO client_id_tag (id_tag, client_id) VALUES (?1, ?2)
                                            ON CONFLICT (id_tag) DO UPDATE SET updated_at = now()
                                            WHERE client_id_tag.client_id = EXCLUDED.client_id""")
                                            .setParameter(1, idTag).setParameter(2, clientId).executeUpdate())))
                            .map(rows -> {
                                if (rows == 0) {
                                    throw new AppError(409, "id_tag_taken", "The id tag belongs to another client",
                                            null);
                                }
                                return Map.<String, Object>of("success", true, "id_tag", idTag, "client_id",
                                        clientId);
                            });
                });
    }
}
