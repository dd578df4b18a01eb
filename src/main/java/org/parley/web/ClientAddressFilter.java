package org.parley.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Collections;
import java.util.List;

/**
 * First filter: works out the client's address once ({@link TrustedProxies}) and makes it the request's
 * {@code getRemoteAddr()}, so the access log, rate limits and IP bans all see the same visitor — the one behind
 * nginx and HAProxy, never an address a visitor wrote into a header themselves — and in one spelling, so an IPv6
 * visitor ({@code ::1} is what {@code localhost} means to a browser) is stored, banned and counted like any other.
 */
public final class ClientAddressFilter extends HttpFilter {
    public static final String FORWARDED_FOR = "X-Forwarded-For";

    private final TrustedProxies proxies;

    public ClientAddressFilter(TrustedProxies proxies) {
        this.proxies = proxies;
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        List<String> forwarded = Collections.list(req.getHeaders(FORWARDED_FOR));
        String peer = req.getRemoteAddr();
        // always one spelling (TrustedProxies.canonical): Jetty writes an IPv6 peer as "[0:0:0:0:0:0:0:1]"
        String client = forwarded.isEmpty() ? TrustedProxies.normalise(peer) : proxies.clientAddress(peer, forwarded);
        chain.doFilter(client.equals(peer) ? req : new ClientAddress(req, client), resp);
    }

    private static final class ClientAddress extends HttpServletRequestWrapper {
        private final String address;

        ClientAddress(HttpServletRequest request, String address) {
            super(request);
            this.address = address;
        }

        @Override
        public String getRemoteAddr() {
            return address;
        }

        @Override
        public String getRemoteHost() {
            return address; // never a reverse lookup
        }
    }
}
