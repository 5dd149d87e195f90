package kg.evpower.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Every metric the alert rules and the Grafana dashboard of deploy/monitoring/ name exists on {@code /q/metrics} of at
 * least one of the four services of the running platform (the one shared with WholeStoryIT). Names Prometheus makes up
 * itself ({@code up}) are not looked for; histogram series are looked for by their base name.
 */
class MonitoringIT {

    private static final List<String> SERVICES = List.of(Platform.STATIONS, Platform.CHARGING, Platform.PAYMENT,
            Platform.SECURITY);
    /** Series Prometheus itself produces for every target. */
    private static final Set<String> SYNTHETIC = Set.of("up", "scrape_duration_seconds", "scrape_samples_scraped");
    /** PromQL words that look like metric names: aggregations, keywords, modifiers. */
    private static final Set<String> KEYWORDS = Set.of("sum", "min", "max", "avg", "count", "stddev", "stdvar", "topk",
            "bottomk", "quantile", "count_values", "group", "by", "without", "on", "ignoring", "group_left", "group_right",
            "and", "or", "unless", "bool", "offset", "inf", "nan", "atan2");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Path MONITORING = Processes.root().resolve("deploy/monitoring");

    @BeforeAll
    static void start() throws Exception {
        Platform.shared();
    }

    /** The metric names of one PromQL expression: no functions, keywords, labels, strings, durations or numbers. */
    static Set<String> metricNames(String expr) {
        String s = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")      // string literals
                .replaceAll("\\{[^}]*}", " ")                                // label matchers
                .replaceAll("\\[[^]]*]", " ")                                // range and subquery durations
                .replaceAll("(?i)\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            String word = m.group();
            int after = m.end();
            while (after < s.length() && Character.isWhitespace(s.charAt(after))) {
                after++;
            }
            boolean function = after < s.length() && s.charAt(after) == '(';
            boolean partOfNumber = m.start() > 0 && (Character.isDigit(s.charAt(m.start() - 1)) || s.charAt(m.start() - 1) == '.');
            if (function || partOfNumber || KEYWORDS.contains(word.toLowerCase())) {
                continue;
            }
            names.add(word.replaceAll("_(bucket|count|sum)$", ""));
        }
        return names;
    }

    /** Every expression of the rule file (alerting and recording rules). */
    @SuppressWarnings("unchecked")
    static List<String> ruleExpressions(String yaml) {
        List<String> exprs = new ArrayList<>();
        Map<String, Object> doc = new Yaml().load(yaml);
        for (Map<String, Object> group : (List<Map<String, Object>>) doc.get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                exprs.add(String.valueOf(rule.get("expr")));
            }
        }
        return exprs;
    }

    /** Every target expression of the dashboard's panels (rows with nested panels included). */
    static List<String> dashboardExpressions(String json) throws Exception {
        List<String> exprs = new ArrayList<>();
        collect(Platform.JSON.readTree(json).path("panels"), exprs);
        return exprs;
    }

    private static void collect(JsonNode panels, List<String> exprs) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                if (target.hasNonNull("expr")) {
                    exprs.add(target.get("expr").asText());
                }
            }
            collect(panel.path("panels"), exprs);
        }
    }

    /** The names that no service's scrape exposes as a sample. */
    static Set<String> missing(Set<String> names, List<String> scrapes) {
        Set<String> missing = new TreeSet<>();
        for (String name : names) {
            if (SYNTHETIC.contains(name)) {
                continue;
            }
            Pattern sample = Pattern.compile("(?m)^" + Pattern.quote(name) + "(_bucket|_count|_sum)?[{ ]");
            if (scrapes.stream().noneMatch(scrape -> sample.matcher(scrape).find())) {
                missing.add(name);
            }
        }
        return missing;
    }

    private static List<String> scrapes() throws Exception {
        List<String> scrapes = new ArrayList<>();
        for (String service : SERVICES) {
            Platform.Answer answer = Platform.call("GET", service + "/q/metrics", Map.of(), null);
            assertEquals(200, answer.status(), service + "/q/metrics");
            scrapes.add(answer.raw());
        }
        return scrapes;
    }

    private static Set<String> referenced() throws Exception {
        Set<String> names = new TreeSet<>();
        for (String expr : ruleExpressions(Files.readString(MONITORING.resolve("prometheus-rules.yaml")))) {
            names.addAll(metricNames(expr));
        }
        for (String expr : dashboardExpressions(Files.readString(MONITORING.resolve("grafana-dashboard.json")))) {
            names.addAll(metricNames(expr));
        }
        return names;
    }

    @Test
    void theExpressionParserFindsMetricNamesOnly() {
        assertEquals(Set.of("http_server_requests_seconds"), metricNames(
                "histogram_quantile(0.95, sum by (job, le) (rate(http_server_requests_seconds_bucket{job=\"a b\"}[5m])))"));
        assertEquals(Set.of("evpower_rate_limit_total", "evpower_charging_rate_limit_total"), metricNames(
                "sum by (job) (increase(evpower_rate_limit_total{outcome=\"unavailable\"}[5m])) > 0 or "
                        + "sum by (job) (increase(evpower_charging_rate_limit_total{outcome=\"unavailable\"}[5m])) > 1e3"));
        assertEquals(Set.of("up"), metricNames("up{job=~\"x|y\"} == 0"));
    }

    @Test
    void everyMetricOfTheRulesAndTheDashboardIsExposedBySomeService() throws Exception {
        Set<String> names = referenced();
        assertTrue(names.size() >= 15, "the rules and the dashboard name the platform's metrics: " + names);
        // The suspicious-request counter is created by the first refused request (platform HttpHardening): make one.
        Platform.Answer refused = Platform.call("GET", Platform.SECURITY + "/api/v1/%2e%2e/%2e%2e/etc/passwd", Map.of(), null);
        assertEquals(400, refused.status(), "a path traversal is refused: " + refused);
        // The stream gauges appear with the first sample (15 s period, 5 s after start).
        Set<String> missing = missing(names, scrapes());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!missing.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(2_000);
            missing = missing(names, scrapes());
        }
        assertEquals(Set.of(), missing, "named in deploy/monitoring but on no service's /q/metrics");
    }

    @Test
    void aMetricNoServiceHasIsReported() throws Exception {
        String rules = "groups:\n  - name: x\n    rules:\n      - alert: Made\n"
                + "        expr: rate(evpower_made_up_metric_total[5m]) > 0 or evpower_outbox_pending > 1\n";
        Set<String> names = new TreeSet<>();
        ruleExpressions(rules).forEach(expr -> names.addAll(metricNames(expr)));
        assertEquals(Set.of("evpower_made_up_metric_total"), missing(names, scrapes()));
    }
}
