package kg.evpower.payment.config;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.runtime.LaunchMode;

/** This instance's own HTTP base URL (the simulator and its callbacks run in-process). */
public final class LocalServer {

    private LocalServer() {
    }

    public static String baseUrl() {
        String name = LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
        String port = System.getProperty(name);
        if (port == null || "0".equals(port)) {
            port = ConfigProvider.getConfig().getOptionalValue(name, String.class).orElse("8083");
        }
        return "http://127.0.0.1:" + port;
    }
}
