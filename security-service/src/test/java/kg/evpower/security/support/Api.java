package kg.evpower.security.support;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Test helpers. Every request carries its own X-Forwarded-For (loopback is a trusted proxy in the test profile), so the
 * per-address rate limits and lock-outs of one test never touch another's.
 */
public final class Api {

    public static final String ADMIN_KEY = "test-only-admin-key-0123456789abcdefghijk";
    public static final String GATEWAY_SECRET = "test-only-gateway-secret-0123456789abcdef";

    private Api() {
    }

    public static String newCpId() {
        return "CP-T-" + UUID.randomUUID().toString().substring(0, 12);
    }

    public static String randomAddress() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "198.18." + r.nextInt(256) + "." + r.nextInt(1, 255) + "";
    }

    public static RequestSpecification anon() {
        return given().contentType(ContentType.JSON).header("X-Forwarded-For", randomAddress());
    }

    public static RequestSpecification from(String address) {
        return given().contentType(ContentType.JSON).header("X-Forwarded-For", address);
    }

    private static volatile String serviceToken;

    /** A caller of /internal/**: a service token from this service's own /auth/service-token (client station-gateway). */
    public static RequestSpecification internal() {
        String token = serviceToken;
        if (token == null) {
            token = anon().body(Map.of("client_id", "station-gateway", "client_secret", GATEWAY_SECRET))
                    .post("/auth/service-token").then().statusCode(200).extract().path("access_token");
            serviceToken = token;
        }
        return anon().header("Authorization", "Bearer " + token);
    }

    public static RequestSpecification admin() {
        return anon().header("X-Admin-Key", ADMIN_KEY);
    }

    /** Registers a charge point with a known authorization key; returns the key. */
    public static String register(String cpId) {
        String key = "auth-key-" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        admin().body(Map.of("cp_id", cpId, "location", "Bishkek, Chui 1", "authorization_key", key))
                .post("/admin/charge-points").then().statusCode(201);
        return key;
    }

    public static void status(String cpId, String action, String reason) {
        admin().body(Map.of("cp_id", cpId, "reason", reason)).post("/status/" + action).then().statusCode(200);
    }

    public static List<Row> rows(Pool pool, String sql, Object... params) {
        List<Row> out = new java.util.ArrayList<>();
        pool.preparedQuery(sql).execute(Tuple.from(params)).await().indefinitely().forEach(out::add);
        return out;
    }

    public static long count(Pool pool, String sql, Object... params) {
        return rows(pool, sql, params).getFirst().getLong(0);
    }
}
