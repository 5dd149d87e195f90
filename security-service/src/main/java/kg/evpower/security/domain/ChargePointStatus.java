package kg.evpower.security.domain;

/** Security status of a charge point. ACTIVE ↔ OUT_OF_SERVICE; anything → REVOKED; REVOKED is final. */
public enum ChargePointStatus {
    ACTIVE, OUT_OF_SERVICE, REVOKED;

    public boolean canBecome(ChargePointStatus next) {
        return switch (this) {
            case ACTIVE -> next == OUT_OF_SERVICE || next == REVOKED;
            case OUT_OF_SERVICE -> next == ACTIVE || next == REVOKED;
            case REVOKED -> false;
        };
    }
}
