package kg.evpower.platform.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.netty.util.NetUtil;

/**
 * The real source address of a client behind the nginx API gateway. {@code X-Forwarded-For} is believed only when the
 * TCP peer is a trusted proxy (exact IPs and CIDR ranges); it is then read from the right (the entry the trusted peer
 * appended), skipping further trusted proxies, and the first address that is not one is the client. Anything unreadable
 * stops the walk at the last trusted hop. No DNS is ever consulted.
 */
public final class TrustedProxies {

    /** One exact address or CIDR range, as bytes (4 or 16) and a prefix length. */
    record Range(byte[] network, int prefix) {

        static Range parse(String text) {
            String value = text.trim();
            int slash = value.indexOf('/');
            byte[] address = bytes(slash < 0 ? value : value.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException("Not an IP address or CIDR range: " + text);
            }
            int prefix = address.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(value.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("Bad CIDR prefix: " + text);
                }
                if (prefix < 0 || prefix > address.length * 8) {
                    throw new IllegalArgumentException("Bad CIDR prefix: " + text);
                }
            }
            return new Range(address, prefix);
        }

        boolean contains(byte[] address) {
            if (address == null || address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Range> ranges;

    /** The rules of a list of entries (each an IP or CIDR range, or several separated by commas). */
    public static TrustedProxies of(List<String> entries) {
        return new TrustedProxies(entries);
    }

    private TrustedProxies(List<String> entries) {
        List<Range> parsed = new ArrayList<>();
        for (String entry : entries) {
            for (String part : entry.split(",")) {
                if (!part.isBlank()) {
                    parsed.add(Range.parse(part));
                }
            }
        }
        this.ranges = List.copyOf(parsed);
    }

    /** Whether {@code address} (an IP literal) is a trusted proxy. */
    public boolean trusted(String address) {
        byte[] bytes = bytes(address);
        if (bytes == null) {
            return false;
        }
        for (Range range : ranges) {
            if (range.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The client's address: the peer itself unless the peer is trusted, else the rightmost X-Forwarded-For entry
     * that is not a trusted proxy.
     *
     * @param peer           the TCP peer address (IP literal), may be null
     * @param forwardedFor   every X-Forwarded-For header value, in order
     */
    public String sourceAddress(String peer, List<String> forwardedFor) {
        if (peer == null || !trusted(peer) || forwardedFor == null || forwardedFor.isEmpty()) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String header : forwardedFor) {
            hops.addAll(Arrays.asList(header.split(",")));
        }
        String current = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = literal(hops.get(i));
            if (hop == null) {
                return current;
            }
            current = hop;
            if (!trusted(hop)) {
                return hop;
            }
        }
        return current;
    }

    /** An IP literal from an X-Forwarded-For entry ({@code [v6]} brackets allowed), normalised, or null. */
    static String literal(String entry) {
        String value = entry.trim();
        if (value.startsWith("[") && value.endsWith("]")) {
            value = value.substring(1, value.length() - 1);
        }
        byte[] bytes = bytes(value);
        if (bytes == null) {
            return null;
        }
        return NetUtil.bytesToIpAddress(bytes);
    }

    /** The bytes of an IP literal (IPv4-mapped IPv6 folded to IPv4), or null when it is not one. */
    static byte[] bytes(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(value.trim());
        if (bytes != null && bytes.length == 16 && isMappedV4(bytes)) {
            return Arrays.copyOfRange(bytes, 12, 16);
        }
        return bytes;
    }

    private static boolean isMappedV4(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xFF && bytes[11] == (byte) 0xFF;
    }
}
