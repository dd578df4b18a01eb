package org.parley.web;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The one servlet behind Parley's pages (mapped to "/"; files under /static and /assets have their own): it runs
 * the route {@link RouteFilter} found, behind its group's guard. No route for the path is a 404; a path served
 * only for other methods is a 405 with an Allow header naming them, and OPTIONS answers with the same list.
 * GET routes answer HEAD through HttpServlet, which drops the body.
 */
public final class Router extends HttpServlet {
    private final RouteTable table;

    public Router(RouteTable table) {
        this.table = table;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        dispatch(req, resp);
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        dispatch(req, resp);
    }

    @Override
    protected void doOptions(HttpServletRequest req, HttpServletResponse resp) {
        RouteTable.Resolution resolution = resolution(req);
        Set<String> allowed = allowed(resolution);
        if (allowed.size() == 1) {
            throw HttpError.worded(404, "error.noPage");
        }
        resp.setHeader("Allow", String.join(", ", allowed));
        resp.setStatus(HttpServletResponse.SC_OK);
    }

    private void dispatch(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        RouteTable.Resolution resolution = resolution(req);
        RouteTable.Route route = resolution.route();
        if (route == null) {
            if (resolution.badlyEncoded()) {
                throw HttpError.badRequest("This address is not encoded correctly.", null);
            }
            if (resolution.allowed().isEmpty()) {
                throw HttpError.worded(404, "error.noPage");
            }
            String allow = String.join(", ", allowed(resolution));
            resp.setHeader("Allow", allow);
            throw new HttpError(405, "This address does not accept " + req.getMethod() + " requests; it answers "
                    + allow + ".");
        }
        if (route.guard().admit(req, resp)) {
            route.handler().handle(req, resp);
        }
    }

    private RouteTable.Resolution resolution(HttpServletRequest req) {
        RouteTable.Resolution found = RouteFilter.resolutionOf(req);
        return found != null ? found : table.resolve(req.getMethod(), RouteFilter.rawPath(req));
    }

    /** The methods a path answers, as an Allow header lists them: HEAD beside GET, OPTIONS always. */
    private Set<String> allowed(RouteTable.Resolution resolution) {
        Set<String> allowed = new LinkedHashSet<>();
        if (resolution.route() != null) {
            allowed.add(resolution.route().method());
        }
        for (String method : resolution.allowed()) {
            allowed.add(method);
        }
        Set<String> header = new LinkedHashSet<>();
        if (allowed.contains(RouteTable.GET)) {
            header.add(RouteTable.GET);
            header.add("HEAD");
        }
        if (allowed.contains(RouteTable.POST)) {
            header.add(RouteTable.POST);
        }
        header.add("OPTIONS");
        return header;
    }
}
