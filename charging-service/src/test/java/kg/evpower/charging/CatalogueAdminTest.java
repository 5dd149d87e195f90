package kg.evpower.charging;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import kg.evpower.charging.support.ChargingTestBase;
import kg.evpower.charging.support.PeerStubs;
import kg.evpower.charging.support.Tokens;

@QuarkusTest
class CatalogueAdminTest extends ChargingTestBase {

    private io.restassured.specification.RequestSpecification admin() {
        return given().auth().oauth2(Tokens.admin("operator-1")).contentType(ContentType.JSON);
    }

    @Test
    void adminBuildsTheCatalogueTheAppReadsWithLiveConnectorStatus() {
        int location = admin().body(Map.of("name", "Ala-Too", "address", "Chui 1", "city", "Bishkek",
                "latitude", 42.87, "longitude", 74.59)).post("/api/v1/admin/locations")
                .then().statusCode(200).extract().path("id");
        int plan = admin().body(Map.of("name", "City")).post("/api/v1/admin/tariff-plans")
                .then().statusCode(200).extract().path("id");
        admin().body(Map.of("tariff_type", "per_kwh", "price", 1100)).post("/api/v1/admin/tariff-plans/" + plan + "/rules")
                .then().statusCode(200);
        admin().body(Map.of("tariff_type", "per_kwh", "price", 800, "time_start", "23:00", "time_end", "07:00",
                "priority", 5, "days_of_week", List.of(1, 2, 3))).post("/api/v1/admin/tariff-plans/" + plan + "/rules")
                .then().statusCode(200);
        String st = unique("CAT");
        admin().body(Map.of("location_id", location, "model", "Terra", "manufacturer", "ABB", "tariff_plan_id", plan,
                "connectors", List.of(Map.of("id", 1, "type", "CCS", "power_kw", 50), Map.of("id", 2, "type", "Type2"))))
                .put("/api/v1/admin/stations/" + st).then().statusCode(200).body("success", equalTo(true));

        gatewayEvent("gateway.station.connected", st, Map.of("chargePointId", st, "instanceId", "gw-1"));
        gatewayEvent("gateway.connector.status-changed", st, Map.of("chargePointId", st, "connectorId", 1,
                "status", "Charging", "errorCode", "NoError", "timestamp", Instant.now().toString()));
        gatewayEvent("gateway.connector.status-changed", st, Map.of("chargePointId", st, "connectorId", 2,
                "status", "Available", "errorCode", "NoError", "timestamp", Instant.now().toString()));
        eventually("live status", () -> "Charging".equals(pool.preparedQuery(
                "SELECT status FROM connector WHERE station_id = $1 AND connector_number = 1")
                .executeAndAwait(io.vertx.mutiny.sqlclient.Tuple.of(st)).iterator().next().getString(0))
                && count("SELECT count(*) FROM connector WHERE station_id = $1 AND status = 'Available'", st) == 1
                && count("SELECT count(*) FROM station WHERE id = $1 AND online", st) == 1);

        given().get("/api/v1/station/status/" + st).then().statusCode(200)
                .body("success", equalTo(true)).body("online", equalTo(true))
                .body("available_for_charging", equalTo(true))
                .body("occupied_connectors", equalTo(1)).body("available_connectors", equalTo(1))
                .body("connectors[0].status", equalTo("occupied")).body("connectors[0].type", equalTo("CCS"))
                .body("location_name", equalTo("Ala-Too"));
        given().get("/api/v1/locations/" + location).then().statusCode(200)
                .body("stations.id", hasItem(st)).body("status", equalTo("available"))
                .body("connectors_summary.total", equalTo(2));
        given().get("/api/v1/locations?include_stations=true").then().statusCode(200)
                .body("locations.id", hasItem(location));
        given().get("/api/v1/station/status/NOPE-" + st).then().statusCode(200).body("error", equalTo("station_not_found"));
        given().get("/api/v1/locations/999999999").then().statusCode(404).body("detail.error", equalTo("location_not_found"));
    }

    @Test
    void adminApiNeedsTheAdminGroupAndValidInput() {
        given().auth().oauth2(Tokens.client("plain-user")).contentType(ContentType.JSON).body(Map.of("name", "x"))
                .post("/api/v1/admin/locations").then().statusCode(403);
        given().contentType(ContentType.JSON).body(Map.of("name", "x")).post("/api/v1/admin/locations")
                .then().statusCode(401);
        int plan = admin().body(Map.of("name", "Bad")).post("/api/v1/admin/tariff-plans").then().statusCode(200)
                .extract().path("id");
        admin().body(Map.of("tariff_type", "per_hour", "price", 1)).post("/api/v1/admin/tariff-plans/" + plan + "/rules")
                .then().statusCode(422).body("error", equalTo("invalid_parameters"));
        admin().body(Map.of("tariff_type", "per_kwh", "price", -1)).post("/api/v1/admin/tariff-plans/" + plan + "/rules")
                .then().statusCode(422);
        admin().body(Map.of("tariff_type", "per_kwh", "price", 1, "time_start", "25:00", "time_end", "01:00"))
                .post("/api/v1/admin/tariff-plans/" + plan + "/rules").then().statusCode(422);
        admin().body(Map.of("tariff_type", "per_kwh", "price", 1, "days_of_week", List.of(8)))
                .post("/api/v1/admin/tariff-plans/" + plan + "/rules").then().statusCode(422);
        assertEquals(0, count("SELECT count(*) FROM tariff_rule WHERE tariff_plan_id = $1", (long) plan));
        admin().body(Map.of("model", "x")).put("/api/v1/admin/stations/lower-case").then().statusCode(422);
    }

    @Test
    void clientTariffAndStatusFromTheAdminApplyToStart() {
        String st = station(null);
        String client = client(100_000);
        admin().body(Map.of("client_id", client, "fixed_rate_per_kwh", 700)).post("/api/v1/admin/client-tariffs")
                .then().statusCode(200);
        start(client, Map.of("station_id", st, "connector_id", 1)).statusCode(200)
                .body("pricing.rate_per_kwh", equalTo(7.00f)).body("pricing.active_rule", equalTo("client_fixed_rate"));
        String blocked = client(100_000);
        admin().body(Map.of("status", "blocked")).put("/api/v1/admin/clients/" + blocked + "/status")
                .then().statusCode(200);
        start(blocked, Map.of("station_id", st, "connector_id", 2)).statusCode(200)
                .body("error", equalTo("account_blocked"));
        assertEquals(0, PeerStubs.holdsOf(blocked).size());
    }
}
