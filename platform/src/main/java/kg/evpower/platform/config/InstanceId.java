package kg.evpower.platform.config;

import java.net.InetAddress;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The name of this running instance (replica): its stream consumer name and, in the gateway, its station routing key. */
@ApplicationScoped
public class InstanceId {

    private final String value;

    InstanceId(@ConfigProperty(name = "evpower.instance-id") Optional<String> configured) {
        this.value = configured.filter(v -> !v.isBlank()).orElseGet(InstanceId::generate);
    }

    public String value() {
        return value;
    }

    private static String generate() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "instance";
        }
        return host.replaceAll("[^A-Za-z0-9.-]", "-") + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
