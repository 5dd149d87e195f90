package kg.evpower.platform.probe;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import kg.evpower.platform.retention.RetentionRule;
import kg.evpower.platform.retention.TableRetention;

/** The test application's retention rule: probe items older than a day go, except those named "pinned-…". */
@ApplicationScoped
public class ProbeRetention {

    @Produces
    @ApplicationScoped
    RetentionRule probeItems() {
        return TableRetention.of("probe_item", "created_at", Duration.ofDays(1)).where("name NOT LIKE 'pinned-%'");
    }
}
