package org.parley.data;

/** Hides passwords in connection strings before they reach a log or an error message. */
public final class Masking {
    private Masking() {
    }

    public static String maskUrl(String url) {
        return url
                .replaceAll("(?i)(password=)[^&]*", "$1****")
                .replaceAll("(://[^:/@]*:)[^@/]*@", "$1****@");
    }
}
