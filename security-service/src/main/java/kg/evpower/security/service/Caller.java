package kg.evpower.security.service;

/** Who is calling (for audit rows): an actor such as {@code admin:key}, {@code cp:CP-1}, a service client id. */
public record Caller(String actor, String sourceAddress) {

    public Caller as(String otherActor) {
        return new Caller(otherActor, sourceAddress);
    }
}
