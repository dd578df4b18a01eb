package org.parley.testing;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A visitor without a browser: keeps its cookies (by hand, because the JDK's cookie manager will not send a
 * Secure cookie over plain http to 127.0.0.1, which browsers do), reads the CSRF token from the last page, and
 * posts forms the way a browser with JavaScript off would — with the {@code Origin} header every browser sends
 * on a POST, which is what a guest's post is checked by (web.Csrf).
 */
public final class WebClient {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final Pattern SET_COOKIE = Pattern.compile("^([^=;\\s]+)=([^;]*)");

    private final String base;
    private final Map<String, String> cookies = new LinkedHashMap<>();
    private String lastCsrf;
    /** Sent as Accept-Language with every request when set, as a browser set to these languages does. */
    private String languages;

    public WebClient(String base) {
        this.base = base;
    }

    public HttpResponse<String> get(String path) {
        HttpResponse<String> response = Http.send(request(path).GET().build());
        remember(response);
        return response;
    }

    /** A GET with extra request headers (e.g. If-None-Match), keeping this client's cookies. */
    public HttpResponse<String> get(String path, Map<String, String> headers) {
        HttpRequest.Builder builder = request(path).GET();
        headers.forEach(builder::header);
        HttpResponse<String> response = Http.send(builder.build());
        remember(response);
        return response;
    }

    /** Posts a form with the CSRF token of the last page fetched (like a browser submitting that page's form). */
    public HttpResponse<String> post(String path, Map<String, String> form) {
        Map<String, String> fields = new LinkedHashMap<>(form);
        if (lastCsrf != null) {
            fields.putIfAbsent("csrf", lastCsrf);
        }
        return postRaw(path, fields);
    }

    /** Posts fields that may repeat (several checkboxes of one name), with the last page's CSRF token. */
    public HttpResponse<String> post(String path, List<Map.Entry<String, String>> fields) {
        List<Map.Entry<String, String>> all = new ArrayList<>(fields);
        if (lastCsrf != null && all.stream().noneMatch(e -> e.getKey().equals("csrf"))) {
            all.add(Map.entry("csrf", lastCsrf));
        }
        return send(path, all);
    }

    /** Posts exactly these fields: no token added. */
    public HttpResponse<String> postRaw(String path, Map<String, String> fields) {
        return send(path, new ArrayList<>(fields.entrySet()));
    }

    private HttpResponse<String> send(String path, List<Map.Entry<String, String>> fields) {
        StringJoiner body = new StringJoiner("&");
        fields.forEach(e -> body.add(enc(e.getKey()) + "=" + enc(e.getValue())));
        HttpResponse<String> response = Http.send(request(path)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", base)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build());
        remember(response);
        return response;
    }

    /** Follows a post/redirect/get redirect. */
    public HttpResponse<String> follow(HttpResponse<String> redirect) {
        String location = redirect.headers().firstValue("Location").orElseThrow(() ->
                new AssertionError("expected a redirect, got " + redirect.statusCode() + ":\n" + redirect.body()));
        URI target = URI.create(base).resolve(location);
        return get(target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery()));
    }

    /** From now on every request asks for {@code acceptLanguage}, form posts included. */
    public WebClient languages(String acceptLanguage) {
        this.languages = acceptLanguage;
        return this;
    }

    public void setCookie(String name, String value) {
        cookies.put(name, value);
    }

    public String cookie(String name) {
        return cookies.get(name);
    }

    /** A JSON write to the API with this client's cookies and the given headers (Authorization, X-CSRF-Token…). */
    public HttpResponse<String> postJson(String path, String json, Map<String, String> headers) {
        HttpRequest.Builder builder = request(path)
                .header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(builder::setHeader);
        HttpResponse<String> response = Http.send(builder.build());
        remember(response);
        return response;
    }

    /** A request with any method and headers, e.g. a CORS preflight (OPTIONS). */
    public HttpResponse<String> send(String method, String path, Map<String, String> headers) {
        HttpRequest.Builder builder = request(path).method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(builder::setHeader);
        return Http.send(builder.build());
    }

    public String csrf() {
        return lastCsrf;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .header("Accept", "text/html,application/xhtml+xml"); // as a browser asks for a page
        if (languages != null) {
            builder.header("Accept-Language", languages);
        }
        if (!cookies.isEmpty()) {
            StringJoiner header = new StringJoiner("; ");
            cookies.forEach((k, v) -> header.add(k + "=" + v));
            builder.header("Cookie", header.toString());
        }
        return builder;
    }

    private void remember(HttpResponse<String> response) {
        for (String setCookie : response.headers().allValues("Set-Cookie")) {
            Matcher m = SET_COOKIE.matcher(setCookie);
            if (m.find()) {
                if (setCookie.contains("Max-Age=0")) {
                    cookies.remove(m.group(1));
                } else {
                    cookies.put(m.group(1), m.group(2));
                }
            }
        }
        Matcher csrf = CSRF.matcher(response.body());
        if (csrf.find()) {
            lastCsrf = csrf.group(1);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
