package kg.evpower.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Checks the deployment files against the services' own configuration, without running anything: deploy/k8s,
 * deploy/compose.yaml, deploy/.env.example and the nginx API gateway (deploy/gateway). Ports and probes come from
 * each service's application.properties, the variables a service reads from its {@code ${NAME}} expressions (and the
 * platform's), the secrets the prod profile requires from {@code evpower.secrets.required}.
 */
class DeployManifestsTest {

    static final List<String> SERVICES = List.of("security-service", "station-gateway", "payment-service", "charging-service");
    static final String GATEWAY = "api-gateway";
    static final Pattern ENV_EXPRESSION = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");
    static final Pattern ENV_EXAMPLE_LINE = Pattern.compile("^#?\\s*([A-Z][A-Z0-9_]*)=(.*)$");
    static final Pattern SECRET_LIKE = Pattern.compile(".*(SECRET|PASSWORD|ADMIN_KEY|PRIVATE).*");

    static Path root;
    static Map<String, Properties> props = new LinkedHashMap<>();
    static Set<String> platformEnv = new TreeSet<>();
    static Set<String> exampleNames = new TreeSet<>();
    static List<Map<String, Object>> k8s = new ArrayList<>();
    static Map<String, Object> compose;

    @BeforeAll
    static void load() throws IOException {
        root = findRoot();
        for (String service : SERVICES) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(root.resolve(service + "/src/main/resources/application.properties"))) {
                p.load(r);
            }
            props.put(service, p);
        }
        platformEnv.addAll(envExpressions(Files.readString(
                root.resolve("platform/src/main/resources/META-INF/microprofile-config.properties"))));
        for (String line : Files.readAllLines(root.resolve("deploy/.env.example"))) {
            Matcher m = ENV_EXAMPLE_LINE.matcher(line);
            if (m.matches()) {
                exampleNames.add(m.group(1));
            }
        }
        try (Stream<Path> files = Files.list(root.resolve("deploy/k8s"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList()) {
                for (Object doc : new Yaml().loadAll(Files.readString(file))) {
                    if (doc instanceof Map<?, ?> map) {
                        Map<String, Object> m = cast(map);
                        m.put("__file", root.relativize(file).toString());
                        k8s.add(m);
                    }
                }
            }
        }
        compose = cast(new Yaml().load(Files.readString(root.resolve("deploy/compose.yaml"))));
    }

    // ---- deploy/.env.example --------------------------------------------------------------------------------------

    @Test
    void envExampleNamesEveryVariableEachServiceReadsAndHasNoValues() throws IOException {
        List<String> problems = new ArrayList<>();
        for (String service : SERVICES) {
            for (String name : readsFromEnvironment(service)) {
                if (!exampleNames.contains(name)) {
                    problems.add(service + " reads " + name + " but deploy/.env.example does not name it");
                }
            }
        }
        for (String line : Files.readAllLines(root.resolve("deploy/.env.example"))) {
            Matcher m = ENV_EXAMPLE_LINE.matcher(line);
            if (m.matches() && !line.startsWith("#") && !m.group(2).isBlank()) {
                problems.add("deploy/.env.example gives " + m.group(1) + " a value; every value must be empty");
            }
        }
        assertNoProblems(problems);
    }

    // ---- Kubernetes ----------------------------------------------------------------------------------------------

    @Test
    void eachServiceDeploymentListensOnItsPortAndProbesItsHealth() {
        List<String> problems = new ArrayList<>();
        for (String service : SERVICES) {
            int port = Integer.parseInt(props.get(service).getProperty("quarkus.http.port"));
            Map<String, Object> container = mainContainer(service, problems);
            if (container == null) {
                continue;
            }
            List<Map<String, Object>> ports = list(container.get("ports"));
            if (ports.stream().noneMatch(p -> Integer.valueOf(port).equals(p.get("containerPort")))) {
                problems.add(service + ": no containerPort " + port + " (quarkus.http.port)");
            }
            checkProbe(service, container, ports, "readinessProbe", "/q/health/ready", port, problems);
            checkProbe(service, container, ports, "livenessProbe", "/q/health/live", port, problems);
            if (container.get("startupProbe") == null) {
                problems.add(service + ": no startupProbe");
            } else {
                Map<String, Object> get = map(map(container.get("startupProbe")).get("httpGet"));
                if (!String.valueOf(get.get("path")).startsWith("/q/health/") || resolvePort(get.get("port"), ports) != port) {
                    problems.add(service + ": startupProbe must ask /q/health/... on port " + port + ", asks " + get);
                }
            }
            Map<String, Object> resources = map(container.get("resources"));
            if (map(resources.get("requests")).isEmpty() || map(resources.get("limits")).isEmpty()) {
                problems.add(service + ": resources need requests and limits");
            }
            Map<String, Object> svc = object("Service", service);
            if (svc == null) {
                problems.add(service + ": no Service");
            } else {
                Map<String, Object> svcPort = list(map(svc.get("spec")).get("ports")).get(0);
                if (resolvePort(svcPort.get("targetPort"), ports) != port) {
                    problems.add(service + ": Service targetPort does not reach " + port);
                }
            }
            if (k8s.stream().noneMatch(o -> "PodDisruptionBudget".equals(o.get("kind"))
                    && service.equals(map(map(map(o.get("spec")).get("selector")).get("matchLabels")).get("app.kubernetes.io/name")))) {
                problems.add(service + ": no PodDisruptionBudget selecting it");
            }
        }
        for (String scaled : List.of("station-gateway", "charging-service")) {
            if (k8s.stream().noneMatch(o -> "HorizontalPodAutoscaler".equals(o.get("kind"))
                    && scaled.equals(map(map(o.get("spec")).get("scaleTargetRef")).get("name")))) {
                problems.add(scaled + ": no HorizontalPodAutoscaler");
            }
        }
        assertNoProblems(problems);
    }

    @Test
    void kubernetesEnvironmentUsesOnlyDocumentedNamesAndProvidesEveryRequiredSecret() {
        List<String> problems = new ArrayList<>();
        List<String> deployments = new ArrayList<>(SERVICES);
        deployments.add(GATEWAY);
        for (String name : deployments) {
            Map<String, Object> container = mainContainer(name, problems);
            if (container == null) {
                continue;
            }
            Set<String> fromSecrets = new TreeSet<>();
            Set<String> provided = new TreeSet<>();
            for (Map<String, Object> env : list(container.get("env"))) {
                String envName = String.valueOf(env.get("name"));
                provided.add(envName);
                requireDocumented(name + " env", envName, problems);
                Map<String, Object> secretRef = map(map(env.get("valueFrom")).get("secretKeyRef"));
                if (!secretRef.isEmpty()) {
                    fromSecrets.add(envName);
                    requireDocumented(name + " secretKeyRef key", String.valueOf(secretRef.get("key")), problems);
                } else if (env.containsKey("value") && isSecretName(envName)) {
                    problems.add(name + ": " + envName + " has a literal value; secrets only by secretKeyRef");
                }
            }
            for (Map<String, Object> from : list(container.get("envFrom"))) {
                if (from.containsKey("secretRef")) {
                    problems.add(name + ": envFrom secretRef hands over every key; reference each secret with secretKeyRef");
                }
                String cmName = String.valueOf(map(from.get("configMapRef")).get("name"));
                Map<String, Object> cm = object("ConfigMap", cmName);
                if (cm == null) {
                    problems.add(name + ": envFrom ConfigMap " + cmName + " is not defined");
                    continue;
                }
                for (String key : map(cm.get("data")).keySet()) {
                    provided.add(key);
                    requireDocumented(name + " ConfigMap " + cmName, key, problems);
                }
            }
            if (SERVICES.contains(name)) {
                for (String secret : requiredSecrets(name)) {
                    if (!fromSecrets.contains(secret)) {
                        problems.add(name + ": the prod profile requires " + secret + " but no secretKeyRef provides it");
                    }
                }
            }
        }
        assertNoProblems(problems);
    }

    @Test
    void kubernetesCommitsNoSecretValue() {
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> o : k8s) {
            if ("Secret".equals(o.get("kind"))) {
                problems.add(o.get("__file") + ": a Secret object is committed; create it with kubectl (deploy/k8s/README.md)");
            }
            if ("ConfigMap".equals(o.get("kind"))) {
                for (Map.Entry<String, Object> e : map(o.get("data")).entrySet()) {
                    if (isSecretName(e.getKey())) {
                        problems.add(o.get("__file") + ": ConfigMap holds " + e.getKey() + "; secrets belong in the Secret");
                    }
                }
            }
        }
        assertNoProblems(problems);
    }

    @Test
    void everyPodRunsNonRootOnAReadOnlyRootFilesystem() {
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> deployment : objects("Deployment")) {
            String name = String.valueOf(map(deployment.get("metadata")).get("name"));
            Map<String, Object> pod = map(map(map(deployment.get("spec")).get("template")).get("spec"));
            Map<String, Object> podSecurity = map(pod.get("securityContext"));
            Set<String> emptyDirs = new TreeSet<>();
            for (Map<String, Object> volume : list(pod.get("volumes"))) {
                if (volume.containsKey("emptyDir")) {
                    emptyDirs.add(String.valueOf(volume.get("name")));
                }
            }
            for (Map<String, Object> container : list(pod.get("containers"))) {
                Map<String, Object> sc = map(container.get("securityContext"));
                String where = name + "/" + container.get("name");
                if (!Boolean.TRUE.equals(sc.get("runAsNonRoot")) && !Boolean.TRUE.equals(podSecurity.get("runAsNonRoot"))) {
                    problems.add(where + ": runAsNonRoot is not true");
                }
                Object uid = sc.getOrDefault("runAsUser", podSecurity.get("runAsUser"));
                if (uid == null || Integer.valueOf(0).equals(uid)) {
                    problems.add(where + ": runAsUser must be a non-zero uid");
                }
                if (!Boolean.TRUE.equals(sc.get("readOnlyRootFilesystem"))) {
                    problems.add(where + ": readOnlyRootFilesystem is not true");
                }
                if (!Boolean.FALSE.equals(sc.get("allowPrivilegeEscalation"))) {
                    problems.add(where + ": allowPrivilegeEscalation is not false");
                }
                if (Boolean.TRUE.equals(sc.get("privileged"))) {
                    problems.add(where + ": privileged");
                }
                boolean tmp = list(container.get("volumeMounts")).stream()
                        .anyMatch(m -> "/tmp".equals(m.get("mountPath")) && emptyDirs.contains(String.valueOf(m.get("name"))));
                if (!tmp) {
                    problems.add(where + ": /tmp is not an emptyDir mount");
                }
            }
        }
        assertFalse(objects("Deployment").isEmpty(), "no Deployment found in deploy/k8s");
        assertNoProblems(problems);
    }

    // ---- docker compose -------------------------------------------------------------------------------------------

    @Test
    void composePostgresEndsTransactionsLeftOpen() {
        // the outbox relays of every service wait for the server's oldest running transaction (docs/runbook.md 7.6)
        Object command = map(map(compose.get("services")).get("postgres")).get("command");
        assertTrue(String.valueOf(command).contains("idle_in_transaction_session_timeout="),
                "compose postgres must set idle_in_transaction_session_timeout, has command " + command);
    }

    @Test
    void composeGivesEachServiceItsSecretsByInterpolationAndChecksReadiness() {
        List<String> problems = new ArrayList<>();
        Map<String, Object> services = map(compose.get("services"));
        List<String> ours = new ArrayList<>(SERVICES);
        ours.add(GATEWAY);
        for (String name : ours) {
            Map<String, Object> service = map(services.get(name));
            if (service.isEmpty()) {
                problems.add("compose: no service " + name);
                continue;
            }
            Map<String, String> env = composeEnvironment(service.get("environment"));
            for (Map.Entry<String, String> e : env.entrySet()) {
                requireDocumented("compose " + name + " environment", e.getKey(), problems);
                Matcher refs = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)").matcher(e.getValue());
                while (refs.find()) {
                    requireDocumented("compose " + name + " ${...}", refs.group(1), problems);
                }
                if (isSecretName(e.getKey()) && !e.getValue().matches("\\$\\{[A-Z][A-Z0-9_]*(:\\?[^}]*)?}")) {
                    problems.add("compose " + name + ": " + e.getKey() + " must be ${VAR:?...} from deploy/.env, not a literal");
                }
            }
            if (!Boolean.TRUE.equals(service.get("read_only"))) {
                problems.add("compose " + name + ": read_only is not true");
            }
            if (!String.valueOf(service.get("tmpfs")).contains("/tmp")) {
                problems.add("compose " + name + ": no tmpfs on /tmp");
            }
            if (!SERVICES.contains(name)) {
                continue;
            }
            for (String secret : requiredSecrets(name)) {
                String value = env.get(secret);
                if (value == null || !value.matches("\\$\\{[A-Z][A-Z0-9_]*:\\?[^}]*}")) {
                    problems.add("compose " + name + ": the prod profile requires " + secret
                            + " but compose does not give it as ${VAR:?...} (got " + value + ")");
                }
            }
            String port = props.get(name).getProperty("quarkus.http.port");
            String health = String.valueOf(map(service.get("healthcheck")).get("test"));
            if (!health.contains("/q/health/ready") || !health.contains(port)) {
                problems.add("compose " + name + ": healthcheck must ask /q/health/ready on " + port + ": " + health);
            }
            Map<String, Object> build = map(service.get("build"));
            Path dockerfile = root.resolve("deploy").resolve(String.valueOf(build.get("context")))
                    .resolve(String.valueOf(build.get("dockerfile"))).normalize();
            if (!Files.isRegularFile(dockerfile)) {
                problems.add("compose " + name + ": Dockerfile " + dockerfile + " does not exist");
            }
        }
        assertNoProblems(problems);
    }

    // ---- Dockerfiles ----------------------------------------------------------------------------------------------

    @Test
    void imagesRunAsANonRootUser() throws IOException {
        List<String> problems = new ArrayList<>();
        for (String service : SERVICES) {
            for (String kind : List.of("Dockerfile.jvm", "Dockerfile.native")) {
                Path file = root.resolve(service + "/src/main/docker/" + kind);
                if (!Files.isRegularFile(file)) {
                    problems.add(service + ": missing " + kind);
                    continue;
                }
                String text = Files.readString(file);
                Matcher user = Pattern.compile("(?m)^USER\\s+(\\S+)").matcher(text);
                String last = null;
                while (user.find()) {
                    last = user.group(1);
                }
                if (last == null || last.equals("0") || last.startsWith("root")) {
                    problems.add(service + "/" + kind + ": the final USER must be non-root, is " + last);
                }
                if (!text.contains("EXPOSE " + props.get(service).getProperty("quarkus.http.port"))) {
                    problems.add(service + "/" + kind + ": does not EXPOSE quarkus.http.port");
                }
            }
        }
        assertNoProblems(problems);
    }

    // ---- nginx API gateway ----------------------------------------------------------------------------------------

    @Test
    void gatewayNeverRoutesInternalOperationsOrAdminPaths() throws IOException {
        List<String> problems = new ArrayList<>();
        Path dir = root.resolve("deploy/gateway");
        assertTrue(Files.isRegularFile(dir.resolve("nginx.conf")), "deploy/gateway/nginx.conf is missing");
        Set<String> proxied = new LinkedHashSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".conf")).sorted().toList()) {
                String text = stripComments(Files.readString(file, StandardCharsets.UTF_8));
                if (text.contains("$proxy_add_x_forwarded_for")) {
                    problems.add(file.getFileName() + ": appends to X-Forwarded-For; it must be overwritten with $remote_addr");
                }
                Matcher xff = Pattern.compile("proxy_set_header\\s+X-Forwarded-For\\s+(\\S+);").matcher(text);
                while (xff.find()) {
                    if (!xff.group(1).equals("$remote_addr")) {
                        problems.add(file.getFileName() + ": X-Forwarded-For set to " + xff.group(1) + ", not $remote_addr");
                    }
                }
                for (Map.Entry<String, String> location : locations(text).entrySet()) {
                    String[] parts = location.getKey().trim().split("\\s+");
                    String path = parts[parts.length - 1];
                    boolean regex = parts.length > 1 && parts[0].startsWith("~");
                    String body = location.getValue();
                    if (!body.contains("proxy_pass")) {
                        continue;
                    }
                    proxied.add(location.getKey().trim());
                    if (regex) {
                        problems.add(file.getFileName() + ": regex location '" + location.getKey().trim()
                                + "' proxies; only prefix/exact locations, so nothing matches /internal or /q by accident");
                    }
                    if (path.equals("/") || path.startsWith("/internal") || path.startsWith("/q/") || path.equals("/q")
                            || path.startsWith("/admin") || path.startsWith("/api/v1/admin") || path.startsWith("@")) {
                        problems.add(file.getFileName() + ": location '" + location.getKey().trim() + "' must not proxy");
                    }
                }
            }
        }
        if (proxied.isEmpty()) {
            problems.add("no proxied location found in deploy/gateway: the check read nothing");
        }
        String routes = Files.readString(dir.resolve("routes.conf"));
        for (String path : List.of("/internal", "/q/", "/admin")) {
            if (!Pattern.compile("location\\s+\\^~\\s+" + Pattern.quote(path) + "\\s*\\{\\s*return 404;").matcher(routes).find()) {
                problems.add("routes.conf: no explicit 'location ^~ " + path + " { return 404; }'");
            }
        }
        assertNoProblems(problems);
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    static Path findRoot() throws IOException {
        String configured = System.getProperty("evpower.root");
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path pom = dir.resolve("pom.xml");
            if (Files.isRegularFile(pom) && Files.readString(pom).contains("<module>platform</module>")) {
                return dir;
            }
        }
        throw new IllegalStateException("repository root not found from " + Paths.get("").toAbsolutePath()
                + "; set -Devpower.root");
    }

    static Set<String> envExpressions(String text) {
        Set<String> names = new TreeSet<>();
        for (String line : text.split("\n")) {
            if (line.stripLeading().startsWith("#")) {
                continue;
            }
            Matcher m = ENV_EXPRESSION.matcher(line);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** The environment variables a service reads: its ${NAME} expressions, the platform's, its required secrets. */
    static Set<String> readsFromEnvironment(String service) throws IOException {
        Set<String> names = new TreeSet<>(platformEnv);
        names.addAll(envExpressions(Files.readString(root.resolve(service + "/src/main/resources/application.properties"))));
        names.addAll(requiredSecrets(service));
        return names;
    }

    static List<String> requiredSecrets(String service) {
        String value = props.get(service).getProperty("evpower.secrets.required", "");
        return Stream.of(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    static boolean isSecretName(String name) {
        if (SECRET_LIKE.matcher(name).matches()) {
            return true;
        }
        return SERVICES.stream().anyMatch(s -> requiredSecrets(s).contains(name));
    }

    static void requireDocumented(String where, String name, List<String> problems) {
        if (!exampleNames.contains(name)) {
            problems.add(where + ": " + name + " is not named in deploy/.env.example");
        }
    }

    static void checkProbe(String service, Map<String, Object> container, List<Map<String, Object>> ports, String probe,
            String path, int port, List<String> problems) {
        Map<String, Object> get = map(map(container.get(probe)).get("httpGet"));
        if (!path.equals(get.get("path")) || resolvePort(get.get("port"), ports) != port) {
            problems.add(service + ": " + probe + " must be GET " + path + " on " + port + ", is " + get);
        }
    }

    static int resolvePort(Object port, List<Map<String, Object>> ports) {
        if (port instanceof Integer i) {
            return i;
        }
        for (Map<String, Object> p : ports) {
            if (String.valueOf(port).equals(p.get("name")) && p.get("containerPort") instanceof Integer i) {
                return i;
            }
        }
        return -1;
    }

    static Map<String, Object> mainContainer(String deployment, List<String> problems) {
        Map<String, Object> d = object("Deployment", deployment);
        if (d == null) {
            problems.add(deployment + ": no Deployment in deploy/k8s");
            return null;
        }
        List<Map<String, Object>> containers = list(map(map(map(d.get("spec")).get("template")).get("spec")).get("containers"));
        return containers.stream().filter(c -> deployment.equals(c.get("name"))).findFirst()
                .orElseGet(() -> containers.isEmpty() ? null : containers.get(0));
    }

    static Map<String, Object> object(String kind, String name) {
        return k8s.stream().filter(o -> kind.equals(o.get("kind")) && name.equals(map(o.get("metadata")).get("name")))
                .findFirst().orElse(null);
    }

    static List<Map<String, Object>> objects(String kind) {
        return k8s.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    static Map<String, String> composeEnvironment(Object environment) {
        Map<String, String> env = new LinkedHashMap<>();
        if (environment instanceof Map<?, ?> m) {
            m.forEach((k, v) -> env.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        } else if (environment instanceof List<?> l) {
            for (Object item : l) {
                String s = String.valueOf(item);
                int eq = s.indexOf('=');
                env.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
            }
        }
        return env;
    }

    static String stripComments(String conf) {
        StringBuilder out = new StringBuilder();
        for (String line : conf.split("\n")) {
            int hash = line.indexOf('#');
            out.append(hash < 0 ? line : line.substring(0, hash)).append('\n');
        }
        return out.toString();
    }

    /** location header ("= /path", "^~ /path", "/path") → its block's text, nested blocks included. */
    static Map<String, String> locations(String conf) {
        Map<String, String> found = new LinkedHashMap<>();
        Matcher m = Pattern.compile("location\\s+([^{;]+)\\{").matcher(conf);
        while (m.find()) {
            int depth = 1;
            int i = m.end();
            while (i < conf.length() && depth > 0) {
                char c = conf.charAt(i++);
                if (c == '{') {
                    depth++;
                } else if (c == '}') {
                    depth--;
                }
            }
            found.merge(m.group(1).trim(), conf.substring(m.end(), i - 1), (a, b) -> a + b);
        }
        return found;
    }

    static void assertNoProblems(List<String> problems) {
        if (!problems.isEmpty()) {
            fail(problems.size() + " problem(s):\n  " + String.join("\n  ", problems));
        }
        assertEquals(List.of(), problems);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> cast(Object o) {
        return o instanceof Map<?, ?> ? (Map<String, Object>) o : new LinkedHashMap<>();
    }

    static Map<String, Object> map(Object o) {
        return cast(o);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object o) {
        if (!(o instanceof List<?> l)) {
            return List.of();
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object item : l) {
            out.add(item instanceof Map<?, ?> ? (Map<String, Object>) item : new LinkedHashMap<>());
        }
        return out;
    }
}
