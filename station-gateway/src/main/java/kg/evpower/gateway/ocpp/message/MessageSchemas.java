package kg.evpower.gateway.ocpp.message;

import static kg.evpower.gateway.ocpp.message.Schema.opt;
import static kg.evpower.gateway.ocpp.message.Schema.req;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import kg.evpower.gateway.ocpp.message.FieldType.Arr;
import kg.evpower.gateway.ocpp.message.FieldType.DateTime;
import kg.evpower.gateway.ocpp.message.FieldType.Dec;
import kg.evpower.gateway.ocpp.message.FieldType.Enum;
import kg.evpower.gateway.ocpp.message.FieldType.Int;
import kg.evpower.gateway.ocpp.message.FieldType.Obj;
import kg.evpower.gateway.ocpp.message.FieldType.Str;

/**
 * Every OCPP 1.6 JSON request, written from the specification's schemas (OCPP 1.6 edition 2, section 6, and the JSON
 * schemas' CiString lengths, enums and required lists), plus the security extension's SecurityEventNotification.
 * Plain data: no schema files, no reflection.
 */
public final class MessageSchemas {

    public enum Direction { STATION_TO_CS, CS_TO_STATION, BOTH }

    public record Message(String action, Direction direction, Schema request) {
    }

    static final FieldType CI20 = new Str(20);
    static final FieldType CI25 = new Str(25);
    static final FieldType CI50 = new Str(50);
    static final FieldType CI255 = new Str(255);
    static final FieldType CI500 = new Str(500);
    static final FieldType ANY_STRING = new Str(0);
    static final FieldType INT = new Int();
    static final FieldType DEC = new Dec();
    static final FieldType DATE_TIME = new DateTime();

    public static final Enum MEASURAND = Enum.of("Energy.Active.Export.Register", "Energy.Active.Import.Register",
            "Energy.Reactive.Export.Register", "Energy.Reactive.Import.Register", "Energy.Active.Export.Interval",
            "Energy.Active.Import.Interval", "Energy.Reactive.Export.Interval", "Energy.Reactive.Import.Interval",
            "Power.Active.Export", "Power.Active.Import", "Power.Offered", "Power.Reactive.Export",
            "Power.Reactive.Import", "Power.Factor", "Current.Import", "Current.Export", "Current.Offered", "Voltage",
            "Frequency", "Temperature", "SoC", "RPM");

    static final Schema SAMPLED_VALUE = Schema.of(
            req("value", ANY_STRING),
            opt("context", Enum.of("Interruption.Begin", "Interruption.End", "Sample.Clock", "Sample.Periodic",
                    "Transaction.Begin", "Transaction.End", "Trigger", "Other")),
            opt("format", Enum.of("Raw", "SignedData")),
            opt("measurand", MEASURAND),
            opt("phase", Enum.of("L1", "L2", "L3", "N", "L1-N", "L2-N", "L3-N", "L1-L2", "L2-L3", "L3-L1")),
            opt("location", Enum.of("Cable", "EV", "Inlet", "Outlet", "Body")),
            opt("unit", Enum.of("Wh", "kWh", "varh", "kvarh", "W", "kW", "VA", "kVA", "var", "kvar", "A", "V", "K",
                    "Celcius", "Celsius", "Fahrenheit", "Percent")));

    static final Schema METER_VALUE = Schema.of(
            req("timestamp", DATE_TIME),
            req("sampledValue", new Arr(new Obj(SAMPLED_VALUE), 1)));

    static final Enum PROFILE_PURPOSE = Enum.of("ChargePointMaxProfile", "TxDefaultProfile", "TxProfile");
    static final Enum RATE_UNIT = Enum.of("A", "W");

    static final Schema CHARGING_PROFILE = Schema.of(
            req("chargingProfileId", INT),
            opt("transactionId", INT),
            req("stackLevel", INT),
            req("chargingProfilePurpose", PROFILE_PURPOSE),
            req("chargingProfileKind", Enum.of("Absolute", "Recurring", "Relative")),
            opt("recurrencyKind", Enum.of("Daily", "Weekly")),
            opt("validFrom", DATE_TIME),
            opt("validTo", DATE_TIME),
            req("chargingSchedule", new Obj(Schema.of(
                    opt("duration", INT),
                    opt("startSchedule", DATE_TIME),
                    req("chargingRateUnit", RATE_UNIT),
                    req("chargingSchedulePeriod", new Arr(new Obj(Schema.of(
                            req("startPeriod", INT),
                            req("limit", DEC),
                            opt("numberPhases", INT))), 1)),
                    opt("minChargingRate", DEC)))));

    static final Enum AUTHORIZATION_STATUS = Enum.of("Accepted", "Blocked", "Expired", "Invalid", "ConcurrentTx");

    static final Schema ID_TAG_INFO = Schema.of(
            opt("expiryDate", DATE_TIME),
            opt("parentIdTag", CI20),
            req("status", AUTHORIZATION_STATUS));

