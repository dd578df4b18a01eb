package org.parley.web;

import jakarta.servlet.http.HttpServletRequest;

import java.util.Collections;
import java.util.Locale;

/**
 * Reads {@code Accept-Encoding} for the responses Parley sends already encoded (the build's twins of a script, a
 * stored page kept compressed), which Jetty's compression handler leaves alone. RFC 9110 §12.5.3: a coding is
 * acceptable when listed with a weight above 0, or when not listed and {@code *} is, with a weight above 0.
 */
public final class AcceptEncoding {
    private AcceptEncoding() {
    }

    public static boolean accepts(HttpServletRequest req, String coding) {
        return accepts(Collections.list(req.getHeaders("Accept-Encoding")), coding);
    }

    /** @param headers every {@code Accept-Encoding} line of the request; @param coding lower case */
    static boolean accepts(Iterable<String> headers, String coding) {
        Double listed = null;
        Double any = null;
        for (String header : headers) {
            for (String entry : header.split(",")) {
                String[] parts = entry.split(";");
                String name = parts[0].strip().toLowerCase(Locale.ROOT);
                double weight = weight(parts);
                if (name.equals(coding)) {
                    listed = weight;
                } else if (name.equals("*")) {
                    any = weight;
                }
            }
        }
        Double weight = listed != null ? listed : any;
        return weight != null && weight > 0;
    }

    /** The {@code q=} parameter, 1 when absent, 0 when unreadable (a client that garbles it gets plain bytes). */
    private static double weight(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].strip();
            if (parameter.length() > 2 && parameter.regionMatches(true, 0, "q=", 0, 2)) {
                try {
                    return Double.parseDouble(parameter.substring(2).strip());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }
}
