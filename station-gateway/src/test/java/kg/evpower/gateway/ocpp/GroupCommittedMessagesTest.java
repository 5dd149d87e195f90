package kg.evpower.gateway.ocpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import kg.evpower.gateway.ocpp.message.StopTransactionRequest;
import kg.evpower.gateway.service.TransactionService;
import kg.evpower.gateway.support.Db;
import kg.evpower.gateway.support.SecurityServiceStub;
import kg.evpower.gateway.support.TestStation;

/**
 * MeterValues, StatusNotification and Authorize from many stations at once go through group commits (issue 9): every
 * message is answered, every value, status or message is its row and its event, in each station's order, and a bad
 * message is refused alone with nothing written. A StopTransaction is one statement without a lock: two at once stop
 * the transaction once.
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

    @Inject
    TransactionService transactions;

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

    @Test
    void authorizesOfManyStationsAtOnceAreAnsweredRecordedAndPublished() {
        String known = "GA" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        RestAssured.given().contentType("application/json").body(new JsonObject().put("status", "Accepted").encode())
                .put("/internal/id-tags/" + known).then().statusCode(200);
        double unitsBefore = units("station_messages");
        List<TestStation> stations = new ArrayList<>();
        try {
            connectAndBoot(stations, "aug");
            List<List<String>> sent = new ArrayList<>();
            for (TestStation station : stations) {
                List<String> ids = new ArrayList<>();
                for (String tag : List.of(known, "NOBODY-" + station.id.substring(station.id.length() - 6), known)) {
                    String messageId = UUID.randomUUID().toString();
                    station.sendText(new JsonArray().add(2).add(messageId).add("Authorize")
                            .add(new JsonObject().put("idTag", tag)).encode());
                    ids.add(messageId);
                }
                // an idTag longer than the 20 characters of 1.6: refused, nothing recorded for it
                String badId = UUID.randomUUID().toString();
                station.sendText(new JsonArray().add(2).add(badId).add("Authorize")
                        .add(new JsonObject().put("idTag", "X".repeat(21))).encode());
                ids.add(badId);
                sent.add(ids);
            }
            for (int s = 0; s < STATIONS; s++) {
                List<String> ids = sent.get(s);
                List<String> statuses = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    JsonArray answer = stations.get(s).awaitAnswer(ids.get(i));
                    assertEquals(3, answer.getInteger(0), answer::encode);
                    statuses.add(answer.getJsonObject(2).getJsonObject("idTagInfo").getString("status"));
                }
                assertEquals(List.of("Accepted", "Invalid", "Accepted"), statuses);
                JsonArray refused = stations.get(s).awaitAnswer(ids.get(3));
                assertEquals(4, refused.getInteger(0), refused::encode);
                assertEquals("PropertyConstraintViolation", refused.getString(2), refused::encode);
            }
            for (TestStation station : stations) {
                List<String> answers = new ArrayList<>();
                for (Row row : Db.rows(pool, "SELECT payload->>'idTag', answer->'idTagInfo'->>'status' FROM "
                        + "station_message WHERE station_id = $1 AND action = 'Authorize' ORDER BY id", station.id)) {
                    answers.add(row.getString(1));
                }
                assertEquals(List.of("Accepted", "Invalid", "Accepted"), answers, "the messages with their answers");
                List<String> published = Db.events(pool, "gateway.id-tag.authorized", station.id).stream()
                        .map(event -> event.getJsonObject("data").getString("status")).toList();
                assertEquals(List.of("Accepted", "Invalid", "Accepted"), published, "events in the order sent");
            }
            assertEquals(STATIONS * 3, units("station_messages") - unitsBefore, 0.0,
                    "each recorded Authorize went through the group commit, the refused ones did not");
        } finally {
            stations.forEach(TestStation::close);
        }
    }

    @Test
    void twoStopsOfOneTransactionAtOnceStopItOnce() throws Exception {
        String tag = "GS" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        try (TestStation station = TestStation.connect(base, TestStation.newId("stp"))) {
            station.boot();
            long txId = station.ok("StartTransaction", new JsonObject().put("connectorId", 1).put("idTag", tag)
                    .put("meterStart", 500).put("timestamp", "2025-03-01T08:00:00Z")).getLong("transactionId");
            StopTransactionRequest stop = StopTransactionRequest.from(new ObjectMapper().readTree(new JsonObject()
                    .put("transactionId", txId).put("meterStop", 2500).put("timestamp", "2025-03-01T09:00:00Z")
                    .put("reason", "Remote").put("transactionData", new JsonArray().add(new JsonObject()
                            .put("timestamp", "2025-03-01T09:00:00Z").put("sampledValue", new JsonArray()
                                    .add(new JsonObject().put("value", "2500").put("context", "Transaction.End")))))
                    .encode()));
            var both = Uni.combine().all().unis(transactions.stop(station.id, stop), transactions.stop(station.id, stop))
                    .asTuple().await().atMost(Duration.ofSeconds(10));
            assertTrue(both.getItem1().known() && both.getItem2().known());
            assertEquals(1, (both.getItem1().firstStop() ? 1 : 0) + (both.getItem2().firstStop() ? 1 : 0),
                    "exactly one of the two wrote the stop");
            List<JsonObject> stopped = Db.events(pool, "gateway.transaction.stopped", station.id);
            assertEquals(1, stopped.size());
            assertEquals(2000L, stopped.get(0).getJsonObject("data").getLong("energyWh"));
            assertEquals(tag, stopped.get(0).getJsonObject("data").getString("idTag"), "the id tag of the start");
            assertEquals(1, Db.count(pool, "SELECT count(*) FROM meter_value WHERE transaction_id = $1", txId),
                    "the transaction data once");
            Row row = Db.rows(pool, "SELECT meter_stop_wh, stop_reason FROM ocpp_transaction WHERE id = $1", txId)
                    .iterator().next();
            assertEquals(2500L, row.getLong(0));
            assertEquals("Remote", row.getString(1));
        }
    }

    @Test
    void aStopNamingAnotherStationsTransactionChangesNothing() {
        String tag = "GO" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        try (TestStation owner = TestStation.connect(base, TestStation.newId("own"));
                TestStation other = TestStation.connect(base, TestStation.newId("oth"))) {
            owner.boot();
            other.boot();
            long txId = owner.ok("StartTransaction", new JsonObject().put("connectorId", 1).put("idTag", tag)
                    .put("meterStart", 0).put("timestamp", "2025-03-01T08:00:00Z")).getLong("transactionId");
            // accepted (a station must not retry it for ever), recorded as a stop of an unknown transaction
            other.ok("StopTransaction", new JsonObject().put("transactionId", txId).put("meterStop", 900)
                    .put("timestamp", "2025-03-01T09:00:00Z"));
            assertEquals(1, Db.count(pool, "SELECT count(*) FROM station_message WHERE station_id = $1 "
                    + "AND action = 'StopTransaction'", other.id));
            assertEquals(1, Db.count(pool, "SELECT count(*) FROM ocpp_transaction WHERE id = $1 AND stopped_at IS NULL",
                    txId), "the owner's transaction is still open");
            assertEquals(0, Db.events(pool, "gateway.transaction.stopped", owner.id).size());
            assertEquals(0, Db.events(pool, "gateway.transaction.stopped", other.id).size());
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
