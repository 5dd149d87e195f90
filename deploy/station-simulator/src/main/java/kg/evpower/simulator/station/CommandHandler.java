package kg.evpower.simulator.station;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import kg.evpower.simulator.ocpp.CallErrorCode;
import kg.evpower.simulator.ocpp.FrameCodec;
import kg.evpower.simulator.ocpp.OcppCallException;
import kg.evpower.simulator.ocpp.Payloads;

/**
 * Answers every central system → charge point message of OCPP 1.6. Each answer is computed at once; what the station
 * does afterwards (start a transaction, reboot, send a triggered message) runs after the answer has been sent.
 */
final class CommandHandler {
    /** The CALLRESULT payload and the work to run once it is sent. */
    record Reply(ObjectNode payload, Runnable after) {
    }

    /** Actions a charge point sends, not receives: a central system sending one gets NotSupported. */
    private static final Set<String> STATION_ACTIONS = Set.of("Authorize", "BootNotification",
            "DiagnosticsStatusNotification", "FirmwareStatusNotification", "Heartbeat", "MeterValues",
            "StartTransaction", "StatusNotification", "StopTransaction");
    private static final Set<String> TRIGGERABLE = Set.of("BootNotification", "DiagnosticsStatusNotification",
            "FirmwareStatusNotification", "Heartbeat", "MeterValues", "StatusNotification");

    private final SimulatedStation station;

    CommandHandler(SimulatedStation station) {
        this.station = station;
    }

    Reply handle(String action, JsonNode payload) {
        return switch (action) {
            case "RemoteStartTransaction" -> remoteStart(payload);
            case "RemoteStopTransaction" -> remoteStop(payload);
            case "Reset" -> reset(payload);
            case "UnlockConnector" -> unlock(payload);
            case "ChangeAvailability" -> changeAvailability(payload);
            case "ChangeConfiguration" -> changeConfiguration(payload);
            case "GetConfiguration" -> getConfiguration(payload);
            case "ClearCache" -> status("Accepted");
            case "DataTransfer" -> dataTransfer(payload);
            case "TriggerMessage" -> trigger(payload);
            case "GetDiagnostics" -> getDiagnostics(payload);
            case "UpdateFirmware" -> updateFirmware(payload);
            case "SendLocalList" -> sendLocalList(payload);
            case "GetLocalListVersion" -> getLocalListVersion();
            case "ReserveNow" -> reserveNow(payload);
            case "CancelReservation" -> cancelReservation(payload);
            case "SetChargingProfile" -> setChargingProfile(payload);
            case "ClearChargingProfile" -> clearChargingProfile(payload);
            case "GetCompositeSchedule" -> getCompositeSchedule(payload);
            default -> throw new OcppCallException(
                    STATION_ACTIONS.contains(action) ? CallErrorCode.NotSupported : CallErrorCode.NotImplemented,
                    (STATION_ACTIONS.contains(action) ? "a charge point does not receive " : "unknown action ") + action);
        };
    }

    private static Reply status(String status) {
        return new Reply(OcppCallPayload.of().put("status", status).node(), null);
    }

    private static Reply status(String status, Runnable after) {
        return new Reply(OcppCallPayload.of().put("status", status).node(), after);
    }

    // ---------------------------------------------------------------- Core

