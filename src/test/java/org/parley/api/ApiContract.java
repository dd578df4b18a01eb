package org.parley.api;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The OpenAPI document as a test oracle: a response to a request is held to the operation its path and method
 * match, the status must be one the operation lists, and the body must match that status's schema (JSON Schema
 * 2020-12, as OpenAPI 3.1 uses it, with the document's components for references). Every API test sends its
 * requests through {@link #check}, so no response of the suite goes unchecked.
 */
public final class ApiContract {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNode DOCUMENT = load();
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final Map<String, Schema> COMPILED = new ConcurrentHashMap<>();

    private ApiContract() {
    }

    static JsonNode document() {
        return DOCUMENT;
    }

    /** The path templates the document describes, e.g. /api/v1/sites/{site}. */
    static List<String> paths() {
        List<String> paths = new ArrayList<>();
        DOCUMENT.get("paths").propertyNames().forEach(paths::add);
        return paths;
    }

    /** Fails unless {@code response} to GET {@code path} is what the document says it may be. */
    public static HttpResponse<String> check(String path, HttpResponse<String> response) {
        return check("GET", path, response);
    }

    /** Fails unless {@code response} to {@code method} {@code path} is what the document says it may be. */
    public static HttpResponse<String> check(String method, String path, HttpResponse<String> response) {
        String rawPath = URI.create("http://x" + path).getRawPath();
        String template = paths().stream().filter(t -> matches(t, rawPath)).findFirst()
                .orElseThrow(() -> new AssertionError("no operation in openapi.json for " + method + " " + rawPath));
        JsonNode operation = DOCUMENT.get("paths").get(template).get(method.toLowerCase(java.util.Locale.ROOT));
        if (operation == null) {
            throw new AssertionError("openapi.json has no " + method + " for " + template);
        }
        String status = Integer.toString(response.statusCode());
        JsonNode described = operation.get("responses").get(status);
        if (described == null) {
            throw new AssertionError(method + " " + template + " answered " + status
                    + ", which openapi.json does not list:\n" + response.body());
        }
        described = resolve(described);
        JsonNode content = described.get("content");
        if (content == null) {
            if (!response.body().isEmpty()) {
                throw new AssertionError(method + " " + template + " " + status + " has a body, openapi.json says none");
            }
            return response;
        }
        String type = response.headers().firstValue("Content-Type").orElse("").split(";")[0].strip();
        JsonNode media = content.get(type);
        if (media == null) {
            throw new AssertionError(method + " " + template + " " + status + " is " + type + "; openapi.json says "
                    + content.propertyNames());
        }
        JsonNode schemaNode = media.get("schema");
        String ref = schemaNode.has("$ref") ? schemaNode.get("$ref").asString() : schemaNode.toString();
        List<Error> errors = (schemaNode.has("$ref") ? schema(ref) : inline(schemaNode))
                .validate(JSON.readTree(response.body()));
        if (!errors.isEmpty()) {
            throw new AssertionError(method + " " + rawPath + " " + status + " does not match " + ref + ": " + errors
                    + "\n" + response.body());
        }
        return response;
    }

    /**
     * Fails unless {@code body}, received by a webhook for {@code event}, is what the document's {@code webhooks}
     * section says Parley sends for that event.
     */
    public static void checkWebhook(String event, String body) {
        JsonNode operation = DOCUMENT.get("webhooks").get(event);
        if (operation == null) {
            throw new AssertionError("openapi.json describes no webhook " + event);
        }
        String ref = resolve(operation.get("post").get("requestBody")).get("content").get("application/json")
                .get("schema").get("$ref").asString();
        List<Error> errors = schema(ref).validate(JSON.readTree(body));
        if (!errors.isEmpty()) {
            throw new AssertionError("webhook " + event + " does not match " + ref + ": " + errors + "\n" + body);
        }
    }

    private static boolean matches(String template, String path) {
        String regex = Pattern.quote(template).replaceAll("\\{[a-zA-Z]+}", "\\\\E[^/]+\\\\Q");
        return path.matches(regex);
    }

    private static JsonNode resolve(JsonNode node) {
        JsonNode ref = node.get("$ref");
        return ref == null ? node : DOCUMENT.at(ref.asString().substring(1));
    }

    /** The schema at {@code ref}, with the document's components beside it so its own references resolve. */
    private static Schema schema(String ref) {
        return COMPILED.computeIfAbsent(ref, r -> {
            ObjectNode root = JSON.createObjectNode();
            root.put("$schema", SpecificationVersion.DRAFT_2020_12.getDialectId());
            root.put("$ref", r);
            root.set("components", DOCUMENT.get("components"));
            return SCHEMAS.getSchema(root.toString());
        });
    }

    /** A schema written in place (anyOf …), with the document's components for its references. */
    private static Schema inline(JsonNode node) {
        return COMPILED.computeIfAbsent(node.toString(), text -> {
            ObjectNode root = ((ObjectNode) node).deepCopy();
            root.put("$schema", SpecificationVersion.DRAFT_2020_12.getDialectId());
            root.set("components", DOCUMENT.get("components"));
            return SCHEMAS.getSchema(root.toString());
        });
    }

    private static JsonNode load() {
        try (InputStream in = ApiContract.class.getResourceAsStream(OpenApiDocument.RESOURCE)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
