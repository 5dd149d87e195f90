package kg.evpower.payment.rest;

import java.util.List;

/**
 * The real source address of a request: the socket peer, unless that peer is a trusted proxy, in which case the
 * right-most address of X-Forwarded-For that is not itself a trusted proxy. A client cannot spoof it by sending the header.
 */
public final class ClientAddress {

    private ClientAddress() {
    }

    public static String resolve(String peer, String forwardedFor, List<String> trustedProxies) {
        if (peer == null || !trustedProxies.contains(peer) || forwardedFor == null || forwardedFor.isBlank()) {
            return peer;
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (!hop.isEmpty() && !trustedProxies.contains(hop)) {
                return hop;
            }
        }
        return peer;
    }
}