    private Reply remoteStart(JsonNode payload) {
        String idTag = Payloads.requiredString(payload, "idTag", 20);
        Integer connectorId = Payloads.optionalInt(payload, "connectorId");
        ChargingProfiles.Profile profile = null;
        if (payload.hasNonNull("chargingProfile")) {
            profile = ChargingProfiles.parse(connectorId == null ? 1 : connectorId,
                    Payloads.requiredObject(payload, "chargingProfile"), Instant.now());
            if (!"TxProfile".equals(profile.purpose())) {
                return status("Rejected");
            }
        }
        if (station.registration != SimulatedStation.Registration.ACCEPTED) {
            return status("Rejected"); // OCPP 1.6 §4.2.1: no remote start before the boot is accepted
        }
        Connector c = null;
        if (connectorId != null) {
            c = connectorId > 0 ? station.connector(connectorId) : null;
        } else {
            for (int i = 1; i < station.connectors.length; i++) {
                Connector candidate = station.connectors[i];
                if (candidate.free() && (candidate.reservation == null || candidate.reservation.idTag().equals(idTag))) {
                    c = candidate;
                    break;
                }
            }
        }
        if (c == null || !c.free() || !station.connectors[0].operative
                || (c.reservation != null && !c.reservation.idTag().equals(idTag))
                || !("Available".equals(c.status) || "Preparing".equals(c.status) || "Reserved".equals(c.status))) {
            return status("Rejected");
        }
        Connector target = c;
        ChargingProfiles.Profile txProfile = profile == null ? null
                : new ChargingProfiles.Profile(target.id, profile.id(), profile.transactionId(), profile.stackLevel(),
                profile.purpose(), profile.kind(), profile.unit(), profile.periods(), profile.durationSeconds(),
                profile.startSchedule(), profile.installed());
        return status("Accepted", () -> {
            station.setStatus(target, "Preparing");
            if (station.configuration.boolValue("AuthorizeRemoteTxRequests")) {
                ObjectNode authorize = OcppCallPayload.of().put("idTag", idTag).node();
                station.enqueue(new OutgoingCall("Authorize", () -> authorize, false, false).onResult(result -> {
                    if ("Accepted".equals(result.path("idTagInfo").path("status").asText()) && target.free()) {
                        beginRemote(target, idTag, txProfile);
                    } else {
                        station.setStatus(target, station.idleStatus(target));
                    }
                }).onFailure(reason -> station.setStatus(target, station.idleStatus(target))));
            } else {
                beginRemote(target, idTag, txProfile);
            }
        });
    }

    private void beginRemote(Connector c, String idTag, ChargingProfiles.Profile txProfile) {
        if (txProfile != null) {
            station.profiles.install(txProfile);
        }
        station.startTransaction(c, idTag);
    }

    private Reply remoteStop(JsonNode payload) {
        int transactionId = Payloads.requiredInt(payload, "transactionId");
        for (Connector c : station.connectors) {
            if (c.transaction != null && c.transaction.transactionId != null && c.transaction.transactionId == transactionId) {
                return status("Accepted", () -> station.stopTransaction(c, "Remote"));
            }
        }
        return status("Rejected");
    }

    private Reply reset(JsonNode payload) {
        String type = Payloads.requiredEnum(payload, "type", Set.of("Hard", "Soft"));
        return status("Accepted", () -> {
            String reason = type.equals("Hard") ? "HardReset" : "SoftReset";
            for (Connector c : station.connectors) {
                station.stopTransaction(c, reason);
            }
            if (type.equals("Hard")) {
                station.reboot();
            } else {
                rebootWhenDrained(Instant.now().plusSeconds(5));
            }
        });
    }

    /** A soft reset lets the StopTransaction messages go out first (for at most a few seconds). */
    private void rebootWhenDrained(Instant deadline) {
        if (!station.transactionMessagesPending() || Instant.now().isAfter(deadline)) {
            station.reboot();
        } else {
            station.runtime.schedule(station.actor, () -> rebootWhenDrained(deadline), Duration.ofMillis(100));
        }
    }

    private Reply unlock(JsonNode payload) {
        int connectorId = Payloads.requiredInt(payload, "connectorId");
        Connector c = connectorId > 0 ? station.connector(connectorId) : null;
        if (c == null) {
            return status("NotSupported");
        }
        return status("Unlocked", () -> station.stopTransaction(c, "UnlockCommand"));
    }

    private Reply changeAvailability(JsonNode payload) {
        int connectorId = Payloads.requiredInt(payload, "connectorId");
        boolean operative = "Operative".equals(Payloads.requiredEnum(payload, "type", Set.of("Inoperative", "Operative")));
        Connector target = station.connector(connectorId);
        if (target == null) {
            return status("Rejected");
        }
        List<Connector> affected = new ArrayList<>();
        if (connectorId == 0) {
            affected.addAll(List.of(station.connectors));
        } else {
            affected.add(target);
        }
        boolean scheduled = false;
        List<Connector> now = new ArrayList<>();
        for (Connector c : affected) {
            if (c.transaction != null && !operative) {
                c.scheduledOperative = false;
                scheduled = true;
            } else {
                c.scheduledOperative = null;
                now.add(c);
            }
        }
        return status(scheduled ? "Scheduled" : "Accepted", () -> {
            for (Connector c : now) {
                boolean changed = c.operative != operative;
                c.operative = operative;
                if (c.id == 0) {
                    if (changed) {
                        station.sendStatus(c, false);
                    }
                } else if (c.transaction == null) {
                    station.setStatus(c, station.idleStatus(c));
                }
            }
        });
    }

