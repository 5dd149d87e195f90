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
    private static final String INSERT = """
            WITH meter AS (
                INSERT INTO meter_value (station_id, connector_id, transaction_id, sampled_at, energy_register_wh,
                    power_w, soc_percent, samples)
                SELECT * FROM unnest($1::varchar[], $2::int[], $3::bigint[], $4::timestamptz[], $5::bigint[],
                    $6::bigint[], $7::int[], $8::text[]::jsonb[]))
            """ + Outbox.insertAllStatement(9);

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
        String[] stations = new String[size];
        Integer[] connectors = new Integer[size];
        Long[] transactions = new Long[size];
        OffsetDateTime[] sampled = new OffsetDateTime[size];
        Long[] energy = new Long[size];
        Long[] power = new Long[size];
        Integer[] soc = new Integer[size];
        String[] samples = new String[size];
        List<Outbox.Pending> events = new ArrayList<>(size);
        int i = 0;
        for (Unit unit : units) {
            MeterValuesRequest request = unit.request();
            for (MeterValue value : request.meterValue()) {
                stations[i] = unit.chargePointId();
                connectors[i] = request.connectorId();
                transactions[i] = request.transactionId();
                sampled[i] = OffsetDateTime.ofInstant(value.timestamp(), ZoneOffset.UTC);
                energy[i] = value.energyRegisterWh();
                power[i] = value.powerW();
                soc[i] = value.socPercent();
                samples[i] = value.rawJson();
                events.add(new Outbox.Pending(GatewayEvents.STREAM, GatewayEvents.METER_VALUES, unit.chargePointId(),
                        new GatewayEvents.MeterValues(unit.chargePointId(), request.connectorId(),
                                request.transactionId(), value.timestamp(), energy[i], power[i], soc[i])));
                i++;
            }
        }
        return client.preparedQuery(INSERT).execute(Tuple.from(outbox.parameters(events, stations, connectors,
                transactions, sampled, energy, power, soc, samples))).mapEmpty();
    }
}
