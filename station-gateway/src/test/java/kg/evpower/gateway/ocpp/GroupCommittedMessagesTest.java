package kg.evpower.gateway.ocpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import kg.evpower.gateway.support.Db;
import kg.evpower.gateway.support.SecurityServiceStub;
import kg.evpower.gateway.support.TestStation;

/**
 * MeterValues and StatusNotification from many stations at once go through group commits (issue 9): every message is
 * answered, every value or status is its row and its event, in each station's order, and a bad message is refused alone
 * with nothing written.
 */
@QuarkusTest
@QuarkusTestResource(SecurityServiceStub.class)
class GroupCommittedMessagesTest {

    private static final int STATIONS = 12;
    private static final int MESSAGES = 8;

    @TestHTTPResource("/")
    URI base;

    @Inject
    Pool pool;

    @Inject
    MeterRegistry registry;

    @BeforeEach
    void serviceToken() {
        SecurityServiceStub.useServiceToken();
    }

    @Test
    void manyStationsAtOnceEveryValueStoredAndPublishedInOrder() {
        double unitsBefore = units();
        List<TestStation> stations = new ArrayList<>();
        try {
            connectAndBoot(stations, "mvg");
            // every station sends all its messages without waiting for answers
            List<List<String>> sent = new ArrayList<>();
            for (TestStation station : stations) {
                List<String> ids = new ArrayList<>();
                for (int m = 0; m < MESSAGES; m++) {
                    String messageId = UUID.randomUUID().toString();
                    station.sendText(new JsonArray().add(2).add(messageId).add("MeterValues").add(meterValues(m))
                            .encode());
                    ids.add(messageId);
                }
                sent.add(ids);
            }
            for (int s = 0; s < STATIONS; s++) {
                for (String messageId : sent.get(s)) {
                    JsonArray answer = stations.get(s).awaitAnswer(messageId);
                    assertEquals(3, answer.getInteger(0), () -> "answered " + answer.encode());
                    assertEquals(new JsonObject(), answer.getJsonObject(2));
                }
            }

            for (TestStation station : stations) {
                // message m carries two values: 1000 * m + 1 and 1000 * m + 2 Wh
                List<Long> stored = new ArrayList<>();
                for (Row row : Db.rows(pool, "SELECT energy_register_wh FROM meter_value WHERE station_id = $1 ORDER BY id",
                        station.id)) {
                    stored.add(row.getLong(0));
                }
                List<Long> published = Db.events(pool, "gateway.meter.values", station.id).stream()
                        .map(event -> event.getJsonObject("data").getLong("energyRegisterWh")).toList();
                List<Long> expected = new ArrayList<>();
                for (int m = 0; m < MESSAGES; m++) {
                    expected.add(1000L * m + 1);
                    expected.add(1000L * m + 2);
                }
                assertEquals(expected, stored, "rows of " + station.id + " in the order sent");
                assertEquals(expected, published, "events of " + station.id + " in the order sent");
                assertEquals(4, Db.rows(pool, "SELECT * FROM meter_value WHERE station_id = $1 LIMIT 1", station.id)
                        .iterator().next().getInteger("connector_id"));
            }
            assertEquals(STATIONS * MESSAGES, units() - unitsBefore, 0.0, "each message went through the group commit");
        } finally {
            stations.forEach(TestStation::close);
        }
    }

    @Test
    void aMalformedMeterValuesIsRefusedAloneAndNothingIsWritten() {
        try (TestStation station = TestStation.connect(base, TestStation.newId("mvb"))) {
            station.boot();
            JsonObject bad = meterValues(0);
            bad.getJsonArray("meterValue").getJsonObject(0).remove("timestamp");
            String badId = UUID.randomUUID().toString();
            String goodId = UUID.randomUUID().toString();
            station.sendText(new JsonArray().add(2).add(badId).add("MeterValues").add(bad).encode());
            station.sendText(new JsonArray().add(2).add(goodId).add("MeterValues").add(meterValues(1)).encode());

            JsonArray refused = station.awaitAnswer(badId);
            assertEquals(4, refused.getInteger(0), refused::encode);
            assertEquals("OccurenceConstraintViolation", refused.getString(2), "a required field is missing");
            assertEquals(3, station.awaitAnswer(goodId).getInteger(0));
            assertEquals(2, Db.count(pool, "SELECT count(*) FROM meter_value WHERE station_id = $1", station.id));
            assertEquals(List.of(1001L, 1002L), Db.events(pool, "gateway.meter.values", station.id).stream()
                    .map(event -> event.getJsonObject("data").getLong("energyRegisterWh")).toList());
        }
    }