    private Reply changeConfiguration(JsonNode payload) {
        String key = Payloads.requiredString(payload, "key", 50);
        String value = Payloads.requiredString(payload, "value", 500);
        String result = station.configuration.change(key, value);
        Runnable after = null;
        if ("Accepted".equals(result)) {
            after = switch (key) {
                case "HeartbeatInterval" -> station::scheduleHeartbeat;
                case "MeterValueSampleInterval" -> () -> station.setMeterInterval(
                        Duration.ofSeconds(Math.max(1, station.configuration.intValue(key))));
                default -> null;
            };
        }
        return status(result, after);
    }

    private Reply getConfiguration(JsonNode payload) {
        ObjectNode answer = FrameCodec.object();
        ArrayNode known = answer.putArray("configurationKey");
        ArrayNode unknown = FrameCodec.NODES.arrayNode();
        JsonNode keys = payload.get("key");
        if (keys != null && !keys.isNull() && !keys.isArray()) {
            throw new OcppCallException(CallErrorCode.TypeConstraintViolation, "key must be an array");
        }
        if (keys == null || keys.isNull() || keys.isEmpty()) {
            for (StationConfiguration.Entry entry : station.configuration.all()) {
                addKey(known, entry);
            }
        } else {
            for (JsonNode key : keys) {
                StationConfiguration.Entry entry = station.configuration.entry(key.asText());
                if (entry == null) {
                    unknown.add(key.asText());
                } else {
                    addKey(known, entry);
                }
            }
        }
        if (!unknown.isEmpty()) {
            answer.set("unknownKey", unknown);
        }
        return new Reply(answer, null);
    }

    private static void addKey(ArrayNode known, StationConfiguration.Entry entry) {
        ObjectNode node = known.addObject();
        node.put("key", entry.key);
        node.put("readonly", entry.readonly);
        node.put("value", entry.value);
    }

    private Reply dataTransfer(JsonNode payload) {
        String vendorId = Payloads.requiredString(payload, "vendorId", 255);
        String messageId = Payloads.optionalString(payload, "messageId", 50);
        if (!station.options.vendor().equals(vendorId)) {
            return status("UnknownVendorId");
        }
        if (messageId != null && !messageId.equals("Echo")) {
            return status("UnknownMessageId");
        }
        ObjectNode answer = OcppCallPayload.of().put("status", "Accepted").node();
        if (payload.hasNonNull("data")) {
            answer.put("data", payload.get("data").asText());
        }
        return new Reply(answer, null);
    }

    // ---------------------------------------------------------------- Remote trigger

    private Reply trigger(JsonNode payload) {
        String requested = Payloads.requiredEnum(payload, "requestedMessage", TRIGGERABLE);
        Integer connectorId = Payloads.optionalInt(payload, "connectorId");
        if (connectorId != null && (connectorId < 0 || connectorId >= station.connectors.length)) {
            return status("Rejected");
        }
        return status("Accepted", () -> {
            switch (requested) {
                case "BootNotification" -> station.sendBoot();
                case "Heartbeat" -> station.sendHeartbeat(true);
                case "DiagnosticsStatusNotification" -> sendDiagnosticsStatus(true);
                case "FirmwareStatusNotification" -> sendFirmwareStatus(true);
                case "StatusNotification" -> {
                    for (Connector c : station.connectors) {
                        if (connectorId == null || connectorId == c.id) {
                            station.sendStatus(c, true);
                        }
                    }
                }
                case "MeterValues" -> {
                    for (Connector c : station.connectors) {
                        if (c.id > 0 && (connectorId == null || connectorId == c.id)) {
                            station.sendMeterValues(c, c.transaction, "Trigger", true);
                        }
                    }
                }
                default -> {
                }
            }
        });
    }

    // ---------------------------------------------------------------- Firmware management

    private Reply getDiagnostics(JsonNode payload) {
        Payloads.requiredString(payload, "location", 2000);
        Payloads.optionalInt(payload, "retries");
        Payloads.optionalInt(payload, "retryInterval");
        Payloads.optionalDateTime(payload, "startTime");
        Payloads.optionalDateTime(payload, "stopTime");
        String fileName = "diagnostics-" + station.id + "-" + Instant.now().getEpochSecond() + ".log";
        ObjectNode answer = OcppCallPayload.of().put("fileName", fileName).node();
        // Nothing is uploaded anywhere: the simulator only reports the upload steps.
        return new Reply(answer, () -> {
            station.diagnosticsStatus = "Uploading";
            sendDiagnosticsStatus(false);
            station.runtime.schedule(station.actor, () -> {
                station.diagnosticsStatus = "Uploaded";
                sendDiagnosticsStatus(false);
                station.diagnosticsStatus = "Idle";
            }, station.options.stepDelay());
        });
    }

