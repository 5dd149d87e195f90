package kg.evpower.platform.testing;

import static io.restassured.RestAssured.given;

import java.util.OptionalDouble;

/** Reads one sample of this service's {@code /q/metrics} (Prometheus text format). */
public final class Metrics {

    private Metrics() {
    }

    public static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /**
     * The value of the sample {@code name} whose labels include every {@code label="value"} pair given (e.g.
     * {@code reason="wrong_key"}); empty when there is none.
     */
    public static OptionalDouble find(String scrape, String name, String... labels) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            String series = line.substring(0, space);
            boolean all = true;
            for (String label : labels) {
                all &= series.contains(label);
            }
            if (all) {
                return OptionalDouble.of(Double.parseDouble(line.substring(space + 1)));
            }
        }
        return OptionalDouble.empty();
    }

    /** The value now, failing when the sample is not exposed at all. */
    public static double value(String name, String... labels) {
        return find(scrape(), name, labels).orElseThrow(() -> new AssertionError(name + " " + String.join(",", labels)
                + " is not on /q/metrics"));
    }
}
