package kg.evpower.gateway.ocpp.handler;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import kg.evpower.gateway.config.GatewayConfig;
import kg.evpower.gateway.ocpp.frame.CallErrors;
import kg.evpower.gateway.ocpp.frame.FrameCodec;
import kg.evpower.gateway.ocpp.frame.FrameException;
import kg.evpower.gateway.ocpp.frame.OcppFrame;
import kg.evpower.gateway.ocpp.session.SessionRegistry;
import kg.evpower.gateway.ocpp.session.StationSession;
import kg.evpower.platform.vertx.NewContext;
import kg.evpower.gateway.service.StationRouting;
import kg.evpower.gateway.service.StationService;

/** Socket life cycle and framing shared by both endpoint paths. Nothing here blocks; nothing a station sends escapes. */
@ApplicationScoped
public class OcppSocketHandler {

    static final UserData.TypedKey<StationSession> SESSION = new UserData.TypedKey<>("session");
    /** How often ordinary traffic writes the station's last-message time (heartbeats always do). */
    static final Duration TOUCH_EVERY = Duration.ofSeconds(30);

    private final SessionRegistry registry;
    private final FrameCodec codec;
    private final StationMessageHandler messages;
    private final StationService stations;
    private final StationRouting routing;
    private final GatewayConfig config;
    private final Vertx vertx;
    private final GracefulShutdown drain;

    OcppSocketHandler(SessionRegistry registry, FrameCodec codec, StationMessageHandler messages,
            StationService stations, StationRouting routing, GatewayConfig config, Vertx vertx,
            GracefulShutdown drain) {
        this.drain = drain;
        this.registry = registry;
        this.codec = codec;
        this.messages = messages;
        this.stations = stations;
        this.routing = routing;
        this.config = config;
        this.vertx = vertx;
    }

    Uni<Void> opened(WebSocketConnection connection) {
        String id = connection.userData().get(StationUpgradeCheck.CHARGE_POINT_ID);
        String status = connection.userData().get(StationUpgradeCheck.SECURITY_STATUS);
        if (id == null) {
            return connection.close(new CloseReason(1008, "Not authenticated"));
        }
        StationSession session = new StationSession(id, connection, vertx, status, codec::encode);
        connection.userData().put(SESSION, session);
        if (drain.draining()) {
            // Admitted just before this replica began to stop: send it elsewhere at once.
            session.markReleased();
            return connection.close(new CloseReason(1001, GracefulShutdown.REASON));
        }
        registry.register(session).ifPresent(old -> {
            Log.infof("Station %s: a new connection replaces the previous one", id);
            old.close(1000, "Replaced by a new connection");
        });
        Log.infof("Station %s connected (%s, subprotocol %s)", id, status, connection.subprotocol());
        return routing.claim(id)
                .onFailure().invoke(f -> Log.warnf("Station %s: routing record not written: %s", id, f.toString()))
                .onFailure().recoverWithNull()
                .chain(() -> NewContext.run(vertx,
                        () -> stations.connected(id, routing.instanceId(), status)))
                .onFailure().invoke(f -> Log.errorf("Station %s: connection not recorded: %s", id, f.toString()))
                .onFailure().recoverWithNull();
    }

    Uni<Void> text(WebSocketConnection connection, String text) {
        StationSession session = connection.userData().get(SESSION);
        if (session == null) {
            return Uni.createFrom().voidItem();
        }
        session.messageReceived();
        refresh(session);
        if (FrameCodec.utf8Length(text) > config.ocpp().maxFrameBytes()) {
            String id = FrameCodec.leadingMessageId(text);
            Log.infof("Station %s: frame of %d characters refused", session.chargePointId(), text.length());
            session.send(CallErrors.frame(id != null ? id : "-1", CallErrors.formation(
                    "Message exceeds " + config.ocpp().maxFrameBytes() + " bytes")));
            return Uni.createFrom().voidItem();
        }
        OcppFrame frame;
        try {
            frame = codec.decode(text);
        } catch (FrameException e) {
            Log.infof("Station %s: malformed frame: %s", session.chargePointId(), e.getMessage());
            session.send(CallErrors.frame(e.messageId() != null ? e.messageId() : "-1", e.error()));
            return Uni.createFrom().voidItem();
        }
        switch (frame) {
            case OcppFrame.Call call -> session.inbound(() -> messages.handle(session, call));
            case OcppFrame.CallResult result -> session.answer(result);
            case OcppFrame.CallError error -> session.answer(error);
        }
        return Uni.createFrom().voidItem();
    }

    Uni<Void> binary(WebSocketConnection connection) {
        StationSession session = connection.userData().get(SESSION);
        if (session != null) {
            Log.infof("Station %s: binary frame ignored (OCPP-J is text only)", session.chargePointId());
        }
        return Uni.createFrom().voidItem();
    }

    Uni<Void> closed(WebSocketConnection connection, CloseReason reason) {
        Runnable requestDone = connection.userData().get(StationUpgradeCheck.REQUEST_DONE);
        if (requestDone != null) {
            requestDone.run();
        }
        StationSession session = connection.userData().get(SESSION);
        if (session == null) {
            return Uni.createFrom().voidItem();
        }
        session.closed();
        if (!registry.unregister(session)) {
            session.markReleased();
            return Uni.createFrom().voidItem();
        }
        String id = session.chargePointId();
        Log.infof("Station %s disconnected (%s)", id, reason);
        String why = reason == null ? "CLOSED" : "CLOSED " + reason.getCode();
        return routing.release(id).onFailure().recoverWithNull()
                .chain(() -> NewContext.run(vertx, () -> stations.disconnected(id, routing.instanceId(), why)))
                .onFailure().invoke(f -> Log.errorf("Station %s: disconnection not recorded: %s", id, f.toString()))
                .onFailure().recoverWithNull().replaceWithVoid()
                .eventually(session::markReleased);
    }

    Uni<Void> failed(WebSocketConnection connection, Throwable failure) {
        StationSession session = connection.userData().get(SESSION);
        Log.warnf("Station %s: socket error %s", session == null ? "?" : session.chargePointId(), failure.toString());
        return Uni.createFrom().voidItem();
    }

    private void refresh(StationSession session) {
        String id = session.chargePointId();
        if (session.routeRefreshDue(config.routing().refresh())) {
            routing.claim(id).subscribe().with(ok -> { }, f -> Log.debugf("routing refresh failed: %s", f));
        }
        if (session.touchDue(TOUCH_EVERY)) {
            NewContext.run(vertx, () -> stations.touched(id, routing.instanceId()))
                    .subscribe().with(ok -> { }, f -> Log.debugf("touch failed: %s", f));
        }
    }
}