    private void sendDiagnosticsStatus(boolean triggered) {
        ObjectNode body = OcppCallPayload.of().put("status", station.diagnosticsStatus).node();
        station.enqueue(new OutgoingCall("DiagnosticsStatusNotification", () -> body, false, triggered));
    }

    private Reply updateFirmware(JsonNode payload) {
        String location = Payloads.requiredString(payload, "location", 2000);
        Instant retrieve = Payloads.requiredDateTime(payload, "retrieveDate");
        Payloads.optionalInt(payload, "retries");
        Payloads.optionalInt(payload, "retryInterval");
        Duration wait = Duration.between(Instant.now(), retrieve);
        if (wait.isNegative()) {
            wait = Duration.ZERO;
        }
        Duration delay = wait;
        String version = "sim-" + Math.abs(location.hashCode() % 10_000);
        return new Reply(FrameCodec.object(), () -> station.runtime.schedule(station.actor,
                () -> firmwareStep("Downloading", version), delay));
    }

    /** Downloading → Downloaded → Installing (after running transactions end) → Installed → reboot. */
    private void firmwareStep(String status, String version) {
        if ("Installing".equals(status) && station.anyTransaction()) {
            station.runtime.schedule(station.actor, () -> firmwareStep(status, version), station.options.stepDelay());
            return;
        }
        station.firmwareStatus = status;
        sendFirmwareStatus(false);
        Duration step = station.options.stepDelay();
        switch (status) {
            case "Downloading" -> station.runtime.schedule(station.actor, () -> firmwareStep("Downloaded", version), step);
            case "Downloaded" -> station.runtime.schedule(station.actor, () -> firmwareStep("Installing", version), step);
            case "Installing" -> station.runtime.schedule(station.actor, () -> firmwareStep("Installed", version), step);
            case "Installed" -> {
                station.firmwareVersion = version;
                station.firmwareStatus = "Idle";
                station.runtime.schedule(station.actor, station::reboot, step);
            }
            default -> {
            }
        }
    }

    private void sendFirmwareStatus(boolean triggered) {
        ObjectNode body = OcppCallPayload.of().put("status", station.firmwareStatus).node();
        station.enqueue(new OutgoingCall("FirmwareStatusNotification", () -> body, false, triggered));
    }

    // ---------------------------------------------------------------- Local auth list management

    private Reply sendLocalList(JsonNode payload) {
        int version = Payloads.requiredInt(payload, "listVersion");
        String updateType = Payloads.requiredEnum(payload, "updateType", Set.of("Differential", "Full"));
        JsonNode list = payload.get("localAuthorizationList");
        if (list != null && !list.isNull() && !list.isArray()) {
            throw new OcppCallException(CallErrorCode.TypeConstraintViolation, "localAuthorizationList must be an array");
        }
        if (list != null) {
            for (JsonNode entry : list) {
                Payloads.requiredString(entry, "idTag", 20);
            }
        }
        if (!station.configuration.boolValue("LocalAuthListEnabled")) {
            return status("NotSupported");
        }
        return status(station.localList.apply(version, updateType, list,
                station.configuration.intValue("SendLocalListMaxLength")));
    }

    private Reply getLocalListVersion() {
        int version = station.configuration.boolValue("LocalAuthListEnabled") ? station.localList.version() : -1;
        return new Reply(OcppCallPayload.of().put("listVersion", version).node(), null);
    }

    // ---------------------------------------------------------------- Reservation

    private Reply reserveNow(JsonNode payload) {
        int connectorId = Payloads.requiredInt(payload, "connectorId");
        Instant expiry = Payloads.requiredDateTime(payload, "expiryDate");
        String idTag = Payloads.requiredString(payload, "idTag", 20);
        Payloads.optionalString(payload, "parentIdTag", 20);
        int reservationId = Payloads.requiredInt(payload, "reservationId");
        Connector c = station.connector(connectorId);
        if (c == null) {
            return status("Rejected");
        }
        if (connectorId == 0 && !station.configuration.boolValue("ReserveConnectorZeroSupported")) {
            return status("Rejected");
        }
        if ("Faulted".equals(c.status)) {
            return status("Faulted");
        }
        if (!c.operative || !station.connectors[0].operative) {
            return status("Unavailable");
        }
        if (c.transaction != null || (c.reservation != null && c.reservation.reservationId() != reservationId)
                || !("Available".equals(c.status) || "Reserved".equals(c.status))) {
            return status("Occupied");
        }
        return status("Accepted", () -> {
            if (c.reservation != null) {
                SimulatedStation.cancel(c.reservation.expiryTask());
            }
            Duration left = Duration.between(Instant.now(), expiry);
            var expiryTask = station.runtime.schedule(station.actor, () -> {
                if (c.reservation != null && c.reservation.reservationId() == reservationId) {
                    c.reservation = null;
                    station.setStatus(c, station.idleStatus(c));
                }
            }, left.isNegative() ? Duration.ZERO : left);
            c.reservation = new Connector.Reservation(reservationId, idTag, expiry, expiryTask);
            station.setStatus(c, "Reserved");
        });
    }

