package kg.evpower.security.rest;

import jakarta.enterprise.context.RequestScoped;

import kg.evpower.security.service.Caller;

/** The caller of the current request, filled by {@link SecurityRequestFilter}. */
@RequestScoped
public class RequestCaller {

    private String actor = "anonymous";
    private String sourceAddress;

    public Caller caller() {
        return new Caller(actor, sourceAddress);
    }

    void actor(String value) {
        this.actor = value;
    }

    void sourceAddress(String value) {
        this.sourceAddress = value;
    }

    public String sourceAddress() {
        return sourceAddress;
    }
}
