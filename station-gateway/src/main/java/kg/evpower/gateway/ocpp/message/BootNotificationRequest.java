package kg.evpower.gateway.ocpp.message;

import com.fasterxml.jackson.databind.JsonNode;

public record BootNotificationRequest(String chargePointVendor, String chargePointModel, String chargePointSerialNumber,
        String chargeBoxSerialNumber, String firmwareVersion, String iccid, String imsi, String meterType,
        String meterSerialNumber) {

    public static BootNotificationRequest from(JsonNode p) {
        return new BootNotificationRequest(Json.text(p, "chargePointVendor"), Json.text(p, "chargePointModel"),
                Json.text(p, "chargePointSerialNumber"), Json.text(p, "chargeBoxSerialNumber"),
                Json.text(p, "firmwareVersion"), Json.text(p, "iccid"), Json.text(p, "imsi"), Json.text(p, "meterType"),
                Json.text(p, "meterSerialNumber"));
    }

    /** The serial number stations put in either field. */
    public String serialNumber() {
        return chargePointSerialNumber != null ? chargePointSerialNumber : chargeBoxSerialNumber;
    }
}
