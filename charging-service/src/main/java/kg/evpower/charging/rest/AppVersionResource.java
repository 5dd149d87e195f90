package kg.evpower.charging.rest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import kg.evpower.charging.config.ChargingConfig;
import kg.evpower.charging.service.AppError;

/** Issue 10 "App support": tells an app build whether it must update (public, versions from config). */
@Path("/api/v1/app")
@Produces(MediaType.APPLICATION_JSON)
public class AppVersionResource {

    static final Pattern VERSION = Pattern.compile("^(\\d{1,4})\\.(\\d{1,4})\\.(\\d{1,4})$");

    private final ChargingConfig config;

    AppVersionResource(ChargingConfig config) {
        this.config = config;
    }

    @GET
    @Path("/version")
    public Map<String, Object> version(@QueryParam("platform") String platform, @QueryParam("version") String version) {
        ChargingConfig.App.Platform p;
        if ("ios".equals(platform)) {
            p = config.app().ios();
        } else if ("android".equals(platform)) {
            p = config.app().android();
        } else {
            throw invalid("invalid_platform", "platform", "platform must be ios or android");
        }
        if (version == null || !VERSION.matcher(version).matches()) {
            throw invalid("invalid_version", "version", "version must be x.y.z (digits)");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("success", true);
        m.put("platform", platform);
        m.put("current_version", version);
        m.put("latest_version", p.latestVersion());
        m.put("min_supported_version", p.minSupportedVersion());
        m.put("update_required", compare(version, p.minSupportedVersion()) < 0);
        m.put("update_available", compare(version, p.latestVersion()) < 0);
        m.put("store_url", p.storeUrl());
        return m;
    }

    static AppError invalid(String code, String field, String message) {
        return new AppError(422, code, message, Map.of("errors", List.of(Map.of("field", field, "message", message))));
    }

    /** Numeric comparison of x.y.z versions (1.10.0 is after 1.9.9). */
    static int compare(String a, String b) {
        var ma = VERSION.matcher(a);
        var mb = VERSION.matcher(b);
        if (!ma.matches() || !mb.matches()) {
            throw new IllegalArgumentException("not x.y.z");
        }
        for (int i = 1; i <= 3; i++) {
            int c = Integer.compare(Integer.parseInt(ma.group(i)), Integer.parseInt(mb.group(i)));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
