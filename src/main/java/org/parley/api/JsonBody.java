package org.parley.api;

import com.nimbusds.jose.util.JSONObjectUtils;
import jakarta.servlet.http.HttpServletRequest;
import org.parley.web.BodyLimitFilter;
import org.parley.web.HttpError;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Map;

/**
 * A write's JSON object, read whole (within the body limit), and its fields read one by one: a field of the wrong
 * type is a 400 naming it, as a form's is.
 */
final class JsonBody {
    private final Map<String, Object> fields;
    /** Where these fields are in the body, for naming them in errors: "" or "author.". */
    private final String path;

    private JsonBody(Map<String, Object> fields, String path) {
        this.fields = fields;
        this.path = path;
    }

    /** The request's body; an empty body is an empty object (actions without fields, like delete). */
    static JsonBody of(HttpServletRequest req) throws IOException {
        byte[] raw = req.getInputStream().readNBytes(BodyLimitFilter.FORM_MAX_BYTES + 1);
        if (raw.length > BodyLimitFilter.FORM_MAX_BYTES) {
            throw HttpError.tooLarge("The request is too large: this address accepts at most 64 KiB.");
        }
        if (raw.length == 0) {
            return new JsonBody(Map.of(), "");
        }
        String type = req.getContentType() == null ? "" : req.getContentType().split(";")[0].strip();
        if (!type.equalsIgnoreCase("application/json")) {
            throw new HttpError(415, "Send the body as JSON, with 'Content-Type: application/json'.", null);
        }
        try {
            return new JsonBody(JSONObjectUtils.parse(new String(raw, StandardCharsets.UTF_8)), "");
        } catch (ParseException e) {
            throw HttpError.badRequest("The body is not a JSON object: " + e.getMessage(), null);
        }
    }

    /** A string field, or null when it is absent or null. */
    String text(String name) {
        Object value = fields.get(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text)) {
            throw HttpError.badRequest("'" + path + name + "' must be a string.", path + name);
        }
        return text;
    }

    /** A comment id: a string of digits (64-bit ids do not fit JavaScript numbers), or null when absent. */
    Long id(String name) {
        String text = text(name);
        if (text == null) {
            return null;
        }
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw HttpError.badRequest("'" + path + name + "' must be a comment id, as a string of digits.",
                    path + name);
        }
    }

    boolean bool(String name) {
        Object value = fields.get(name);
        if (value == null) {
            return false;
        }
        if (!(value instanceof Boolean flag)) {
            throw HttpError.badRequest("'" + path + name + "' must be true or false.", path + name);
        }
        return flag;
    }

    /** A nested object, or an empty one when absent. */
    JsonBody object(String name) {
        Object value = fields.get(name);
        if (value == null) {
            return new JsonBody(Map.of(), path + name + ".");
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw HttpError.badRequest("'" + path + name + "' must be an object.", path + name);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> nested = (Map<String, Object>) map;
        return new JsonBody(nested, path + name + ".");
    }
}
