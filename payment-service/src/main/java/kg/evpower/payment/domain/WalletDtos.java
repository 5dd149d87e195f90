package kg.evpower.payment.domain;

/** Answers and events of the internal wallet API (docs/contracts.md, amounts in tyiyn). */
public final class WalletDtos {

    private WalletDtos() {
    }

    public record Wallet(String clientId, long balance, long held, long available) {
    }

    public record HoldPlaced(String holdId, String clientId, String sessionId, long amount, String status) {
    }

    public record HoldCaptured(String holdId, String status, long captured, long released, long receivable) {
    }

    public record HoldReleased(String holdId, String status, long released) {
    }

    /** Event data of {@code payment.hold.placed}. */
    public record HoldPlacedEvent(String holdId, String clientId, String sessionId, long amount) {
    }

    /** Event data of {@code payment.hold.captured}. */
    public record HoldCapturedEvent(String holdId, String clientId, String sessionId, long captured, long released,
            long receivable) {
    }

    /** Event data of {@code payment.hold.released}. */
    public record HoldReleasedEvent(String holdId, String clientId, String sessionId, long released) {
    }
}
