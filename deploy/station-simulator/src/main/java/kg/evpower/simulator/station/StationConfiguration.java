package kg.evpower.simulator.station;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** The configuration keys a station reports in GetConfiguration and accepts in ChangeConfiguration (OCPP 1.6 §9). */
final class StationConfiguration {
    enum Type { INT, BOOL, LIST, TEXT }

    static final class Entry {
        final String key;
        final boolean readonly;
        final Type type;
        String value;

        Entry(String key, boolean readonly, Type type, String value) {
            this.key = key;
            this.readonly = readonly;
            this.type = type;
            this.value = value;
        }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    StationConfiguration(int connectors, int heartbeatSeconds, int meterSeconds) {
        rw("AllowOfflineTxForUnknownId", Type.BOOL, "false");
        rw("AuthorizationCacheEnabled", Type.BOOL, "false");
        rw("AuthorizeRemoteTxRequests", Type.BOOL, "false");
        rw("ClockAlignedDataInterval", Type.INT, "0");
        rw("ConnectionTimeOut", Type.INT, "60");
        ro("GetConfigurationMaxKeys", Type.INT, "50");
        rw("HeartbeatInterval", Type.INT, Integer.toString(heartbeatSeconds));
        rw("LocalAuthorizeOffline", Type.BOOL, "true");
        rw("LocalPreAuthorize", Type.BOOL, "false");
        rw("MeterValuesAlignedData", Type.LIST, "Energy.Active.Import.Register");
        rw("MeterValuesSampledData", Type.LIST, "Energy.Active.Import.Register,Power.Active.Import,SoC");
        rw("MeterValueSampleInterval", Type.INT, Integer.toString(meterSeconds));
        ro("NumberOfConnectors", Type.INT, Integer.toString(connectors));
        rw("ResetRetries", Type.INT, "1");
        rw("ConnectorPhaseRotation", Type.LIST, "0.RST");
        rw("StopTransactionOnEVSideDisconnect", Type.BOOL, "true");
        rw("StopTransactionOnInvalidId", Type.BOOL, "true");
        rw("StopTxnAlignedData", Type.LIST, "");
        rw("StopTxnSampledData", Type.LIST, "Energy.Active.Import.Register");
        ro("SupportedFeatureProfiles", Type.LIST,
                "Core,FirmwareManagement,LocalAuthListManagement,Reservation,SmartCharging,RemoteTrigger");
        rw("TransactionMessageAttempts", Type.INT, "3");
        rw("TransactionMessageRetryInterval", Type.INT, "5");
        rw("UnlockConnectorOnEVSideDisconnect", Type.BOOL, "true");
        rw("WebSocketPingInterval", Type.INT, "0");
        rw("LocalAuthListEnabled", Type.BOOL, "true");
        ro("LocalAuthListMaxLength", Type.INT, "100");
        ro("SendLocalListMaxLength", Type.INT, "100");
        ro("ReserveConnectorZeroSupported", Type.BOOL, "false");
        ro("ChargeProfileMaxStackLevel", Type.INT, "8");
        ro("ChargingScheduleAllowedChargingRateUnit", Type.LIST, "Current,Power");
        ro("ChargingScheduleMaxPeriods", Type.INT, "24");
        ro("MaxChargingProfilesInstalled", Type.INT, "10");
    }

    private void rw(String key, Type type, String value) {
        entries.put(key, new Entry(key, false, type, value));
    }

    private void ro(String key, Type type, String value) {
        entries.put(key, new Entry(key, true, type, value));
    }

    Entry entry(String key) {
        return entries.get(key);
    }

    Collection<Entry> all() {
        return entries.values();
    }

    int intValue(String key) {
        return Integer.parseInt(entries.get(key).value);
    }

    boolean boolValue(String key) {
        return Boolean.parseBoolean(entries.get(key).value);
    }

    String value(String key) {
        return entries.get(key).value;
    }

    /** Sets a value the station itself owns (e.g. the heartbeat interval from the boot answer). */
    void setInternal(String key, String value) {
        entries.get(key).value = value;
    }

    /** ChangeConfiguration: NotSupported for unknown keys, Rejected for read-only keys and bad values. */
    String change(String key, String value) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return "NotSupported";
        }
        if (entry.readonly || !valid(entry.type, value)) {
            return "Rejected";
        }
        entry.value = value;
        return "Accepted";
    }

    private static boolean valid(Type type, String value) {
        return switch (type) {
            case INT -> {
                try {
                    yield Integer.parseInt(value.trim()) >= 0;
                } catch (NumberFormatException e) {
                    yield false;
                }
            }
            case BOOL -> "true".equalsIgnoreCase(value) || "false".equalsIgnoreCase(value);
            case LIST, TEXT -> value.length() <= 500;
        };
    }
}
