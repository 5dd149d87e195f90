package kg.evpower.gateway.service;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import kg.evpower.gateway.config.GatewayConfig;
import kg.evpower.gateway.ocpp.session.SessionRegistry;
import kg.evpower.gateway.ocpp.session.StationSession;
import kg.evpower.platform.vertx.NewContext;

/**
 * Periodic work, safe with any number of replicas: routing refresh and idle close touch only this replica's sockets;
 * offline detection re-checks its condition in the UPDATE itself, so one replica wins and the others change nothing.
 */
@ApplicationScoped
public class StationJobs {

    private final SessionRegistry registry;
    private final StationRouting routing;
    private final StationService stations;
    private final GatewayConfig config;
    private final Pool pool;
    private final Vertx vertx;

    StationJobs(SessionRegistry registry, StationRouting routing, StationService stations, GatewayConfig config,
            Pool pool, Vertx vertx) {
        this.registry = registry;
        this.routing = routing;
        this.stations = stations;
        this.config = config;
        this.pool = pool;
        this.vertx = vertx;
    }

    /** Keeps {@code gw:station:{id}} alive for every socket here, and closes sockets idle past the idle timeout. */
    @Scheduled(every = "${evpower.gateway.routing.refresh:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refreshSockets() {
        List<Uni<Void>> work = new ArrayList<>();
        for (StationSession session : registry.all()) {
            if (session.idleFor().compareTo(config.ocpp().idleTimeout()) > 0) {
                Log.infof("Station %s idle for %s: closing", session.chargePointId(), session.idleFor());
                session.close(1001, "Idle timeout");
                continue;
            }
            work.add(routing.claim(session.chargePointId()).onFailure().recoverWithNull());
        }
        return work.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(work).andCollectFailures().replaceWithVoid();
    }

    /**
     * Offline detection: a station still marked connected, silent for heartbeat interval × factor + grace, whose routing
     * record has expired (no replica refreshes it), is disconnected. A station heartbeating at its interval is never
     * silent that long, and a live socket anywhere keeps its record, so this never flaps.
     */
    @Scheduled(every = "${evpower.gateway.offline.every:2m}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> detectOffline() {
        return offlineCandidates().onItem().transformToMulti(ids -> Multi.createFrom().iterable(ids))
                .onItem().transformToUniAndConcatenate(id -> routing.owner(id).chain(owner -> owner != null
                        ? Uni.createFrom().item(false)
                        : NewContext.run(vertx, () -> stations.markOffline(id, config.offline().intervalFactor(),
                                config.offline().grace().toSeconds())))
                        .invoke(marked -> {
                            if (marked) {
                                Log.infof("Station %s marked offline", id);
                            }
                        })
                        .onFailure().recoverWithItem(false))
                .collect().asList().replaceWithVoid();
    }

    Uni<List<String>> offlineCandidates() {
        return pool.preparedQuery("""
                SELECT id FROM station WHERE connected
                  AND last_message_at < now() - make_interval(secs => heartbeat_interval_seconds * $1 + $2)
                ORDER BY last_message_at LIMIT 500""")
                .execute(Tuple.of(config.offline().intervalFactor(), (double) config.offline().grace().toSeconds()))
                .map(rows -> {
                    List<String> ids = new ArrayList<>();
                    for (Row row : rows) {
                        ids.add(row.getString("id"));
                    }
                    return ids;
                });
    }
}
