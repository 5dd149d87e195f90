package kg.evpower.gateway.ocpp.message;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** OCPP date-times: RFC 3339 with an offset; a missing offset (seen in older firmware) is read as UTC. */
public final class OcppTime {

    private OcppTime() {
    }

    public static Instant parse(String text) {
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return LocalDateTime.parse(text, DateTimeFormatter.ISO_LOCAL_DATE_TIME).toInstant(ZoneOffset.UTC);
        }
    }

    /** Now, to the millisecond, as the station is told in currentTime. */
    public static String now() {
        return format(Instant.now());
    }

    public static String format(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }
}
