package org.parley.webhook;

import org.parley.web.BundleMessageResolver;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a webhook may point: an absolute http(s) URL without credentials in it, at a host that resolves, and,
 * unless the operator allows it (PARLEY_WEBHOOKS_TO_PRIVATE_ADDRESSES), not at this machine or a private network —
 * else anyone who owns a site could make Parley call the services behind the firewall. Checked when the hook is
 * saved (to say so at once) and again before each delivery (DNS may have changed since). The reasons are written
 * in the language asked for: the owner's on the console's form, English in the delivery log, which is stored.
 */
final class WebhookAddress {
    static final int MAX_LENGTH = 2000;

    private final boolean privateAllowed;

    WebhookAddress(boolean privateAllowed) {
        this.privateAllowed = privateAllowed;
    }

    /** Why {@code url} cannot be a webhook's address, in a sentence for its owner in {@code language}; or empty. */
    Optional<String> problem(String url, Locale language) {
        if (url.isEmpty()) {
            return reason(language, "console.webhooks.error.url.missing");
        }
        if (url.length() > MAX_LENGTH) {
            return reason(language, "console.webhooks.error.url.length", Integer.toString(MAX_LENGTH));
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            // Java's own words for what is wrong ("Illegal character in path at index 11"): English in every language
            return reason(language, "console.webhooks.error.url.invalid", e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
            return reason(language, "console.webhooks.error.url.scheme");
        }
        if (uri.getRawUserInfo() != null) {
            return reason(language, "console.webhooks.error.url.credentials");
        }
        if (uri.getRawFragment() != null) {
            return reason(language, "console.webhooks.error.url.fragment");
        }
        return destinationProblem(uri.getHost(), language);
    }

    /**
     * Why the host cannot be called now (it does not resolve, or resolves to a private address), in
     * {@code language}; empty if it can.
     */
    Optional<String> destinationProblem(String host, Locale language) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return reason(language, "console.webhooks.error.url.unknownHost", host);
        }
        if (privateAllowed) {
            return Optional.empty();
        }
        for (InetAddress address : addresses) {
            if (isPrivate(address)) {
                return reason(language, "console.webhooks.error.url.private", host, address.getHostAddress());
            }
        }
        return Optional.empty();
    }

    private static Optional<String> reason(Locale language, String key, Object... args) {
        return Optional.of(BundleMessageResolver.required(language, key, args));
    }

    static boolean isPrivate(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return true; // unique local fc00::/7
            }
            // an IPv4 address carried in IPv6 (NAT64 64:ff9b::/96, 6to4 2002::/16, IPv4-compatible ::a.b.c.d)
            // reaches that IPv4 address: judge it
            java.util.Optional<byte[]> v4 = embeddedIpv4(b);
            return v4.isPresent() && isPrivate(v4.get());
        }
        return isPrivate(b);
    }

    private static boolean isPrivate(byte[] v4) {
        try {
            InetAddress a = InetAddress.getByAddress(v4);
            if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                    || a.isMulticastAddress()) {
                return true;
            }
        } catch (java.net.UnknownHostException e) {
            return true;
        }
        int first = v4[0] & 0xff;
        int second = v4[1] & 0xff;
        return first == 0 // 0.0.0.0/8
                || first == 100 && (second & 0xc0) == 64 // carrier-grade NAT 100.64.0.0/10
                || first == 192 && second == 0 && (v4[2] & 0xff) == 0 // IETF protocol assignments 192.0.0.0/24
                || first == 198 && (second & 0xfe) == 18 // benchmarking 198.18.0.0/15
                || first >= 240; // reserved 240.0.0.0/4 and broadcast
    }

    private static java.util.Optional<byte[]> embeddedIpv4(byte[] b) {
        boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
                && java.util.Arrays.equals(b, 4, 12, new byte[8], 0, 8);
        boolean compatible = java.util.Arrays.equals(b, 0, 12, new byte[12], 0, 12);
        if (nat64 || compatible) {
            return java.util.Optional.of(java.util.Arrays.copyOfRange(b, 12, 16));
        }
        if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) { // 6to4 2002:a.b.c.d::/48
            return java.util.Optional.of(java.util.Arrays.copyOfRange(b, 2, 6));
        }
        return java.util.Optional.empty();
    }
}
