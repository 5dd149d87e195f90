package kg.evpower.simulator;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The parsed command line, built with {@link #parse(String...)}.
 * {@code urls} holds one endpoint or more ({@code --url a,b}): station i of {@link #stationIds()} connects to
 * {@code urls[i % n]} ({@link #urlFor(int)}).
 */
public record SimulatorOptions(
        List<URI> urls,
        List<String> stationIds,
        Map<String, String> passwords,
        int connectors,
        String vendor,
        String model,
        String firmwareVersion,
        double powerKw,
        Duration meterInterval,
        double carKwh,
        Scenario scenario,
        String idTag,
        Duration sessionDuration,
        Duration thinkTime,
        Duration heartbeatOverride,
        Duration callTimeout,
        Duration backoffMin,
        Duration backoffMax,
        Duration stepDelay,
        boolean verbose,
        boolean load,
        double rampPerSecond,
        Duration duration,
        Duration settle,
        int threads) {

    public static final int MAX_LOAD_STATIONS = 50_000;
    public static final Duration MAX_LOAD_DURATION = Duration.ofHours(2);

    public static final String USAGE = """
            Usage: java -jar station-simulator.jar --url ws://127.0.0.1:8081/ocpp [options]
              --url URL[,URL...]        central system endpoint; the station id is appended as a path segment.
                                        With several, station i (in id order) uses URL number i mod n
              --stations N              number of stations (default 1), ids PREFIX001..
              --id-prefix P             id prefix for --stations (default SIM-)
              --ids A,B,C               explicit station ids (instead of --stations)
              --connectors K            connectors per station (default 2)
              --password P              authorization key sent as HTTP Basic (user = station id)
              --credentials-file F      lines id:password; without --ids/--stations its ids are used
              --vendor V --model M --firmware F   BootNotification fields (defaults EvPower, SimCharger-22, 1.0.0)
              --power-kw X              charging power (default 22)
              --meter-interval S        seconds between MeterValues (default 10; decimals allowed)
              --car-kwh X               energy a car takes before it is full and unplugs (default 40; 0 = never full)
              --scenario none|auto|idle|charging   own activity (default none; load default idle)
              --id-tag T                id tag for local starts (default SIMTAG0001)
              --session-seconds S       charging time of one local session (default 60)
              --think-seconds S         pause between local sessions (default 10)
              --heartbeat-interval S    heartbeat every S seconds instead of the boot answer's interval
              --call-timeout S          seconds to wait for an answer (default 30)
              --backoff-min S --backoff-max S   reconnect backoff (default 1 and 60)
              --step-delay S            pace of simulated diagnostics/firmware/reset steps (default 1)
              --verbose                 one log line per OCPP message in and out (stderr)
              --load                    load mode: bounded run, loopback only, JSON summary on stdout
              --ramp R                  load: stations started per second (default 50)
              --duration S              load: length of the run in seconds (default 60, at most 7200)
              --settle-seconds S        load: the steady state's latencies count calls sent from S seconds after
                                        the last station's connection attempt ended (default 10)
              --threads T               worker threads (default: number of cores, at least 2)
              --help
            """;

    public static SimulatorOptions parse(String... args) {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> flags = List.of("--verbose", "--load", "--help");
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + arg);
            }
            int eq = arg.indexOf('=');
            if (eq > 0) {
                values.put(arg.substring(0, eq), arg.substring(eq + 1));
            } else if (flags.contains(arg)) {
                values.put(arg, "true");
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(arg + " needs a value");
                }
                values.put(arg, args[++i]);
            }
        }
        if (values.containsKey("--help")) {
            throw new HelpRequested();
        }
        List<String> known = List.of("--url", "--stations", "--id-prefix", "--ids", "--connectors", "--password",
                "--credentials-file", "--vendor", "--model", "--firmware", "--power-kw", "--meter-interval", "--car-kwh",
                "--scenario", "--id-tag", "--session-seconds", "--think-seconds", "--heartbeat-interval", "--call-timeout",
                "--backoff-min", "--backoff-max", "--step-delay", "--verbose", "--load", "--ramp", "--duration", "--settle-seconds",
                "--threads");
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException("unknown option " + key);
            }
        }
        boolean load = values.containsKey("--load");
        String urlText = values.get("--url");
        if (urlText == null) {
            throw new IllegalArgumentException("--url is required");
        }
        List<URI> urls = parseUrls(urlText);
        if (load) {
            urls.forEach(SimulatorOptions::requireLoopback);
        }

        Map<String, String> passwords = new HashMap<>();
        List<String> fileIds = new ArrayList<>();
        if (values.containsKey("--credentials-file")) {
            readCredentials(Path.of(values.get("--credentials-file")), passwords, fileIds);
        }
        List<String> ids = new ArrayList<>();
        if (values.containsKey("--ids")) {
            for (String id : values.get("--ids").split(",")) {
                if (!id.isBlank()) {
                    ids.add(id.trim());
                }
            }
        } else if (!values.containsKey("--stations") && !fileIds.isEmpty()) {
            ids.addAll(fileIds);
        } else {
            int count = intValue(values, "--stations", 1, 1, load ? MAX_LOAD_STATIONS : 100_000);
            String prefix = values.getOrDefault("--id-prefix", "SIM-");
            int width = Math.max(3, Integer.toString(count).length());
            for (int i = 1; i <= count; i++) {
                ids.add(prefix + String.format(Locale.ROOT, "%0" + width + "d", i));
            }
        }
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("no station ids");
        }
        if (load && ids.size() > MAX_LOAD_STATIONS) {
            throw new IllegalArgumentException("load mode is bounded to " + MAX_LOAD_STATIONS + " stations");
        }
        for (String id : ids) {
            if (id.length() > 48 || id.contains("/")) {
                throw new IllegalArgumentException("station id must be at most 48 characters without '/': " + id);
            }
        }
        if (values.containsKey("--password")) {
            for (String id : ids) {
                passwords.putIfAbsent(id, values.get("--password"));
            }
        }
        Scenario scenario = Scenario.parse(values.getOrDefault("--scenario", load ? "idle" : "none"));
        Duration duration = null;
        if (load) {
            duration = seconds(values, "--duration", 60);
            if (duration.isZero() || duration.compareTo(MAX_LOAD_DURATION) > 0) {
                throw new IllegalArgumentException("--duration must be between 1 and " + MAX_LOAD_DURATION.toSeconds() + " seconds");
            }
        } else if (values.containsKey("--duration")) {
            duration = seconds(values, "--duration", 0);
        }
        double ramp = doubleValue(values, "--ramp", 50, 0.01, 10_000);
        Duration heartbeat = values.containsKey("--heartbeat-interval") ? seconds(values, "--heartbeat-interval", 0) : null;
        if (heartbeat != null && heartbeat.isZero()) {
            throw new IllegalArgumentException("--heartbeat-interval must be positive");
        }
        Duration meter = seconds(values, "--meter-interval", 10);
        if (meter.toMillis() < 10) {
            throw new IllegalArgumentException("--meter-interval must be at least 0.01 seconds");
        }
        int cores = Runtime.getRuntime().availableProcessors();
        return new SimulatorOptions(
                urls, List.copyOf(ids), Map.copyOf(passwords),
                intValue(values, "--connectors", 2, 1, 32),
                text(values, "--vendor", "EvPower", 20),
                text(values, "--model", "SimCharger-22", 20),
                text(values, "--firmware", "1.0.0", 50),
                doubleValue(values, "--power-kw", 22, 0, 1000),
                meter,
                doubleValue(values, "--car-kwh", 40, 0, 10_000),
                scenario,
                text(values, "--id-tag", "SIMTAG0001", 20),
                seconds(values, "--session-seconds", 60),
                seconds(values, "--think-seconds", 10),
                heartbeat,
                positive(seconds(values, "--call-timeout", 30), "--call-timeout"),
                positive(seconds(values, "--backoff-min", 1), "--backoff-min"),
                positive(seconds(values, "--backoff-max", 60), "--backoff-max"),
                seconds(values, "--step-delay", 1),
                values.containsKey("--verbose"),
                load,
                ramp,
                duration,
                seconds(values, "--settle-seconds", 10),
                intValue(values, "--threads", Math.max(2, cores), 1, 64));
    }

    /** Thrown for --help. */
    public static final class HelpRequested extends RuntimeException {
        HelpRequested() {
            super("help", null, false, false);
        }
    }

    /** One endpoint or a comma-separated list of them (blank items are skipped); at least one. */
    static List<URI> parseUrls(String text) {
        List<URI> urls = new ArrayList<>();
        for (String item : text.split(",")) {
            if (!item.isBlank()) {
                urls.add(parseUrl(item.strip()));
            }
        }
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("--url is required");
        }
        return List.copyOf(urls);
    }

    static URI parseUrl(String text) {
        URI url;
        try {
            url = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--url is not a URL: " + text);
        }
        if (url.getScheme() == null || !(url.getScheme().equals("ws") || url.getScheme().equals("wss"))) {
            throw new IllegalArgumentException("--url must be ws:// or wss://");
        }
        if (url.getHost() == null) {
            throw new IllegalArgumentException("--url has no host");
        }
        return url;
    }

    /** Load mode may only target this machine: localhost or a loopback literal; names are never resolved. */
    public static void requireLoopback(URI url) {
        String host = url.getHost();
        if (host == null) {
            throw new IllegalArgumentException("--url has no host");
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (bare.equalsIgnoreCase("localhost")) {
            return;
        }
        boolean literal = bare.contains(":") || bare.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        if (literal) {
            try {
                if (InetAddress.getByName(bare).isLoopbackAddress()) {
                    return;
                }
            } catch (IOException e) {
                // falls through to the refusal
            }
        }
        throw new IllegalArgumentException("load mode only targets loopback addresses (127.0.0.0/8, ::1, localhost), not " + host);
    }

    private static void readCredentials(Path file, Map<String, String> passwords, List<String> ids) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read --credentials-file " + file + ": " + e.getMessage());
        }
        for (String line : lines) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int colon = trimmed.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("--credentials-file lines must be id:password");
            }
            String id = trimmed.substring(0, colon);
            passwords.put(id, trimmed.substring(colon + 1));
            ids.add(id);
        }
    }

    private static String text(Map<String, String> values, String key, String fallback, int maxLength) {
        String value = values.getOrDefault(key, fallback);
        if (value.isEmpty() || value.length() > maxLength) {
            throw new IllegalArgumentException(key + " must be 1.." + maxLength + " characters");
        }
        return value;
    }

    private static int intValue(Map<String, String> values, String key, int fallback, int min, int max) {
        if (!values.containsKey(key)) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(values.get(key).trim());
            if (value < min || value > max) {
                throw new IllegalArgumentException(key + " must be between " + min + " and " + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number");
        }
    }

    private static double doubleValue(Map<String, String> values, String key, double fallback, double min, double max) {
        if (!values.containsKey(key)) {
            return fallback;
        }
        try {
            double value = Double.parseDouble(values.get(key).trim());
            if (!(value >= min && value <= max)) {
                throw new IllegalArgumentException(key + " must be between " + min + " and " + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number");
        }
    }

    private static Duration seconds(Map<String, String> values, String key, double fallback) {
        double value = doubleValue(values, key, fallback, 0, 86_400);
        return Duration.ofNanos(Math.round(value * 1_000_000_000L));
    }

    private static Duration positive(Duration value, String key) {
        if (value.isZero()) {
            throw new IllegalArgumentException(key + " must be positive");
        }
        return value;
    }

    /** The endpoint of the station at {@code stationIndex} in {@link #stationIds()}: round robin over {@code urls}. */
    public URI urlFor(int stationIndex) {
        return urls.get(Math.floorMod(stationIndex, urls.size()));
    }

    /** The endpoints as given, comma-separated (the single URL when there is one). */
    public String urlText() {
        return String.join(",", urls.stream().map(URI::toString).toList());
    }

    public String passwordFor(String stationId) {
        return passwords.get(stationId);
    }
}
