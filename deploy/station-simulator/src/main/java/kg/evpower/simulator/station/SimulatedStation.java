package kg.evpower.simulator.station;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import kg.evpower.simulator.Scenario;
import kg.evpower.simulator.SimulatorOptions;
import kg.evpower.simulator.ocpp.CallErrorCode;
import kg.evpower.simulator.ocpp.FrameCodec;
import kg.evpower.simulator.ocpp.OcppCallException;
import kg.evpower.simulator.ocpp.OcppFrame;
import kg.evpower.simulator.runtime.MessageLog;
import kg.evpower.simulator.runtime.SerialExecutor;
import kg.evpower.simulator.runtime.SimulatorRuntime;
import kg.evpower.simulator.runtime.WebSocketLink;

/**
 * One simulated OCPP 1.6J charge point. All of its state is touched only on its {@link SerialExecutor}, so it is an
 * actor: WebSocket events and timers are posted to it, never run on it directly.
 */
public final class SimulatedStation implements WebSocketLink.Events {
    public static final String SUBPROTOCOL = "ocpp1.6";
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);
    private static final Duration DEFAULT_BOOT_RETRY = Duration.ofSeconds(30);
    private static final int MAX_QUEUED = 10_000;

    enum Registration { OFFLINE, BOOTING, PENDING, ACCEPTED, REJECTED }

    final String id;
    private final URI endpoint;
    final SimulatorOptions options;
    final SimulatorRuntime runtime;
    final SerialExecutor actor;
    final StationMetrics metrics;
    final MessageLog log;
    final StationConfiguration configuration;
    final ChargingProfiles profiles = new ChargingProfiles();
    final LocalAuthList localList = new LocalAuthList();
    final Connector[] connectors;
    private final CommandHandler commands;
    private final String password;
    private final boolean reconnect;

    private final Deque<OutgoingCall> outbox = new ArrayDeque<>();
    private OutgoingCall inFlight;
    private ScheduledFuture<?> inFlightTimeout;
    private boolean outboxPaused;
    private WebSocketLink link;
    Registration registration = Registration.OFFLINE;
    private boolean everAccepted;
    private ScheduledFuture<?> heartbeatTask;
    private ScheduledFuture<?> bootRetryTask;
    private ScheduledFuture<?> scenarioTask;
    private int reconnectAttempts;
    private long messageCounter;
    private boolean stopped;
    private boolean rebootPending;
    private Duration meterInterval;
    String firmwareVersion;
    String diagnosticsStatus = "Idle";
    String firmwareStatus = "Idle";
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();

    /** {@code endpoint} is the central system URL this station uses (one of {@link SimulatorOptions#urls()}). */
    public SimulatedStation(String id, URI endpoint, SimulatorOptions options, SimulatorRuntime runtime,
                            StationMetrics metrics, MessageLog log, boolean reconnect) {
        this.id = id;
        this.endpoint = endpoint;
        this.options = options;
        this.runtime = runtime;
        this.metrics = metrics;
        this.log = log;
        this.reconnect = reconnect;
        this.password = options.passwordFor(id);
        this.actor = new SerialExecutor(runtime.workers(), error -> log.warn(id, "internal error: " + error));
        this.meterInterval = options.meterInterval();
        this.firmwareVersion = options.firmwareVersion();
        int heartbeatSeconds = options.heartbeatOverride() == null ? 300 : (int) Math.max(1, options.heartbeatOverride().toSeconds());
        this.configuration = new StationConfiguration(options.connectors(), heartbeatSeconds,
                (int) Math.max(1, Math.round(options.meterInterval().toMillis() / 1000.0)));
        this.connectors = new Connector[options.connectors() + 1];
        for (int i = 0; i <= options.connectors(); i++) {
            connectors[i] = new Connector(i, i == 0 ? 0 : 1000L * ThreadLocalRandom.current().nextInt(100, 5000));
        }
        this.commands = new CommandHandler(this);
    }

    public String id() {
        return id;
    }

    public URI endpoint() {
        return endpoint;
    }

    public void start() {
        actor.execute(this::connect);
    }

    /** Stops timers and closes the socket with 1001 (going away); completes when the connection is gone. */
    public CompletableFuture<Void> stop() {
        actor.execute(() -> {
            stopped = true;
            cancel(heartbeatTask);
            cancel(bootRetryTask);
            cancel(scenarioTask);
            cancel(inFlightTimeout);
            for (Connector c : connectors) {
                if (c.transaction != null) {
                    cancel(c.transaction.meterTask);
                }
                if (c.reservation != null) {
                    cancel(c.reservation.expiryTask());
                }
            }
            if (link != null) {
                link.close(1001, "going away", CLOSE_GRACE);
            } else {
                terminated.complete(null);
            }
        });
        return terminated;
    }

    public CompletableFuture<Void> terminated() {
        return terminated;
    }

    // ---------------------------------------------------------------- connection

    private URI stationUri() {
        String base = endpoint.toString();
        String segment = java.net.URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
        return URI.create(base.endsWith("/") ? base + segment : base + "/" + segment);
    }

    private String authorization() {
        if (password == null) {
            return null;
        }
        String token = id + ":" + password;
        return "Basic " + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8));
    }

    private void connect() {
        if (stopped) {
            terminated.complete(null);
            return;
        }
        metrics.connectAttempt();
        URI uri = stationUri();
        WebSocketLink.connect(runtime.httpClient(), uri, SUBPROTOCOL, authorization(), Duration.ofSeconds(10), this)
                .whenComplete((opened, error) -> actor.execute(() -> {
                    if (error != null) {
                        connectFailed(uri, error);
                    } else {
                        connected(opened);
                    }
                }));
    }

    private void connected(WebSocketLink opened) {
        if (link == opened) {
            return;
        }
        if (stopped) {
            opened.close(1001, "going away", CLOSE_GRACE);
            return;
        }
        metrics.connected();
        if (!opened.isOpen()) {
            // Closed by the server before this task ran; its close event was ignored as it came from no known link.
            metrics.disconnected(1006);
            log.info(id, "connection closed right after the handshake");
            afterConnectionLoss();
            return;
        }
        link = opened;
        reconnectAttempts = 0;
        if (!SUBPROTOCOL.equals(opened.subprotocol())) {
            metrics.protocolViolation("subprotocolNotNegotiated");
            log.warn(id, "server did not select subprotocol " + SUBPROTOCOL + " (got '" + opened.subprotocol() + "')");
        }
        log.info(id, "connected to " + stationUri());
        registration = Registration.BOOTING;
        sendBoot();
    }

    private void connectFailed(URI uri, Throwable error) {
        String reason = describe(error);
        metrics.connectFailed(reason);
        log.warn(id, "cannot connect to " + uri + ": " + reason);
        afterConnectionLoss();
    }

    static String describe(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof java.util.concurrent.ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof WebSocketHandshakeException handshake) {
            return "handshake HTTP " + handshake.getResponse().statusCode();
        }
        if (cause instanceof HttpTimeoutException) {
            return "timeout";
        }
        if (cause instanceof ConnectException) {
            return "connection refused";
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof ConnectException) {
            return "connection refused";
        }
        return cause.getClass().getSimpleName();
    }

    @Override
    public void onText(WebSocketLink from, String text) {
        actor.execute(() -> {
            if (from != link) {
                if (link == null && from.isOpen()) {
                    connected(from);
                } else {
                    return;
                }
            }
            receive(text);
        });
    }

    @Override
    public void onClosed(WebSocketLink from, int code, String reason) {
        actor.execute(() -> {
            if (from != link) {
                return;
            }
            link = null;
            metrics.disconnected(code);
            log.info(id, "disconnected (" + code + (reason == null || reason.isEmpty() ? "" : " " + reason) + ")");
            cancel(heartbeatTask);
            cancel(bootRetryTask);
            cancel(inFlightTimeout);
            registration = Registration.OFFLINE;
            if (inFlight != null) {
                OutgoingCall call = inFlight;
                inFlight = null;
                if (call.transactional) {
                    outbox.addFirst(call);
                } else {
                    call.onFailure.accept("disconnected");
                }
            }
            for (Iterator<OutgoingCall> it = outbox.iterator(); it.hasNext(); ) {
                OutgoingCall call = it.next();
                if (!call.transactional) {
                    it.remove();
                    call.onFailure.accept("disconnected");
                }
            }
            afterConnectionLoss();
        });
    }

    private void afterConnectionLoss() {
        if (stopped) {
            terminated.complete(null);
        } else if (rebootPending) {
            rebootPending = false;
            log.info(id, "rebooting");
            runtime.schedule(actor, this::connect, options.stepDelay());
        } else if (reconnect) {
            long base = options.backoffMin().toMillis() << Math.min(reconnectAttempts, 20);
            long capped = Math.min(base, options.backoffMax().toMillis());
            long delay = capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
            reconnectAttempts++;
            log.info(id, "reconnecting in " + delay + " ms");
            runtime.schedule(actor, this::connect, Duration.ofMillis(delay));
        } else {
            terminated.complete(null);
        }
    }

    /** Reset and firmware install: close the socket, reconnect after the step delay and boot again. */
    void reboot() {
        if (stopped) {
            return;
        }
        rebootPending = true;
        for (Connector c : connectors) {
            if (c.reservation != null) {
                cancel(c.reservation.expiryTask());
                c.reservation = null;
            }
            if (c.id > 0) {
                c.status = c.operative ? "Available" : "Unavailable";
            }
        }
        if (link != null) {
            link.close(1000, "reboot", CLOSE_GRACE);
        } else {
            rebootPending = false;
            runtime.schedule(actor, this::connect, options.stepDelay());
        }
    }

    // ---------------------------------------------------------------- frames in

    private void receive(String text) {
        log.frameIn(id, text);
        OcppFrame frame;
        try {
            frame = FrameCodec.parse(text);
        } catch (FrameCodec.MalformedFrameException e) {
            metrics.protocolViolation("malformedFrame");
            log.warn(id, "malformed frame (" + e.getMessage() + "): " + abbreviate(text));
            if (e.messageId() != null && text.startsWith("[2")) {
                send(FrameCodec.error(e.messageId(), CallErrorCode.FormationViolation, e.getMessage()));
            }
            return;
        }
        switch (frame) {
            case OcppFrame.Call call -> handleCall(call);
            case OcppFrame.CallResult result -> handleResult(result);
            case OcppFrame.CallError error -> handleError(error);
        }
    }

    private void handleCall(OcppFrame.Call call) {
        metrics.commandReceived(call.action());
        if (registration == Registration.REJECTED) {
            // OCPP 1.6 §4.2.1: while rejected the charge point does not answer central system messages.
            log.warn(id, "ignoring " + call.action() + " while the boot is rejected");
            return;
        }
        CommandHandler.Reply reply;
        try {
            reply = commands.handle(call.action(), call.payload());
        } catch (OcppCallException e) {
            send(FrameCodec.error(call.messageId(), e.code(), e.getMessage()));
            return;
        } catch (RuntimeException e) {
            log.warn(id, call.action() + " failed: " + e);
            send(FrameCodec.error(call.messageId(), CallErrorCode.InternalError, "internal error"));
            return;
        }
        send(new OcppFrame.CallResult(call.messageId(), reply.payload()));
        if (reply.after() != null) {
            reply.after().run();
        }
    }

    private void handleResult(OcppFrame.CallResult result) {
        OutgoingCall call = answered(result.messageId());
        if (call == null) {
            return;
        }
        metrics.callAnswered(call.action, System.nanoTime() - call.sentNanos);
        String missing = ResultCheck.missingField(call.action, result.payload());
        if (missing != null) {
            metrics.protocolViolation("invalidResult");
            log.warn(id, call.action + " answer lacks " + missing);
        }
        try {
            call.onResult.accept(result.payload());
        } catch (RuntimeException e) {
            log.warn(id, "cannot use the " + call.action + " answer: " + e);
        }
        pump();
    }

    private void handleError(OcppFrame.CallError error) {
        OutgoingCall call = answered(error.messageId());
        if (call == null) {
            return;
        }
        metrics.callError(call.action, error.errorCode(), System.nanoTime() - call.sentNanos);
        log.warn(id, call.action + " answered with CALLERROR " + error.errorCode() + " " + error.description());
        failed(call, "CALLERROR " + error.errorCode());
    }

    private OutgoingCall answered(String messageId) {
        if (inFlight == null || !inFlight.messageId.equals(messageId)) {
            metrics.protocolViolation("unknownMessageId");
            log.warn(id, "answer to unknown message id " + messageId);
            return null;
        }
        OutgoingCall call = inFlight;
        inFlight = null;
        cancel(inFlightTimeout);
        return call;
    }

    private void timedOut(OutgoingCall call) {
        if (inFlight != call) {
            return;
        }
        inFlight = null;
        metrics.callTimedOut(call.action);
        log.warn(id, call.action + " not answered within " + options.callTimeout().toMillis() + " ms");
        failed(call, "timeout");
    }

    /** CALLERROR or timeout: transaction messages are retried (TransactionMessageAttempts), others given up. */
    private void failed(OutgoingCall call, String reason) {
        if (call.transactional && call.attempts < configuration.intValue("TransactionMessageAttempts")) {
            outbox.addFirst(call);
            outboxPaused = true;
            Duration retry = Duration.ofSeconds((long) configuration.intValue("TransactionMessageRetryInterval") * call.attempts);
            runtime.schedule(actor, () -> {
                outboxPaused = false;
                pump();
            }, retry);
            return;
        }
        call.onFailure.accept(reason);
        pump();
    }

    // ---------------------------------------------------------------- frames out

    private void send(OcppFrame frame) {
        if (link == null) {
            return;
        }
        String text = FrameCodec.write(frame);
        log.frameOut(id, text);
        link.send(text);
    }

    void enqueue(OutgoingCall call) {
        boolean sendable = call.transactional || call.allowedBeforeAccepted || registration == Registration.ACCEPTED;
        if (stopped || !sendable) {
            call.onFailure.accept("offline");
            return;
        }
        if (outbox.size() >= MAX_QUEUED) {
            // A long outage: give up the oldest periodic sample rather than grow without bound.
            for (Iterator<OutgoingCall> it = outbox.iterator(); it.hasNext(); ) {
                if ("MeterValues".equals(it.next().action)) {
                    it.remove();
                    log.warn(id, "offline queue full, dropped the oldest MeterValues");
                    break;
                }
            }
        }
        outbox.addLast(call);
        pump();
    }

    private void pump() {
        while (inFlight == null && !outboxPaused && link != null && link.isOpen()) {
            OutgoingCall next = null;
            if (registration == Registration.ACCEPTED) {
                next = outbox.pollFirst();
            } else {
                for (Iterator<OutgoingCall> it = outbox.iterator(); it.hasNext(); ) {
                    OutgoingCall candidate = it.next();
                    if (candidate.allowedBeforeAccepted) {
                        it.remove();
                        next = candidate;
                        break;
                    }
                }
            }
            if (next == null) {
                return;
            }
            ObjectNode payload = next.payload.get();
            if (payload == null) {
                next.onFailure.accept("nothing to send");
                continue;
            }
            next.attempts++;
            next.messageId = Long.toString(++messageCounter);
            next.sentNanos = System.nanoTime();
            inFlight = next;
            OutgoingCall sent = next;
            inFlightTimeout = runtime.schedule(actor, () -> timedOut(sent), options.callTimeout());
            metrics.callSent(next.action);
            send(new OcppFrame.Call(next.messageId, next.action, payload));
        }
    }

    // ---------------------------------------------------------------- boot and heartbeat

    void sendBoot() {
        if (inFlight != null && "BootNotification".equals(inFlight.action)
                || outbox.stream().anyMatch(c -> "BootNotification".equals(c.action))) {
            return;
        }
        cancel(bootRetryTask);
        OcppCallPayload boot = OcppCallPayload.of()
                .put("chargePointVendor", options.vendor())
                .put("chargePointModel", options.model())
                .put("chargePointSerialNumber", truncate("SN-" + id, 25))
                .put("chargeBoxSerialNumber", truncate("CB-" + id, 25))
                .put("firmwareVersion", firmwareVersion)
                .put("meterType", "SimMeter")
                .put("meterSerialNumber", truncate("M-" + id, 25));
        ObjectNode payload = boot.node();
        OutgoingCall call = new OutgoingCall("BootNotification", () -> payload, false, true)
                .onResult(this::bootAnswered)
                .onFailure(reason -> {
                    if (link != null && !stopped) {
                        scheduleBootRetry(DEFAULT_BOOT_RETRY);
                    }
                });
        outbox.addFirst(call);
        pump();
    }

    private void bootAnswered(JsonNode result) {
        String status = result.path("status").asText("");
        int interval = result.path("interval").asInt(0);
        switch (status) {
            case "Accepted" -> {
                boolean wasAccepted = registration == Registration.ACCEPTED;
                registration = Registration.ACCEPTED;
                log.info(id, "boot accepted, heartbeat interval " + interval + " s");
                if (options.heartbeatOverride() == null && interval > 0) {
                    configuration.setInternal("HeartbeatInterval", Integer.toString(interval));
                }
                scheduleHeartbeat();
                if (!wasAccepted) {
                    for (int i = connectors.length - 1; i >= 0; i--) {
                        outbox.addFirst(statusCall(connectors[i]));
                    }
                }
                if (!everAccepted) {
                    everAccepted = true;
                    startScenario();
                }
            }
            case "Pending", "Rejected" -> {
                registration = status.equals("Pending") ? Registration.PENDING : Registration.REJECTED;
                Duration retry = interval > 0 ? Duration.ofSeconds(interval) : DEFAULT_BOOT_RETRY;
                log.info(id, "boot " + status.toLowerCase(Locale.ROOT) + ", retrying in " + retry.toSeconds() + " s");
                scheduleBootRetry(retry);
            }
            default -> {
                metrics.protocolViolation("invalidResult");
                scheduleBootRetry(DEFAULT_BOOT_RETRY);
            }
        }
    }

    private void scheduleBootRetry(Duration delay) {
        cancel(bootRetryTask);
        bootRetryTask = runtime.schedule(actor, () -> {
            if (link != null && registration != Registration.ACCEPTED) {
                sendBoot();
            }
        }, delay);
    }

    Duration heartbeatInterval() {
        if (options.heartbeatOverride() != null) {
            return options.heartbeatOverride();
        }
        return Duration.ofSeconds(Math.max(1, configuration.intValue("HeartbeatInterval")));
    }

    void scheduleHeartbeat() {
        cancel(heartbeatTask);
        if (registration != Registration.ACCEPTED) {
            return;
        }
        Duration interval = heartbeatInterval();
        heartbeatTask = runtime.scheduleAtFixedRate(actor, () -> {
            if (outbox.stream().noneMatch(c -> "Heartbeat".equals(c.action))) {
                sendHeartbeat(false);
            }
        }, interval, interval);
    }

    void sendHeartbeat(boolean triggered) {
        ObjectNode empty = FrameCodec.object();
        enqueue(new OutgoingCall("Heartbeat", () -> empty, false, triggered));
    }

    // ---------------------------------------------------------------- status

    OutgoingCall statusCall(Connector c) {
        ObjectNode payload = OcppCallPayload.of()
                .put("connectorId", c.id)
                .put("errorCode", c.errorCode)
                .put("status", c.id == 0 ? (c.operative ? "Available" : "Unavailable") : c.status)
                .put("timestamp", now())
                .node();
        return new OutgoingCall("StatusNotification", () -> payload, false, false);
    }

    void sendStatus(Connector c, boolean triggered) {
        OutgoingCall call = statusCall(c);
        enqueue(triggered ? new OutgoingCall(call.action, call.payload, false, true) : call);
    }

    void setStatus(Connector c, String status) {
        if (!status.equals(c.status)) {
            c.status = status;
            sendStatus(c, false);
        }
    }

    /** The status a connector rests in when nothing happens on it. */
    String idleStatus(Connector c) {
        if (!c.operative) {
            return "Unavailable";
        }
        return c.reservation != null ? "Reserved" : "Available";
    }

    // ---------------------------------------------------------------- transactions

    Duration meterInterval() {
        return meterInterval;
    }

    void setMeterInterval(Duration interval) {
        meterInterval = interval;
        for (Connector c : connectors) {
            if (c.transaction != null) {
                Connector.Transaction tx = c.transaction;
                cancel(tx.meterTask);
                tx.meterTask = runtime.scheduleAtFixedRate(actor, () -> meterTick(c, tx), interval, interval);
            }
        }
    }

    /** Starts a transaction on a connector already in Preparing; returns it so the caller can hook its end. */
    Connector.Transaction startTransaction(Connector c, String idTag) {
        Integer reservationId = null;
        if (c.reservation != null) {
            reservationId = c.reservation.reservationId();
            cancel(c.reservation.expiryTask());
            c.reservation = null;
        }
        Connector.Transaction tx = new Connector.Transaction(idTag, c.meterWh(), Instant.now(), reservationId, System.nanoTime());
        c.transaction = tx;
        OcppCallPayload start = OcppCallPayload.of()
                .put("connectorId", c.id)
                .put("idTag", idTag)
                .put("meterStart", tx.meterStartWh)
                .put("timestamp", tx.started.truncatedTo(ChronoUnit.MILLIS).toString());
        if (reservationId != null) {
            start.put("reservationId", reservationId);
        }
        ObjectNode payload = start.node();
        enqueue(new OutgoingCall("StartTransaction", () -> payload, true, false).onResult(result -> {
            if (result.has("transactionId")) {
                tx.transactionId = result.get("transactionId").asInt();
            }
            tx.idTagStatus = result.path("idTagInfo").path("status").asText("Invalid");
            log.info(id, "transaction " + tx.transactionId + " started on connector " + c.id + " (" + tx.idTagStatus + ")");
            if (!"Accepted".equals(tx.idTagStatus) && c.transaction == tx
                    && configuration.boolValue("StopTransactionOnInvalidId")) {
                stopTransaction(c, "DeAuthorized");
            }
        }).onFailure(reason -> log.warn(id, "StartTransaction not delivered: " + reason)));
        setStatus(c, "Charging");
        tx.meterTask = runtime.scheduleAtFixedRate(actor, () -> meterTick(c, tx), meterInterval, meterInterval);
        return tx;
    }

    double powerWatts(Connector c) {
        Connector.Transaction tx = c.transaction;
        double limit = profiles.limitWatts(c.id, Instant.now(), tx == null ? null : tx.started);
        return Math.max(0, Math.min(options.powerKw() * 1000, limit));
    }

    /** Moves the meter forward to now; a car that is full takes no more energy. True when the car became full. */
    private boolean advance(Connector c, Connector.Transaction tx) {
        long nowNanos = System.nanoTime();
        double seconds = (nowNanos - tx.lastSampleNanos) / 1e9;
        tx.lastSampleNanos = nowNanos;
        long addMilliWh = Math.round(powerWatts(c) * seconds / 3.6);
        long capMilliWh = Math.round(options.carKwh() * 1_000_000);
        long delivered = c.meterMilliWh - tx.meterStartWh * 1000;
        if (capMilliWh > 0 && delivered + addMilliWh >= capMilliWh) {
            c.meterMilliWh = tx.meterStartWh * 1000 + capMilliWh;
            return true;
        }
        c.meterMilliWh += addMilliWh;
        return false;
    }

    private void meterTick(Connector c, Connector.Transaction tx) {
        if (c.transaction != tx || stopped) {
            return;
        }
        boolean full = advance(c, tx);
        sendMeterValues(c, tx, "Sample.Periodic", false);
        if (full) {
            log.info(id, "car on connector " + c.id + " is full");
            stopTransaction(c, "EVDisconnected");
        }
    }

    void sendMeterValues(Connector c, Connector.Transaction tx, String context, boolean triggered) {
        ObjectNode base = OcppCallPayload.of().put("connectorId", c.id).node();
        ArrayNode meterValue = base.putArray("meterValue");
        ObjectNode sample = meterValue.addObject();
        sample.put("timestamp", now());
        ArrayNode values = sample.putArray("sampledValue");
        String measurands = configuration.value("MeterValuesSampledData");
        double watts = tx == null ? 0 : powerWatts(c);
        for (String measurand : measurands.split(",")) {
            switch (measurand.trim()) {
                case "Energy.Active.Import.Register" -> sampled(values, Long.toString(c.meterWh()), context, measurand, "Wh");
                case "Power.Active.Import" -> sampled(values, Long.toString(Math.round(watts)), context, measurand, "W");
                case "Current.Import" -> sampled(values, String.format(Locale.ROOT, "%.1f",
                        watts / (ChargingProfiles.VOLTS * 3)), context, measurand, "A");
                case "Voltage" -> sampled(values, "230", context, measurand, "V");
                case "SoC" -> {
                    if (tx != null && options.carKwh() > 0) {
                        double delivered = c.meterWh() - tx.meterStartWh;
                        long soc = Math.min(100, Math.round(20 + 80 * delivered / (options.carKwh() * 1000)));
                        sampled(values, Long.toString(soc), context, measurand, "Percent");
                    }
                }
                default -> {
                }
            }
        }
        if (values.isEmpty()) {
            sampled(values, Long.toString(c.meterWh()), context, "Energy.Active.Import.Register", "Wh");
        }
        boolean transactional = tx != null && !triggered;
        enqueue(new OutgoingCall("MeterValues", () -> {
            ObjectNode payload = base.deepCopy();
            if (tx != null && tx.transactionId != null) {
                payload.put("transactionId", tx.transactionId);
            }
            return payload;
        }, transactional, triggered));
    }

    private static void sampled(ArrayNode values, String value, String context, String measurand, String unit) {
        ObjectNode node = values.addObject();
        node.put("value", value);
        node.put("context", context);
        node.put("measurand", measurand);
        node.put("location", "Outlet");
        node.put("unit", unit);
    }

    /** Ends the transaction on a connector: final meter reading, StopTransaction (queued), Finishing, then idle. */
    void stopTransaction(Connector c, String reason) {
        Connector.Transaction tx = c.transaction;
        if (tx == null) {
            return;
        }
        cancel(tx.meterTask);
        advance(c, tx);
        c.transaction = null;
        profiles.removeTxProfiles(c.id);
        long meterStop = c.meterWh();
        String timestamp = now();
        ObjectNode base = OcppCallPayload.of()
                .put("idTag", tx.idTag)
                .put("meterStop", meterStop)
                .put("timestamp", timestamp)
                .put("reason", reason)
                .node();
        ObjectNode end = base.putArray("transactionData").addObject();
        end.put("timestamp", timestamp);
        sampled(end.putArray("sampledValue"), Long.toString(meterStop), "Transaction.End", "Energy.Active.Import.Register", "Wh");
        enqueue(new OutgoingCall("StopTransaction", () -> {
            if (tx.transactionId == null) {
                log.warn(id, "dropping StopTransaction: the StartTransaction was never answered");
                return null;
            }
            ObjectNode payload = base.deepCopy();
            payload.put("transactionId", tx.transactionId);
            return payload;
        }, true, false).onResult(result -> log.info(id, "transaction " + tx.transactionId + " stopped (" + reason
                + ", " + (meterStop - tx.meterStartWh) + " Wh)")));
        setStatus(c, "Finishing");
        if (c.scheduledOperative != null) {
            c.operative = c.scheduledOperative;
            c.scheduledOperative = null;
        }
        setStatus(c, idleStatus(c));
        tx.onEnd.run();
    }

    // ---------------------------------------------------------------- scenario

    private void startScenario() {
        if (!options.scenario().charges()) {
            return;
        }
        long spread = Math.max(1, options.thinkTime().toMillis());
        scenarioTask = runtime.schedule(actor, this::scenarioCycle,
                Duration.ofMillis(ThreadLocalRandom.current().nextLong(spread)));
    }

    private void scenarioLater() {
        if (!stopped) {
            scenarioTask = runtime.schedule(actor, this::scenarioCycle, options.thinkTime().plusMillis(10));
        }
    }

    private void scenarioCycle() {
        Connector c = connectors[1];
        if (stopped) {
            return;
        }
        if (registration != Registration.ACCEPTED || !c.free() || c.reservation != null) {
            scenarioLater();
            return;
        }
        String idTag = options.idTag();
        ObjectNode payload = OcppCallPayload.of().put("idTag", idTag).node();
        enqueue(new OutgoingCall("Authorize", () -> payload, false, false).onResult(result -> {
            String status = result.path("idTagInfo").path("status").asText("Invalid");
            if (!"Accepted".equals(status) || !c.free() || c.reservation != null) {
                log.info(id, "id tag " + idTag + " " + status + ", no session");
                scenarioLater();
                return;
            }
            setStatus(c, "Preparing");
            Connector.Transaction tx = startTransaction(c, idTag);
            tx.onEnd = () -> {
                cancel(scenarioTask);
                if (options.scenario() == Scenario.CHARGING) {
                    sendHeartbeat(false);
                }
                scenarioLater();
            };
            scenarioTask = runtime.schedule(actor, () -> {
                if (c.transaction == tx) {
                    stopTransaction(c, "Local");
                }
            }, options.sessionDuration());
        }).onFailure(reason -> scenarioLater()));
    }

    // ---------------------------------------------------------------- helpers

    static String now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    }

    static void cancel(ScheduledFuture<?> task) {
        if (task != null) {
            task.cancel(false);
        }
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    Connector connector(int connectorId) {
        return connectorId >= 0 && connectorId < connectors.length ? connectors[connectorId] : null;
    }

    boolean anyTransaction() {
        for (Connector c : connectors) {
            if (c.transaction != null) {
                return true;
            }
        }
        return false;
    }

    boolean transactionMessagesPending() {
        return (inFlight != null && inFlight.transactional) || outbox.stream().anyMatch(c -> c.transactional);
    }
}