    private static final Map<String, Message> MESSAGES = Map.ofEntries(
            // Station -> central system (core, firmware management, security extension)
            station("Authorize", Schema.of(req("idTag", CI20))),
            station("BootNotification", Schema.of(
                    req("chargePointVendor", CI20), req("chargePointModel", CI20),
                    opt("chargePointSerialNumber", CI25), opt("chargeBoxSerialNumber", CI25),
                    opt("firmwareVersion", CI50), opt("iccid", CI20), opt("imsi", CI20),
                    opt("meterType", CI25), opt("meterSerialNumber", CI25))),
            both("DataTransfer", Schema.of(req("vendorId", CI255), opt("messageId", CI50), opt("data", new FieldType.Any()))),
            station("DiagnosticsStatusNotification", Schema.of(
                    req("status", Enum.of("Idle", "Uploaded", "UploadFailed", "Uploading")))),
            station("FirmwareStatusNotification", Schema.of(req("status", Enum.of("Downloaded", "DownloadFailed",
                    "Downloading", "Idle", "InstallationFailed", "Installing", "Installed")))),
            station("Heartbeat", Schema.of()),
            station("MeterValues", Schema.of(
                    req("connectorId", INT), opt("transactionId", INT),
                    req("meterValue", new Arr(new Obj(METER_VALUE), 1)))),
            station("StartTransaction", Schema.of(
                    req("connectorId", INT), req("idTag", CI20), req("meterStart", INT),
                    opt("reservationId", INT), req("timestamp", DATE_TIME))),
            station("StatusNotification", Schema.of(
                    req("connectorId", INT),
                    req("errorCode", Enum.of("ConnectorLockFailure", "EVCommunicationError", "GroundFailure",
                            "HighTemperature", "InternalError", "LocalListConflict", "NoError", "OtherError",
                            "OverCurrentFailure", "PowerMeterFailure", "PowerSwitchFailure", "ReaderFailure",
                            "ResetFailure", "UnderVoltage", "OverVoltage", "WeakSignal")),
                    opt("info", CI50),
                    req("status", Enum.of("Available", "Preparing", "Charging", "SuspendedEVSE", "SuspendedEV",
                            "Finishing", "Reserved", "Unavailable", "Faulted")),
                    opt("timestamp", DATE_TIME), opt("vendorId", CI255), opt("vendorErrorCode", CI50))),
            station("StopTransaction", Schema.of(
                    opt("idTag", CI20), req("meterStop", INT), req("timestamp", DATE_TIME),
                    req("transactionId", INT),
                    opt("reason", Enum.of("EmergencyStop", "EVDisconnected", "HardReset", "Local", "Other",
                            "PowerLoss", "Reboot", "Remote", "SoftReset", "UnlockCommand", "DeAuthorized")),
                    opt("transactionData", new Arr(new Obj(METER_VALUE), 0)))),
            station("SecurityEventNotification", Schema.of(
                    req("type", CI50), req("timestamp", DATE_TIME), opt("techInfo", CI255))),

            // Central system -> station
            command("CancelReservation", Schema.of(req("reservationId", INT))),
            command("ChangeAvailability", Schema.of(req("connectorId", INT),
                    req("type", Enum.of("Inoperative", "Operative")))),
            command("ChangeConfiguration", Schema.of(req("key", CI50), req("value", CI500))),
            command("ClearCache", Schema.of()),
            command("ClearChargingProfile", Schema.of(opt("id", INT), opt("connectorId", INT),
                    opt("chargingProfilePurpose", PROFILE_PURPOSE), opt("stackLevel", INT))),
            command("GetCompositeSchedule", Schema.of(req("connectorId", INT), req("duration", INT),
                    opt("chargingRateUnit", RATE_UNIT))),
            command("GetConfiguration", Schema.of(opt("key", new Arr(CI50, 0)))),
            command("GetDiagnostics", Schema.of(req("location", ANY_STRING), opt("retries", INT),
                    opt("retryInterval", INT), opt("startTime", DATE_TIME), opt("stopTime", DATE_TIME))),
            command("GetLocalListVersion", Schema.of()),
            command("RemoteStartTransaction", Schema.of(opt("connectorId", INT), req("idTag", CI20),
                    opt("chargingProfile", new Obj(CHARGING_PROFILE)))),
            command("RemoteStopTransaction", Schema.of(req("transactionId", INT))),
            command("ReserveNow", Schema.of(req("connectorId", INT), req("expiryDate", DATE_TIME),
                    req("idTag", CI20), opt("parentIdTag", CI20), req("reservationId", INT))),
            command("Reset", Schema.of(req("type", Enum.of("Hard", "Soft")))),
            command("SendLocalList", Schema.of(req("listVersion", INT),
                    opt("localAuthorizationList", new Arr(new Obj(Schema.of(
                            req("idTag", CI20), opt("idTagInfo", new Obj(ID_TAG_INFO)))), 0)),
                    req("updateType", Enum.of("Differential", "Full")))),
            command("SetChargingProfile", Schema.of(req("connectorId", INT),
                    req("csChargingProfiles", new Obj(CHARGING_PROFILE)))),
            command("TriggerMessage", Schema.of(
                    req("requestedMessage", Enum.of("BootNotification", "DiagnosticsStatusNotification",
                            "FirmwareStatusNotification", "Heartbeat", "MeterValues", "StatusNotification")),
                    opt("connectorId", INT))),
            command("UnlockConnector", Schema.of(req("connectorId", INT))),
            command("UpdateFirmware", Schema.of(req("location", ANY_STRING), opt("retries", INT),
                    req("retrieveDate", DATE_TIME), opt("retryInterval", INT))));

    /** Actions of the OCPP 1.6 security extension a station may send that this central system does not support. */
    public static final Set<String> NOT_SUPPORTED = Set.of("SignCertificate", "SignedFirmwareStatusNotification",
            "LogStatusNotification");

    private MessageSchemas() {
    }

    public static Optional<Message> find(String action) {
        return Optional.ofNullable(MESSAGES.get(action));
    }

    public static Map<String, Message> all() {
        return MESSAGES;
    }

    private static Map.Entry<String, Message> station(String action, Schema request) {
        return Map.entry(action, new Message(action, Direction.STATION_TO_CS, request));
    }

    private static Map.Entry<String, Message> command(String action, Schema request) {
        return Map.entry(action, new Message(action, Direction.CS_TO_STATION, request));
    }

    private static Map.Entry<String, Message> both(String action, Schema request) {
        return Map.entry(action, new Message(action, Direction.BOTH, request));
    }
}
