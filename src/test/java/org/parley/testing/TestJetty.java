package org.parley.testing;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.util.EnumSet;
import java.util.List;

/**
 * A real Jetty on 127.0.0.1 and a free port with the given filters (in order) in front of one servlet: for
 * tests of web pieces that need true HTTP (headers as written on the wire) without a whole Parley.
 */
public final class TestJetty implements AutoCloseable {
    private final Server server;

    private TestJetty(Server server) {
        this.server = server;
    }

    public static TestJetty start(List<Filter> filters, HttpServlet servlet) {
        var server = new Server();
        var connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        var context = new ServletContextHandler("/", ServletContextHandler.NO_SESSIONS);
        for (Filter filter : filters) {
            context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
        }
        context.addServlet(new ServletHolder(servlet), "/");
        server.setHandler(context);
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("test Jetty did not start", e);
        }
        return new TestJetty(server);
    }

    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    public String base() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("test Jetty did not stop", e);
        }
    }
}
