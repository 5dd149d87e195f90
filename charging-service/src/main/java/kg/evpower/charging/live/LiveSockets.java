package kg.evpower.charging.live;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.quarkus.websockets.next.WebSocketConnection;
import kg.evpower.charging.live.LiveUpdates.Update;

/** The app sockets open on this replica, with their client and subscribed channels. */
@ApplicationScoped
public class LiveSockets {

    record Socket(WebSocketConnection connection, String clientId, Set<String> channels) {
    }

    private final Map<String, Socket> open = new ConcurrentHashMap<>();
    private final ObjectMapper mapper;

    LiveSockets(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Registers a socket; false (nothing registered) when the client already has {@code max} sockets here. */
    synchronized boolean add(WebSocketConnection connection, String clientId, int max) {
        long mine = open.values().stream().filter(s -> s.clientId().equals(clientId)).count();
        if (mine >= max) {
            return false;
        }
        open.put(connection.id(), new Socket(connection, clientId, ConcurrentHashMap.newKeySet()));
        return true;
    }

    void remove(WebSocketConnection connection) {
        open.remove(connection.id());
    }

    boolean subscribe(WebSocketConnection connection, String channel) {
        Socket s = open.get(connection.id());
        return s != null && s.channels().add(channel);
    }

    boolean unsubscribe(WebSocketConnection connection, String channel) {
        Socket s = open.get(connection.id());
        return s != null && s.channels().remove(channel);
    }

    Set<String> channels(WebSocketConnection connection) {
        Socket s = open.get(connection.id());
        return s == null ? Set.of() : Set.copyOf(s.channels());
    }

    void deliver(Update update) {
        String text;
        try {
            text = mapper.writeValueAsString(update.message());
        } catch (JsonProcessingException e) {
            return;
        }
        for (Socket s : open.values()) {
            boolean wanted = update.clientId() != null ? update.clientId().equals(s.clientId())
                    : update.channels() != null && update.channels().stream().anyMatch(s.channels()::contains);
            if (wanted && s.connection().isOpen()) {
                s.connection().sendText(text).subscribe().with(ok -> {
                }, f -> Log.debugf("Live update not sent to socket %s: %s", s.connection().id(), f.toString()));
            }
        }
    }
}
