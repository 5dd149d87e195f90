package kg.evpower.gateway.ocpp.handler;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;

/** The OCPP-J 1.6 endpoint {@code /ocpp/{chargePointId}}. */
@WebSocket(path = "/ocpp/{chargePointId}")
public class OcppEndpoint {

    private final OcppSocketHandler handler;

    OcppEndpoint(OcppSocketHandler handler) {
        this.handler = handler;
    }

    @OnOpen
    public Uni<Void> onOpen(WebSocketConnection connection) {
        return handler.opened(connection);
    }

    @OnTextMessage
    public Uni<Void> onText(String text, WebSocketConnection connection) {
        return handler.text(connection, text);
    }

    @OnBinaryMessage
    public Uni<Void> onBinary(Buffer data, WebSocketConnection connection) {
        return handler.binary(connection);
    }

    @OnClose
    public Uni<Void> onClose(WebSocketConnection connection, CloseReason reason) {
        return handler.closed(connection, reason);
    }

    @OnError
    public Uni<Void> onError(Throwable failure, WebSocketConnection connection) {
        return handler.failed(connection, failure);
    }
}
