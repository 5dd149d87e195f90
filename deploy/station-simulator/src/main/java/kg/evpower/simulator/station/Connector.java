package kg.evpower.simulator.station;

import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

/** One connector (0 = the charge point itself) and its meter register, transaction and reservation. */
final class Connector {
    final int id;
    String status = "Available";
    String errorCode = "NoError";
    boolean operative = true;
    /** An availability change that waits for the running transaction to end. */
    Boolean scheduledOperative;
    /** Energy register in milli-watt-hours so that short samples do not lose energy to rounding. */
    long meterMilliWh;
    Transaction transaction;
    Reservation reservation;

    Connector(int id, long initialWh) {
        this.id = id;
        this.meterMilliWh = initialWh * 1000;
    }

    long meterWh() {
        return meterMilliWh / 1000;
    }

    boolean free() {
        return transaction == null && operative && !"Faulted".equals(status);
    }

    static final class Transaction {
        final String idTag;
        final long meterStartWh;
        final Instant started;
        final Integer reservationId;
        Integer transactionId;
        String idTagStatus;
        long lastSampleNanos;
        ScheduledFuture<?> meterTask;
        Runnable onEnd = () -> {
        };

        Transaction(String idTag, long meterStartWh, Instant started, Integer reservationId, long nowNanos) {
            this.idTag = idTag;
            this.meterStartWh = meterStartWh;
            this.started = started;
            this.reservationId = reservationId;
            this.lastSampleNanos = nowNanos;
        }
    }

    record Reservation(int reservationId, String idTag, Instant expiry, ScheduledFuture<?> expiryTask) {
    }
}
