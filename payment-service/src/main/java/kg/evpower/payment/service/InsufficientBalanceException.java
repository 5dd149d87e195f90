package kg.evpower.payment.service;

import kg.evpower.platform.problem.ProblemException;

/** 409 INSUFFICIENT_BALANCE; the problem body also carries {@code available} (tyiyn). */
public class InsufficientBalanceException extends ProblemException {

    private final long available;

    public InsufficientBalanceException(long available) {
        super(409, "INSUFFICIENT_BALANCE", "Conflict", "The wallet's available balance is lower than the amount.");
        this.available = available;
    }

    public long available() {
        return available;
    }
}
