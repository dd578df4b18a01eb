package org.parley.web;

import org.parley.config.ConfigException;
import org.parley.config.Setting;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The proxies (nginx, HAProxy) whose {@code X-Forwarded-For} Parley believes, as CIDR ranges
 * (PARLEY_TRUSTED_PROXIES). Anyone can send that header; only a proxy we run appends to it honestly. So the
 * client is found by walking the chain from the right — the TCP peer, then each address a proxy appended — and
 * stopping at the first address that is not a trusted proxy: everything left of it was written by the client
 * and may be forged.
 */
public final class TrustedProxies {
    /** Loopback only: a proxy on the same machine works without configuration; no other machine can forge. */
    public static final String DEFAULT = Setting.TRUSTED_PROXIES.defaultText();
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    /** One network: its address bytes and how many leading bits must match. */
    private record Range(byte[] network, int prefix, String text) {
        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((bytes[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    private final List<Range> ranges;

    private TrustedProxies(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    /** Trusts nobody: the TCP peer is always the client. */
    public static TrustedProxies none() {
        return new TrustedProxies(List.of());
    }

    /**
     * Reads "10.0.0.0/8, 192.168.1.5, ::1/128" (a bare address is a /32 or /128). Empty = none.
     *
     * @throws ConfigException naming {@code key} and each value it cannot read
     */
    public static TrustedProxies parse(String key, String text) {
        List<Range> ranges = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String part : text.split(",")) {
            String item = part.strip();
            if (item.isEmpty()) {
                continue;
            }
            String[] pieces = item.split("/", -1);
            Optional<InetAddress> address = pieces.length <= 2 ? literal(pieces[0]) : Optional.empty();
            if (address.isEmpty()) {
                problems.add(key + ": '" + item + "' is not an IP address or CIDR range like 10.0.0.0/8 or fd00::/8");
                continue;
            }
            int bits = address.get().getAddress().length * 8;
            int prefix = bits;
            if (pieces.length == 2) {
                prefix = pieces[1].matches("\\d{1,3}") ? Integer.parseInt(pieces[1]) : -1;
                if (prefix < 0 || prefix > bits) {
                    problems.add(key + ": the prefix length in '" + item + "' must be between 0 and " + bits);
                    continue;
                }
            }
            ranges.add(new Range(address.get().getAddress(), prefix, item));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new TrustedProxies(ranges);
    }

    public boolean trusts(InetAddress address) {
        return ranges.stream().anyMatch(range -> range.contains(address));
    }

    /**
     * The client's address: {@code peer} (the TCP peer) unless it is a trusted proxy, then the rightmost
     * address in {@code forwardedFor} (every X-Forwarded-For header, in order) that is not. When every hop is
     * trusted, the leftmost; an entry that is not an IP address ends the walk at the hop that reported it.
     */
    public String clientAddress(String peer, List<String> forwardedFor) {
        Optional<InetAddress> current = literal(peer);
        if (current.isEmpty()) {
            return peer;
        }
        if (!trusts(current.get()) || forwardedFor.isEmpty()) {
            return canonical(current.get());
        }
        List<String> hops = new ArrayList<>();
        for (String header : forwardedFor) {
            for (String hop : header.split(",")) {
                if (!hop.isBlank()) {
                    hops.add(hop.strip());
                }
            }
        }
        for (int i = hops.size() - 1; i >= 0; i--) {
            Optional<InetAddress> hop = literal(hops.get(i));
            if (hop.isEmpty()) {
                break; // garbage came from the client: the hop to its right is the last address we know
            }
            current = hop;
            if (!trusts(hop.get())) {
                break;
            }
        }
        return canonical(current.get());
    }

    /**
     * The one spelling of an address that every consumer gets — PostgreSQL's {@code inet}, the rate-limit keys, the
     * log: no brackets (Jetty reports an IPv6 peer as {@code [0:0:0:0:0:0:0:1]}, which {@code inet} refuses), IPv6
     * compressed as RFC 5952 writes it ({@code ::1}), an IPv4-mapped IPv6 address as plain IPv4 (the JDK already
     * parses it so), and no zone id (a scope is local to this machine and not part of the visitor's identity).
     */
    static String canonical(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] bytes = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        // the longest run of two or more zero groups (the first of equals) becomes "::"
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    /**
     * {@code text} as {@link #canonical} spells it when it is an IP literal (with or without brackets), else
     * unchanged.
     */
    public static String normalise(String text) {
        return literal(text).map(TrustedProxies::canonical).orElse(text);
    }

    /** {@code text} in {@link #canonical}'s spelling when it is an IP literal; nothing when it is anything else. */
    public static Optional<String> address(String text) {
        return literal(text).map(TrustedProxies::canonical);
    }

    /**
     * An IP literal ("203.0.113.7", "2001:db8::1", "[::1]"), never a host name: parsing must not turn a header
     * value into a DNS lookup.
     */
    static Optional<InetAddress> literal(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String value = text.strip();
        if (value.startsWith("[") && value.endsWith("]")) {
            value = value.substring(1, value.length() - 1);
        }
        boolean v4 = IPV4.matcher(value).matches();
        boolean v6 = value.contains(":") && IPV6_CHARS.matcher(value).matches();
        if (!v4 && !v6) {
            return Optional.empty();
        }
        try {
            // a dotted quad or a string of hex digits, colons and dots with a colon: InetAddress parses it as a
            // literal or refuses it; it never resolves it
            return Optional.of(InetAddress.getByName(value));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return String.join(",", ranges.stream().map(Range::text).toList());
    }
}
