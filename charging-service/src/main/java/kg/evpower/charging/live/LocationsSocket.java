package kg.evpower.charging.live;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import kg.evpower.charging.config.ChargingConfig;

/**
 * The app's realtime socket (A3.4): authenticated by {@link SocketAuthCheck}; the client subscribes to {@code all},
 * {@code location:{id}} or {@code location_stations:{id}} and receives location/station/connector status updates; its
 * own sessions' progress ({@code session_update}) reaches every socket of the owner without a subscription.
 */
@WebSocket(path = "/api/v1/ws/locations")
public class LocationsSocket {

    static final Pattern CHANNEL = Pattern.compile("^(all|location:[0-9]{1,18}|location_stations:[0-9]{1,18})$");

    private final LiveSockets sockets;
    private final ObjectMapper mapper;
    private final ChargingConfig config;

    LocationsSocket(LiveSockets sockets, ObjectMapper mapper, ChargingConfig config) {
        this.sockets = sockets;
        this.mapper = mapper;
        this.config = config;
    }

    @OnOpen
    public String onOpen(WebSocketConnection connection) {
        String clientId = connection.userData().get(SocketAuthCheck.CLIENT_ID);
        if (clientId == null || !sockets.add(connection, clientId, config.live().maxSocketsPerClient())) {
            connection.close(new CloseReason(1013, "Too many connections")).subscribe().with(x -> {
            }, f -> {
            });
            return message("error", Map.of("error", "too_many_connections",
                    "message", "Too many open connections for this client"));
        }
        return message("connection", Map.of("status", "connected", "client_id", clientId,
                "message", "Connected to live location updates"));
    }

    @OnTextMessage
    public String onMessage(WebSocketConnection connection, String text) {
        JsonNode m;
        try {
            m = mapper.readTree(text);
        } catch (Exception e) {
            return error("invalid_message", "The message is not JSON");
        }
        if (m == null || !m.isObject()) {
            return error("invalid_message", "The message must be a JSON object");
        }
        String action = m.path("action").asText("");
        if ("ping".equals(action)) {
            return message("pong", Map.of());
        }
        if (!"subscribe".equals(action) && !"unsubscribe".equals(action)) {
            return error("invalid_action", "action must be subscribe, unsubscribe or ping");
        }
        String channel = m.path("channel").asText("");
        if (!CHANNEL.matcher(channel).matches()) {
            return error("invalid_channel", "channel must be all, location:{id} or location_stations:{id}");
        }
        if ("subscribe".equals(action)) {
            sockets.subscribe(connection, channel);
        } else {
            sockets.unsubscribe(connection, channel);
        }
        return message("subscription", Map.of("status", "subscribe".equals(action) ? "subscribed" : "unsubscribed",
                "channel", channel, "channels", sockets.channels(connection)));
    }

    @OnClose
    public void onClose(WebSocketConnection connection) {
        sockets.remove(connection);
    }

    private String error(String code, String message) {
        return message("error", Map.of("error", code, "message", message));
    }

    private String message(String type, Map<String, Object> fields) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.putAll(fields);
        try {
            return mapper.writeValueAsString(m);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
