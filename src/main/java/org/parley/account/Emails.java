package org.parley.account;

import java.util.regex.Pattern;

/**
 * The one shape check for email addresses people type (guests, bans): a local part and a domain within the
 * lengths mail allows. Deliverability is not checked — Parley sends no mail yet.
 */
public final class Emails {
    private static final Pattern SHAPE = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,189}");

    private Emails() {
    }

    public static boolean looksValid(String text) {
        return text != null && SHAPE.matcher(text).matches();
    }
}