    private Reply cancelReservation(JsonNode payload) {
        int reservationId = Payloads.requiredInt(payload, "reservationId");
        for (Connector c : station.connectors) {
            if (c.reservation != null && c.reservation.reservationId() == reservationId) {
                return status("Accepted", () -> {
                    SimulatedStation.cancel(c.reservation.expiryTask());
                    c.reservation = null;
                    station.setStatus(c, station.idleStatus(c));
                });
            }
        }
        return status("Rejected");
    }

    // ---------------------------------------------------------------- Smart charging

    private Reply setChargingProfile(JsonNode payload) {
        int connectorId = Payloads.requiredInt(payload, "connectorId");
        ChargingProfiles.Profile profile = ChargingProfiles.parse(connectorId,
                Payloads.requiredObject(payload, "csChargingProfiles"), Instant.now());
        Connector c = station.connector(connectorId);
        if (c == null
                || profile.stackLevel() < 0
                || profile.stackLevel() > station.configuration.intValue("ChargeProfileMaxStackLevel")
                || profile.periods().size() > station.configuration.intValue("ChargingScheduleMaxPeriods")
                || ("ChargePointMaxProfile".equals(profile.purpose()) && connectorId != 0)) {
            return status("Rejected");
        }
        if ("TxProfile".equals(profile.purpose())) {
            if (c.id == 0 || c.transaction == null || (profile.transactionId() != null
                    && !profile.transactionId().equals(c.transaction.transactionId))) {
                return status("Rejected");
            }
        }
        if (station.profiles.size() >= station.configuration.intValue("MaxChargingProfilesInstalled")) {
            return status("Rejected");
        }
        return status("Accepted", () -> station.profiles.install(profile));
    }

    private Reply clearChargingProfile(JsonNode payload) {
        Integer id = Payloads.optionalInt(payload, "id");
        Integer connectorId = Payloads.optionalInt(payload, "connectorId");
        String purpose = Payloads.optionalEnum(payload, "chargingProfilePurpose", ChargingProfiles.PURPOSES);
        Integer stackLevel = Payloads.optionalInt(payload, "stackLevel");
        return status(station.profiles.clear(id, connectorId, purpose, stackLevel) ? "Accepted" : "Unknown");
    }

    private Reply getCompositeSchedule(JsonNode payload) {
        int connectorId = Payloads.requiredInt(payload, "connectorId");
        int duration = Payloads.requiredInt(payload, "duration");
        String unit = Payloads.optionalEnum(payload, "chargingRateUnit", ChargingProfiles.UNITS);
        Connector c = station.connector(connectorId);
        if (c == null) {
            return status("Rejected");
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        double watts = connectorId == 0 ? station.options.powerKw() * 1000 * (station.connectors.length - 1)
                : station.powerWatts(c);
        if (connectorId == 0) {
            watts = Math.min(watts, station.profiles.limitWatts(0, now, null));
        }
        String rateUnit = unit == null ? "W" : unit;
        double limit = "A".equals(rateUnit) ? watts / (ChargingProfiles.VOLTS * 3) : watts;
        ObjectNode answer = OcppCallPayload.of()
                .put("status", "Accepted")
                .put("connectorId", connectorId)
                .put("scheduleStart", now.toString())
                .node();
        ObjectNode schedule = answer.putObject("chargingSchedule");
        schedule.put("duration", duration);
        schedule.put("startSchedule", now.toString());
        schedule.put("chargingRateUnit", rateUnit);
        ObjectNode period = schedule.putArray("chargingSchedulePeriod").addObject();
        period.put("startPeriod", 0);
        period.put("limit", Math.round(limit * 10) / 10.0);
        period.put("numberPhases", 3);
        return new Reply(answer, null);
    }
}
