package org.parley.webhook;

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
 * saved (to say so at once) and again before each delivery (DNS may have changed since).
 */
final class WebhookAddress {
    static final int MAX_LENGTH = 2000;

    private final boolean privateAllowed;

    WebhookAddress(boolean privateAllowed) {
        this.privateAllowed = privateAllowed;
    }

    /** Why {@code url} cannot be a webhook's address, in a sentence for its owner; empty when it can. */
    Optional<String> problem(String url) {
        if (url.isEmpty()) {
            return Optional.of("Give the address Parley should POST events to, e.g. https://example.com/hooks/parley.");
        }
        if (url.length() > MAX_LENGTH) {
            return Optional.of("Keep the address under " + MAX_LENGTH + " characters.");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("This is not a valid address: " + e.getReason() + ".");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
            return Optional.of("The address must start with https:// (or http://) and name a host.");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("Leave the user name and password out of the address: check the signature instead.");
        }
        if (uri.getRawFragment() != null) {
            return Optional.of("Leave the #fragment out of the address: it is never sent to the server.");
        }
        return destinationProblem(uri.getHost());
    }

    /** Why the host cannot be called now (it does not resolve, or resolves to a private address); empty if it can. */
    Optional<String> destinationProblem(String host) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return Optional.of("The host " + host + " could not be found.");
        }
        if (privateAllowed) {
            return Optional.empty();
        }
        for (InetAddress address : addresses) {
            if (isPrivate(address)) {
                return Optional.of("The host " + host + " is this machine or on a private network ("
                        + address.getHostAddress() + "); webhooks go to public addresses only here.");
            }
        }
        return Optional.empty();
    }

    static boolean isPrivate(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) {
            return (b[0] & 0xfe) == 0xfc; // unique local fc00::/7
        }
        return (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64 // carrier-grade NAT 100.64.0.0/10
                || (b[0] & 0xff) == 0; // 0.0.0.0/8
    }
}
