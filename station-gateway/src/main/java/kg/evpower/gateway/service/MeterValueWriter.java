package kg.evpower.gateway.service;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import kg.evpower.gateway.event.GatewayEvents;
import kg.evpower.gateway.ocpp.message.MeterValue;
import kg.evpower.gateway.ocpp.message.MeterValuesRequest;
import kg.evpower.platform.event.Outbox;
import kg.evpower.platform.sql.GroupCommit;

/**
 * The hottest station message, MeterValues: each of its values as a {@code meter_value} row and a
 * {@code MeterValues} event, written by group commit (issue 9). The station is answered once the transaction holding
 * its rows has committed, as before; under load one statement carries the values and events of many stations.
 */
@ApplicationScoped
public class MeterValueWriter {

    /** The rows and their events in one statement (committed on its own, no BEGIN and COMMIT round trips). */
    private static final String INSERT = "WITH meter AS (" + insertRows(1) + ") " + Outbox.insertAllStatement(9);

    /**
     * The insert of {@link Rows}, as its eight column arrays from parameter {@code $first} on; a data-modifying
     * {@code WITH} clause of a statement that writes their events too.
     */
    static String insertRows(int first) {
        StringBuilder unnest = new StringBuilder();
        String[] types = {"varchar", "int", "bigint", "timestamptz", "bigint", "bigint", "int", "text"};
        for (int i = 0; i < types.length; i++) {
            unnest.append(i == 0 ? "" : ", ").append('$').append(first + i).append("::").append(types[i]).append("[]");
        }
        return "INSERT INTO meter_value (station_id, connector_id, transaction_id, sampled_at, energy_register_wh, "
                + "power_w, soc_percent, samples) SELECT s, c, t, a, e, p, o, m::jsonb FROM unnest(" + unnest
                + ") AS v(s, c, t, a, e, p, o, m)";
    }

    /** {@code meter_value} rows as the column arrays of {@link #insertRows}. */
    static final class Rows {
        private final String[] stations;
        private final Integer[] connectors;
        private final Long[] transactions;
        private final OffsetDateTime[] sampled;
        private final Long[] energy;
        private final Long[] power;
        private final Integer[] soc;
        private final String[] samples;
        private int next;

        Rows(int size) {
            stations = new String[size];
            connectors = new Integer[size];
            transactions = new Long[size];
            sampled = new OffsetDateTime[size];
            energy = new Long[size];
            power = new Long[size];
            soc = new Integer[size];
            samples = new String[size];
        }

        void add(String chargePointId, int connectorId, Long transactionId, MeterValue value) {
            stations[next] = chargePointId;
            connectors[next] = connectorId;
            transactions[next] = transactionId;
            sampled[next] = OffsetDateTime.ofInstant(value.timestamp(), ZoneOffset.UTC);
            energy[next] = value.energyRegisterWh();
            power[next] = value.powerW();
            soc[next] = value.socPercent();
            samples[next] = value.rawJson();
            next++;
        }

        /** The eight arrays, in the order of {@link #insertRows}. */
        Object[] columns() {
            return new Object[] {stations, connectors, transactions, sampled, energy, power, soc, samples};
        }
    }

    /** One MeterValues message of one station. */
    record Unit(String chargePointId, MeterValuesRequest request) {
    }

    private final Outbox outbox;
    private final GroupCommit<Unit> commits;

    MeterValueWriter(io.vertx.mutiny.sqlclient.Pool pool, Outbox outbox, MeterRegistry registry,
            @ConfigProperty(name = "evpower.gateway.meter-values.max-batch", defaultValue = "200") int maxBatch,
            @ConfigProperty(name = "evpower.gateway.meter-values.max-in-flight", defaultValue = "1") int maxInFlight,
            @ConfigProperty(name = "evpower.gateway.meter-values.linger", defaultValue = "3ms") Duration linger) {
        this.outbox = outbox;
        this.commits = GroupCommit.<Unit>singleStatement("meter_values", pool.getDelegate(), this::write, maxBatch,
                maxInFlight, registry).lingering(linger);
    }

    /** Completes once the message's rows and events are committed; fails with the database's error. */
    public Future<Void> write(String chargePointId, MeterValuesRequest request) {
        if (request.meterValue().isEmpty()) {
            return Future.succeededFuture();
        }
        return commits.submit(new Unit(chargePointId, request));
    }

    private Future<Void> write(SqlClient client, List<Unit> units) {
        int size = 0;
        for (Unit unit : units) {
            size += unit.request().meterValue().size();
        }
        Rows rows = new Rows(size);
        List<Outbox.Pending> events = new ArrayList<>(size);
        for (Unit unit : units) {
            MeterValuesRequest request = unit.request();
            for (MeterValue value : request.meterValue()) {
                rows.add(unit.chargePointId(), request.connectorId(), request.transactionId(), value);
                events.add(new Outbox.Pending(GatewayEvents.STREAM, GatewayEvents.METER_VALUES, unit.chargePointId(),
                        new GatewayEvents.MeterValues(unit.chargePointId(), request.connectorId(),
                                request.transactionId(), value.timestamp(), value.energyRegisterWh(), value.powerW(),
                                value.socPercent())));
            }
        }
        return client.preparedQuery(INSERT).execute(Tuple.from(outbox.parameters(events, rows.columns())))
                .mapEmpty();
    }
}