    @Test
    void statusesOfManyStationsAtOnceAreStoredAndPublishedAndABadOneChangesNothing() {
        double unitsBefore = units("connector_status");
        List<TestStation> stations = new ArrayList<>();
        try {
            connectAndBoot(stations, "stg");
            List<List<String>> sent = new ArrayList<>();
            for (TestStation station : stations) {
                List<String> ids = new ArrayList<>();
                for (String status : List.of("Preparing", "Charging", "Finishing")) {
                    for (int connector = 1; connector <= 2; connector++) {
                        String messageId = UUID.randomUUID().toString();
                        station.sendText(new JsonArray().add(2).add(messageId).add("StatusNotification")
                                .add(new JsonObject().put("connectorId", connector).put("status", status)
                                        .put("errorCode", "NoError"))
                                .encode());
                        ids.add(messageId);
                    }
                }
                // a status the 1.6 schema does not know: refused, nothing stored for it
                String badId = UUID.randomUUID().toString();
                station.sendText(new JsonArray().add(2).add(badId).add("StatusNotification")
                        .add(new JsonObject().put("connectorId", 1).put("status", "Exploded").put("errorCode", "NoError"))
                        .encode());
                ids.add(badId);
                sent.add(ids);
            }
            for (int s = 0; s < STATIONS; s++) {
                List<String> ids = sent.get(s);
                for (int i = 0; i < ids.size(); i++) {
                    JsonArray answer = stations.get(s).awaitAnswer(ids.get(i));
                    if (i == ids.size() - 1) {
                        assertEquals(4, answer.getInteger(0), answer::encode);
                        assertEquals("PropertyConstraintViolation", answer.getString(2), answer::encode);
                    } else {
                        assertEquals(3, answer.getInteger(0), answer::encode);
                    }
                }
            }
            for (TestStation station : stations) {
                List<String> rows = new ArrayList<>();
                for (Row row : Db.rows(pool, "SELECT connector_id, status FROM connector_status WHERE station_id = $1 "
                        + "ORDER BY connector_id", station.id)) {
                    rows.add(row.getInteger(0) + "=" + row.getString(1));
                }
                assertEquals(List.of("1=Finishing", "2=Finishing"), rows, "the last status of each connector");
                List<String> published = Db.events(pool, "gateway.connector.status-changed", station.id).stream()
                        .map(event -> event.getJsonObject("data").getInteger("connectorId") + "="
                                + event.getJsonObject("data").getString("status"))
                        .toList();
                assertEquals(List.of("1=Preparing", "2=Preparing", "1=Charging", "2=Charging", "1=Finishing",
                        "2=Finishing"), published, "events of " + station.id + " in the order sent");
            }
            assertEquals(STATIONS * 6, units("connector_status") - unitsBefore, 0.0);
        } finally {
            stations.forEach(TestStation::close);
        }
    }

    /** Connects and boots {@link #STATIONS} stations, adding each to {@code stations} (closed by the caller). */
    private void connectAndBoot(List<TestStation> stations, String prefix) {
        for (int s = 0; s < STATIONS; s++) {
            TestStation station = TestStation.connect(base, TestStation.newId(prefix));
            stations.add(station);
            station.boot();
        }
    }

    private double units() {
        return units("meter_values");
    }

    private double units(String name) {
        var counter = registry.find("evpower_group_commit_units_total").tag("name", name).counter();
        return counter == null ? 0 : counter.count();
    }

    private static JsonObject meterValues(int m) {
        JsonArray values = new JsonArray();
        for (int v = 1; v <= 2; v++) {
            values.add(new JsonObject().put("timestamp", "2025-03-01T08:%02d:%02dZ".formatted(m, v))
                    .put("sampledValue", new JsonArray().add(new JsonObject().put("value", String.valueOf(1000 * m + v))
                            .put("measurand", "Energy.Active.Import.Register").put("unit", "Wh"))));
        }
        return new JsonObject().put("connectorId", 4).put("meterValue", values);
    }
}
